import { createHash } from 'node:crypto';
import type { TransactionAction } from '@azure/data-tables';
import { isConflict, type Tables } from '../storage/tables';

const TABLE = 'chatopsactivities';
/** How long an activity id is remembered (Teams retries within seconds; two days is ample). */
export const REPLAY_RETENTION_MS = 2 * 86_400_000;
const PRUNE_EVERY_MS = 3_600_000;
const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

/**
 * Activity ids of the Teams messages already handled, in Table `<prefix>chatopsactivities`: row =
 * SHA-256 of the activity id (any id, of any length, is a bounded key), partition = its first two hex
 * digits, `at` = when it was received. The first insert wins; a second one with the same id is a replay. Retention: rows older than two days are
 * deleted by `pruneIfDue`, which the `chatops` function runs at most once an hour.
 */
export class ReplayStore {
  private lastPrune = 0;

  constructor(private readonly tables: Tables) {}

  /** True the first time an activity id is seen; false for a replay. One insert. */
  async firstSeen(activityId: string, now: Date): Promise<boolean> {
    const rowKey = sha256(activityId);
    return this.tables.use(TABLE, 'remember a Teams activity id', async (t) => {
      try {
        await t.createEntity({ partitionKey: rowKey.slice(0, 2), rowKey, at: now });
        return true;
      } catch (err) {
        if (isConflict(err)) return false;
        throw err;
      }
    });
  }

  /** Deletes the rows older than the retention; at most once an hour per process. Returns how many. */
  async pruneIfDue(now: Date): Promise<number> {
    if (now.getTime() - this.lastPrune < PRUNE_EVERY_MS) return 0;
    this.lastPrune = now.getTime();
    const before = new Date(now.getTime() - REPLAY_RETENTION_MS).toISOString();
    return this.tables.use(TABLE, 'prune Teams activity ids', async (t) => {
      const old = new Map<string, string[]>();
      let n = 0;
      for await (const e of t.listEntities({
        queryOptions: { filter: `at lt datetime'${before}'`, select: ['PartitionKey', 'RowKey'] },
      })) {
        const list = old.get(e.partitionKey!) ?? [];
        list.push(e.rowKey!);
        old.set(e.partitionKey!, list);
        if (++n >= 5_000) break;
      }
      for (const [pk, rows] of old)
        for (let i = 0; i < rows.length; i += 100) {
          const actions: TransactionAction[] = rows
            .slice(i, i + 100)
            .map((rk) => ['delete', { partitionKey: pk, rowKey: rk }]);
          await t.submitTransaction(actions);
        }
      return n;
    });
  }
}
