/** What the simulator saw, read once at the end of a chaos run: its operation log, PUTs, clusters and receivers. */
import type { LocalEnvironment } from '../local/localEnv';
import { simAdmin } from '../local/simAdmin';

export interface SimOperationView {
  kind: string;
  clusterKey: string;
  pool?: string;
  startMs: number;
  status: string;
}

export interface SimPoolView {
  name: string;
  nodeImageVersion?: string;
  currentOrchestratorVersion?: string;
}

export interface SimClusterView {
  name: string;
  currentKubernetesVersion?: string;
  pools: SimPoolView[];
}

export interface PutTallyView {
  received: number;
  accepted: number;
}

/** A row the Log Analytics receiver got (the columns the checks read). */
export interface LogRow {
  Cluster?: string;
  NodePool?: string;
  Action?: string;
  Outcome?: string;
  Reason?: string;
  TimeGenerated?: string;
  Details?: unknown;
}

export interface GroundTruth {
  operations: SimOperationView[];
  clusters: Map<string, SimClusterView>;
  /** Accepted PUTs by cluster name: the managed cluster's, and each pool's. */
  puts: Map<string, { cluster: number; pools: Record<string, number> }>;
  rows: LogRow[];
  /** Operations of one cluster (by name). */
  opsOf(name: string): SimOperationView[];
  /** Rows about one cluster (and pool), oldest first. */
  rowsOf(name: string, pool?: string): LogRow[];
}

export async function readGroundTruth(env: LocalEnvironment): Promise<GroundTruth> {
  const admin = <T>(path: string) => simAdmin<T>(env.sim, 'GET', path);
  const { operations } = await admin<{ operations: SimOperationView[] }>('/operations');
  const state = await admin<{
    clusters: Array<{
      name: string;
      properties: {
        currentKubernetesVersion?: string;
        agentPoolProfiles?: SimPoolView[];
      };
    }>;
  }>('/state');
  const { clusters: putList } = await admin<{
    clusters: Array<{ name: string; cluster: PutTallyView; pools: Record<string, PutTallyView> }>;
  }>('/puts');
  const { rows } = await admin<{ rows: Array<{ row: LogRow }> }>('/logs');
  const clusters = new Map(
    state.clusters.map((c) => [
      c.name,
      {
        name: c.name,
        currentKubernetesVersion: c.properties.currentKubernetesVersion,
        pools: c.properties.agentPoolProfiles ?? [],
      },
    ]),
  );
  const puts = new Map(
    putList.map((p) => [
      p.name,
      {
        cluster: p.cluster.accepted,
        pools: Object.fromEntries(Object.entries(p.pools).map(([k, v]) => [k, v.accepted])),
      },
    ]),
  );
  const logRows = rows.map((r) => r.row);
  const time = (r: LogRow) => Date.parse(String(r.TimeGenerated));
  return {
    operations,
    clusters,
    puts,
    rows: logRows,
    opsOf: (name) => operations.filter((op) => op.clusterKey.toLowerCase().endsWith(`/${name}`)),
    rowsOf: (name, pool) =>
      logRows
        .filter((r) => r.Cluster === name && (pool === undefined || r.NodePool === pool))
        .sort((a, b) => time(a) - time(b)),
  };
}
