import { handledEdgeKey } from '../operations/edgeKey';
import { getOrUndefined, isConflict, isNotFound, keyOf, Tables } from '../storage/tables';
import { deleteRows, rowsWhere } from '../storage/prune';

interface EdgeEntity {
  clusterId: string;
  action: string;
  edge: string;
}

/** Attempts at the read-compare-write of one marker under concurrent writers. */
const MARK_ATTEMPTS = 5;

/**
 * The latest cron edge handled per cluster and action (power schedule). A scheduled edge is idempotent
 * by cluster + action + edge time: once recorded, a retried or concurrent tick does not act on it again.
 * `table` separates the dry-run bookkeeping (`edgesdryrun`) from the real one (`edges`).
 */
export class EdgeStore {
  constructor(
    private readonly tables: Tables,
    private readonly table = 'edges',
  ) {}

  /** Map key: `handledEdgeKey(cluster, action)` (the plan's `handledEdges` input). */
  async all(): Promise<Map<string, Date>> {
    return this.tables.use(this.table, 'read the handled edges', async (t) => {
      const out = new Map<string, Date>();
      for await (const e of t.listEntities<EdgeEntity>())
        out.set(handledEdgeKey(e.clusterId, e.action), new Date(e.edge));
      return out;
    });
  }

  /**
   * Records `edge` as handled unless a later edge already is. Conditional (insert-if-absent, else
   * replace with the ETag read): a concurrent writer of an older edge never overwrites a newer one.
   * `absent`: the caller read no marker for this cluster and action this tick (`all()`), so the insert is
   * tried first (one request, not two: a first run over a large fleet marks every cluster once); if a
   * marker appeared meanwhile, the insert conflicts and the read-compare-write below decides as usual.
   */
  async markHandled(clusterId: string, action: string, edge: Date, absent = false): Promise<void> {
    const id = clusterId.toLowerCase();
    const entity = {
      partitionKey: keyOf(id),
      rowKey: action,
      clusterId: id,
      action,
      edge: edge.toISOString(),
    };
    await this.tables.use(
      this.table,
      `mark the ${action} edge ${entity.edge} of ${clusterId} handled`,
      async (t) => {
        if (absent) {
          try {
            await t.createEntity(entity);
            return;
          } catch (err) {
            if (!isConflict(err)) throw err;
          }
        }
        for (let attempt = 0; attempt < MARK_ATTEMPTS; attempt++) {
          const existing = await getOrUndefined<EdgeEntity>(t, entity.partitionKey, action);
          if (existing && new Date(existing.edge) >= edge) return;
          try {
            if (existing) await t.updateEntity(entity, 'Replace', { etag: existing.etag });
            else await t.createEntity(entity);
            return;
          } catch (err) {
            if (!isConflict(err) && !isNotFound(err)) throw err; // changed meanwhile: read and compare again
          }
        }
        throw new Error(`edge marker still contended after ${MARK_ATTEMPTS} attempts`);
      },
    );
  }

  /**
   * Housekeeping: deletes markers of edges before `before`. A missed edge is caught up for at most
   * DAY2_CATCHUP_MINUTES, so a marker older than that can never stop a repeat; `before` is far older.
   */
  async prune(before: Date): Promise<number> {
    return this.tables.use(this.table, 'prune handled edges', async (t) =>
      deleteRows(t, await rowsWhere(t, `edge lt '${before.toISOString()}'`)),
    );
  }
}
