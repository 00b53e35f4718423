import { getOrUndefined, keyOf, Tables } from './tables';

interface EdgeEntity { clusterId: string; action: string; edge: string }

/**
 * The latest cron edge handled per cluster and action (power schedule). A scheduled edge is idempotent
 * by cluster + action + edge time: once recorded, a retried or concurrent tick does not act on it again.
 */
export class EdgeStore {
  constructor(private readonly tables: Tables) {}

  /** Map key: `${clusterIdLower}|${action}` (the plan's `handledEdges` input). */
  async all(): Promise<Map<string, Date>> {
    const t = await this.tables.table('edges');
    const out = new Map<string, Date>();
    for await (const e of t.listEntities<EdgeEntity>()) out.set(`${e.clusterId}|${e.action}`, new Date(e.edge));
    return out;
  }

  /** Records `edge` as handled unless a later edge already is. */
  async markHandled(clusterId: string, action: string, edge: Date): Promise<void> {
    const t = await this.tables.table('edges');
    const id = clusterId.toLowerCase();
    const existing = await getOrUndefined<EdgeEntity>(t, keyOf(id), action);
    if (existing && new Date(existing.edge) >= edge) return;
    await t.upsertEntity({ partitionKey: keyOf(id), rowKey: action, clusterId: id, action, edge: edge.toISOString() }, 'Replace');
  }
}
