/**
 * The simulated Resource Graph index: the `resources` rows of the clusters as they were `lag` seconds ago
 * on the virtual clock, as the real index follows ARM with a delay. Exact and simple: every change of a
 * cluster (an ARM write, a step of its operation) is told to the index with its virtual time; the first
 * change keeps the row as it was before, each change keeps the row after it (only when it differs), and a
 * query picks per cluster the last row kept at or before `now - lag`. A cluster not changed within the
 * lag has no rows kept and is served as it is now. Lag 0 keeps nothing: the index is ARM.
 */
import type { ClusterState } from './state';
import { clusterResource, wireClusterId } from './wire';

export type Row = Record<string, unknown>;

/** Default lag of the index behind ARM (fleet `resourceGraph.lagSeconds`, `POST /admin/resource-graph`). */
export const DEFAULT_LAG_SECONDS = 5;
/** Rows kept per cluster at most (the older ones no query can ask for once `lag` has passed). */
const KEEP = 32;

interface Kept {
  atMs: number;
  /** undefined: the cluster did not exist then. */
  row: Row | undefined;
  json: string;
}

/**
 * The `resources` row of a cluster as Resource Graph stores it. `frozen`: `properties` copied now (a
 * snapshot); otherwise built only when read (rows of a large fleet that are never served cost nothing).
 */
export function clusterRow(c: ClusterState, tenantId: string, frozen: boolean): Row {
  const row: Row = {
    id: wireClusterId(c),
    name: c.name,
    type: 'microsoft.containerservice/managedclusters',
    tenantId,
    kind: '',
    location: c.location,
    resourceGroup: c.resourceGroup.toLowerCase(),
    subscriptionId: c.subscriptionId,
    managedBy: '',
    sku: c.resource.sku ?? { name: 'Base', tier: c.skuTier },
    plan: null,
    tags: { ...c.tags },
    identity: c.resource.identity ?? null,
    zones: null,
    extendedLocation: null,
  };
  if (frozen) return structuredClone({ ...row, properties: clusterResource(c).properties });
  Object.defineProperty(row, 'properties', {
    enumerable: true,
    get: () => clusterResource(c).properties,
  });
  return row;
}

/** Rows in id order, case-insensitive (keys lower-cased once; no localeCompare over a large fleet). */
export function sortById(rows: Row[]): Row[] {
  return rows
    .map((row) => ({ row, key: String(row.id).toLowerCase() }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((x) => x.row);
}

export class ResourceGraphIndex {
  private lagMs: number;
  private readonly kept = new Map<string, Kept[]>();

  constructor(
    lagSeconds: number,
    private readonly tenantId: string,
    private readonly nowMs: () => number,
  ) {
    this.lagMs = lagSeconds * 1000;
  }

  get lagSeconds(): number {
    return this.lagMs / 1000;
  }

  /** From now on the index lags `seconds` behind ARM; 0 forgets every kept row (the index is ARM again). */
  setLag(seconds: number): void {
    if (!Number.isFinite(seconds) || seconds < 0)
      throw new Error(`invalid Resource Graph lag: ${String(seconds)} (expected seconds >= 0)`);
    this.lagMs = seconds * 1000;
    if (seconds === 0) this.kept.clear();
  }

  private snapshot(c: ClusterState | undefined, atMs: number): Kept {
    const row = c ? clusterRow(c, this.tenantId, true) : undefined;
    return { atMs, row, json: JSON.stringify(row ?? null) };
  }

  /** Call before changing the cluster under `key` (`c` undefined: about to be created): keeps its row as it was, once. */
  before(key: string, c: ClusterState | undefined): void {
    if (this.lagMs === 0 || this.kept.has(key)) return;
    this.kept.set(key, [this.snapshot(c, Number.NEGATIVE_INFINITY)]);
  }

  /** Call after changing the cluster under `key` at virtual `atMs` (a step that ended in the past gives its own end). */
  after(key: string, c: ClusterState | undefined, atMs: number): void {
    if (this.lagMs === 0) return;
    const list = this.kept.get(key);
    if (!list) return; // `before` was not told: nothing to compare with, the row is served as it is
    const s = this.snapshot(c, atMs);
    let i = list.length;
    while (i > 0 && list[i - 1]!.atMs > atMs) i--;
    if (list[i - 1]?.json === s.json) return;
    list.splice(i, 0, s);
    // A row is no longer needed once the next one is older than what any query now asks for.
    const asOf = this.nowMs() - this.lagMs;
    while (list.length > 1 && list[1]!.atMs <= asOf) list.shift();
    if (list.length > KEEP) list.splice(0, list.length - KEEP);
  }

  /** Every cluster row as the index shows it now (`now - lag`), sorted by id. */
  rows(clusters: ReadonlyMap<string, ClusterState>): Row[] {
    const asOf = this.nowMs() - this.lagMs;
    // A cluster whose last change is older than the lag is shown as it is now: its rows are dropped
    // (so only the clusters changed within the lag are kept).
    for (const [key, list] of this.kept) if (list[list.length - 1]!.atMs <= asOf) this.kept.delete(key);
    const out: Row[] = [];
    for (const [key, c] of clusters) if (!this.kept.has(key)) out.push(clusterRow(c, this.tenantId, false));
    for (const list of this.kept.values()) {
      let pick = list[0]!;
      for (const k of list) if (k.atMs <= asOf) pick = k;
      if (pick.row) out.push(pick.row);
    }
    return sortById(out);
  }
}
