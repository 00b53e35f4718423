import { isConflict, isNotFound, keyOf, Tables } from '../storage/tables';

interface SnoozeEntity {
  clusterId: string;
  until: string;
  by: string;
  setAt: string;
}

/** Expired snoozes are kept this long, so the plan can stop the cluster late once its snooze ends. */
const KEEP_EXPIRED_MS = 24 * 3_600_000;

/** Snoozes: a cluster kept running past its stop edge until a time; stored with that expiry. */
export class SnoozeStore {
  constructor(private readonly tables: Tables) {}

  async set(clusterId: string, until: Date, by: string, now: Date): Promise<void> {
    const id = clusterId.toLowerCase();
    await this.tables.use('snoozes', `snooze ${clusterId}`, (t) =>
      t.upsertEntity(
        {
          partitionKey: 'snooze',
          rowKey: keyOf(id),
          clusterId: id,
          until: until.toISOString(),
          by,
          setAt: now.toISOString(),
        },
        'Replace',
      ),
    );
  }

  /** Snoozes by cluster id (lower case), expired ones of the last day included. Read-only. */
  async all(now: Date): Promise<Map<string, Date>> {
    return this.tables.use('snoozes', 'read the snoozes', async (t) => {
      const out = new Map<string, Date>();
      for await (const e of t.listEntities<SnoozeEntity>()) {
        const until = new Date(e.until);
        if (now.getTime() - until.getTime() <= KEEP_EXPIRED_MS) out.set(e.clusterId, until);
      }
      return out;
    });
  }

  /** Deletes snoozes that ended more than a day before `now` (the power-schedule tick calls it). */
  async prune(now: Date): Promise<number> {
    return this.tables.use('snoozes', 'delete expired snoozes', async (t) => {
      let n = 0;
      for await (const e of t.listEntities<SnoozeEntity>()) {
        if (now.getTime() - new Date(e.until).getTime() <= KEEP_EXPIRED_MS) continue;
        await t.deleteEntity(e.partitionKey!, e.rowKey!, { etag: e.etag }).catch((err: unknown) => {
          if (!isGone(err)) throw err;
        });
        n++;
      }
      return n;
    });
  }
}

function isGone(err: unknown): boolean {
  return isConflict(err) || isNotFound(err);
}
