import type { TableClient } from '@azure/data-tables';
import type { ClusterRef } from '../fleet/cluster';
import type { RunState, UpgradeRun } from '../upgrades/model';
import { isTerminalRun, upgradeRunCreatedAt } from '../upgrades/model';
import { getOrUndefined, isConflict, isNotFound, keyOf, type Tables } from '../storage/tables';
import { moveRows, moveToSpread, spreadPartition, spreadRange } from '../storage/spread';
import { onceRetrying } from '../util/onceRetrying';

/**
 * Table `upgraderuns`: partition `run` holds every run, keyed newest first (`runKey`); partitions
 * `active.<bucket>` (spread by cluster, storage/spread.ts) one row per cluster with a run not yet ended
 * (or whose end is not yet reported).
 */
const RUN = 'run';
const ACTIVE = 'active';
const activeKeys = (clusterId: string): [string, string] => [
  spreadPartition(ACTIVE, keyOf(clusterId)),
  keyOf(clusterId),
];
const MAX_TIME = 9_999_999_999_999;

/**
 * A run's row key: its creation time inverted, then its id, so a listing reads the newest runs first. The
 * time is read from the id (`upgradeRunCreatedAt`), so a run is found from its id alone.
 */
export function runKey(id: string): string {
  const at = upgradeRunCreatedAt(id);
  return at ? `${String(MAX_TIME - at.getTime()).padStart(13, '0')}-${id}` : id;
}
/** A Table string property holds 64 KiB (32K UTF-16 chars); the run's JSON is split into chunks below that. */
const CHUNK = 30_000;
const MAX_CHUNKS = 16;

interface RunEntity {
  partitionKey: string;
  rowKey: string;
  id: string;
  clusterId: string;
  clusterName: string;
  state: string;
  createdAt: string;
  updatedAt: string;
  chunks: number;
  [chunk: `d${number}`]: string;
}

function toEntity(run: UpgradeRun): RunEntity {
  const { etag: _etag, ...rest } = run;
  const json = JSON.stringify(rest);
  const n = Math.ceil(json.length / CHUNK);
  if (n > MAX_CHUNKS) throw new Error(`run ${run.id} is too large to store (${json.length} characters)`);
  const e: RunEntity = {
    partitionKey: RUN,
    rowKey: runKey(run.id),
    id: run.id,
    clusterId: run.cluster.id.toLowerCase(),
    clusterName: run.cluster.name,
    state: run.state,
    createdAt: run.createdAt,
    updatedAt: run.updatedAt,
    chunks: n,
  };
  for (let i = 0; i < n; i++) e[`d${i}`] = json.slice(i * CHUNK, (i + 1) * CHUNK);
  return e;
}

function fromEntity(e: RunEntity & { etag?: string }): UpgradeRun {
  let json = '';
  for (let i = 0; i < e.chunks; i++) json += e[`d${i}`] ?? '';
  return { ...(JSON.parse(json) as UpgradeRun), ...(e.etag ? { etag: e.etag } : {}) };
}

export interface RunPage {
  runs: UpgradeRun[];
  continuationToken?: string;
}

/**
 * Upgrade runs, durably: each run is one row replaced as it advances, always ETag-conditional, so two
 * advancers (the sweeper, an event, a worker) never both carry out a step. A cluster has at most one run
 * that has not ended (its `active` row, taken insert-if-absent).
 */
export class UpgradeRunStore {
  constructor(private readonly tables: Tables) {}

  private async use<T>(doing: string, fn: (t: TableClient) => Promise<T>): Promise<T> {
    await this.moveEarlierLayout();
    return this.tables.use('upgraderuns', doing, fn);
  }

  /**
   * Once per store, before its first use: runs an earlier version keyed by id alone take their
   * newest-first key, and the one partition `active` is spread, so runs in flight across an upgrade of
   * the app are still advanced and their clusters still held. A row already in its new place is newer
   * and stays as it is.
   */
  private readonly moveEarlierLayout = onceRetrying(() =>
    this.tables.use('upgraderuns', 'move upgrade runs to their newest-first keys', async (t) => {
      // An id without its time keeps the id as its key (`moveRows` leaves a row whose keys do not change).
      await moveRows(t, `PartitionKey eq '${RUN}' and RowKey ge 'R-' and RowKey lt 'R.'`, (e) => ({
        partitionKey: RUN,
        rowKey: runKey(String(e.id)),
      }));
      await moveToSpread(t, ACTIVE, (r) => spreadPartition(ACTIVE, r.rowKey!));
    }),
  );

  /**
   * Stores a new run and makes it its cluster's active run. Returns the run already active on the
   * cluster instead when there is one (nothing is stored then).
   */
  async create(run: UpgradeRun): Promise<{ created: UpgradeRun } | { inFlight: UpgradeRun }> {
    return this.use(`create upgrade run on ${run.cluster.name}`, async (t) => {
      for (let attempt = 0; attempt < 3; attempt++) {
        try {
          const [partitionKey, rowKey] = activeKeys(run.cluster.id);
          await t.createEntity({ partitionKey, rowKey, runId: run.id });
        } catch (err) {
          if (!isConflict(err)) throw err;
          const held = await getOrUndefined<{ runId: string }>(t, ...activeKeys(run.cluster.id));
          if (!held) continue;
          const other = await this.getIn(t, held.runId);
          // Not ended, or ended and its end not reported yet (the next sweep reports it): still the cluster's.
          if (other && (!isTerminalRun(other.state) || other.endReported === false))
            return { inFlight: other };
          // A run that ended but whose active row a crash left behind: take it over.
          await t.deleteEntity(...activeKeys(run.cluster.id), { etag: held.etag }).catch(ignoreGone);
          continue;
        }
        const r = await t.createEntity(toEntity(run));
        return { created: { ...run, etag: r.etag } };
      }
      throw new Error(`could not take the active-run row of ${run.cluster.name}`);
    });
  }

