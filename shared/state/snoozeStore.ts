import { keyOf, Tables } from './tables';

interface SnoozeEntity { clusterId: string; until: string; by: string; setAt: string }

/** Snoozes: a cluster kept running past its stop edge until a time; stored with that expiry. */
export class SnoozeStore {
  constructor(private readonly tables: Tables) {}

  async set(clusterId: string, until: Date, by: string, now: Date): Promise<void> {
    const t = await this.tables.table('snoozes');
    const id = clusterId.toLowerCase();
    await t.upsertEntity({ partitionKey: 'snooze', rowKey: keyOf(id), clusterId: id, until: until.toISOString(), by, setAt: now.toISOString() }, 'Replace');
  }

  /**
   * Snoozes by cluster id (lower case). Expired ones are kept for a day so the plan can stop the
   * cluster late once its snooze ends; older ones are deleted.
   */
  async all(now: Date): Promise<Map<string, Date>> {
    const t = await this.tables.table('snoozes');
    const out = new Map<string, Date>();
    for await (const e of t.listEntities<SnoozeEntity>()) {
      const until = new Date(e.until);
      if (now.getTime() - until.getTime() > 24 * 3_600_000) {
        await t.deleteEntity(e.partitionKey!, e.rowKey!);
        continue;
      }
      out.set(e.clusterId, until);
    }
    return out;
  }
}