  private async getIn(t: TableClient, id: string): Promise<UpgradeRun | undefined> {
    const e = await getOrUndefined<RunEntity>(t, RUN, runKey(id));
    return e ? fromEntity(e) : undefined;
  }

  async get(id: string): Promise<UpgradeRun | undefined> {
    if (!/^R-[0-9A-Za-z-]{1,60}$/.test(id)) return undefined;
    return this.use(`read upgrade run ${id}`, (t) => this.getIn(t, id));
  }

  /**
   * Replaces the run if it is still the version read (`run.etag`). Returns the stored run with its new
   * ETag, or undefined when someone else changed it meanwhile (the caller re-reads and decides again).
   * A run that ended gives up its cluster's active row once its end is reported (`endReported`).
   */
  async save(run: UpgradeRun): Promise<UpgradeRun | undefined> {
    return this.use(`save upgrade run ${run.id}`, async (t) => {
      let etag: string | undefined;
      try {
        const r = await t.updateEntity(toEntity(run), 'Replace', { etag: run.etag ?? '*' });
        etag = r.etag;
      } catch (err) {
        if (isConflict(err) || isNotFound(err)) return undefined;
        throw err;
      }
      if (isTerminalRun(run.state) && run.endReported !== false) {
        const held = await getOrUndefined<{ runId: string }>(t, ...activeKeys(run.cluster.id));
        if (held?.runId === run.id)
          await t.deleteEntity(...activeKeys(run.cluster.id), { etag: held.etag }).catch(ignoreGone);
      }
      return { ...run, etag };
    });
  }

  /** The run not yet ended on this cluster, if any. */
  async activeFor(cluster: Pick<ClusterRef, 'id'>): Promise<UpgradeRun | undefined> {
    return this.use('read the active upgrade run', async (t) => {
      const held = await getOrUndefined<{ runId: string }>(t, ...activeKeys(cluster.id));
      if (!held) return undefined;
      const run = await this.getIn(t, held.runId);
      return run && !isTerminalRun(run.state) ? run : undefined;
    });
  }

  /** Every run not yet ended, and every run ended but not yet reported (what the sweeper advances). */
  async active(): Promise<UpgradeRun[]> {
    return this.use('list active upgrade runs', async (t) => {
      const out: UpgradeRun[] = [];
      for await (const held of t.listEntities<{ runId: string }>({
        queryOptions: { filter: spreadRange(ACTIVE) },
      })) {
        const run = await this.getIn(t, held.runId);
        if (run && (!isTerminalRun(run.state) || run.endReported === false)) out.push(run);
      }
      return out.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    });
  }

  /** Runs, newest first (pages follow each other newest first), filtered by cluster id and/or state. */
  async list(
    filter: { clusterId?: string; state?: RunState; since?: Date } = {},
    page: { maxPageSize?: number; continuationToken?: string } = {},
  ): Promise<RunPage> {
    const parts = [`PartitionKey eq '${RUN}'`];
    if (filter.clusterId) parts.push(`clusterId eq '${odata(filter.clusterId.toLowerCase())}'`);
    if (filter.state) parts.push(`state eq '${odata(filter.state)}'`);
    if (filter.since) parts.push(`createdAt ge '${filter.since.toISOString()}'`);
    return this.use('list upgrade runs', async (t) => {
      const pages = t.listEntities<RunEntity>({ queryOptions: { filter: parts.join(' and ') } }).byPage({
        maxPageSize: Math.min(Math.max(page.maxPageSize ?? 100, 1), 1000),
        ...(page.continuationToken ? { continuationToken: page.continuationToken } : {}),
      });
      const first = await pages.next();
      if (first.done) return { runs: [] };
      const p = first.value as RunEntity[] & { continuationToken?: string };
      return {
        runs: p.map((e) => fromEntity(e)).sort((a, b) => b.createdAt.localeCompare(a.createdAt)),
        ...(p.continuationToken ? { continuationToken: p.continuationToken } : {}),
      };
    });
  }

  /** Retention: deletes ended runs created before `before`. Returns how many were deleted. */
  async prune(before: Date): Promise<number> {
    return this.use('prune upgrade runs', async (t) => {
      let n = 0;
      for await (const e of t.listEntities<RunEntity>({
        queryOptions: { filter: `PartitionKey eq '${RUN}' and createdAt lt '${before.toISOString()}'` },
      })) {
        if (!isTerminalRun(e.state as RunState)) continue;
        await t.deleteEntity(RUN, e.rowKey).catch(ignoreGone);
        n++;
      }
      return n;
    });
  }
}

const odata = (s: string): string => s.replace(/'/g, "''");

function ignoreGone(err: unknown): void {
  if (!isConflict(err) && !isNotFound(err)) throw err;
}
