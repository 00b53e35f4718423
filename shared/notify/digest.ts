import type { Outcome } from '../records/outcome';
import type { DigestJob } from './routine';

/** One outcome of a digest action (routine, or a failure that was posted at once) as the digest keeps it. */
export interface DigestEntry {
  job: DigestJob;
  /** UTC day of `at`, `yyyy-mm-dd`. */
  day: string;
  action: string;
  outcome: Outcome;
  clusterId: string;
  cluster: string;
  nodePool?: string;
  fromVersion?: string;
  toVersion?: string;
  at: Date;
  /** Nodes of the cluster when it was stopped (power schedule), when known. */
  nodes?: number;
  /** The AKS operation, to count an accepted and then completed stop once. */
  operationId?: string;
  /** A stop carried over from the day before: the cluster was stopped at 00:00. */
  carried?: boolean;
  /** Carried: when the schedule stopped the cluster. */
  since?: Date;
}

export interface PowerDigest {
  job: 'power-schedule';
  day: string;
  stopped: string[];
  started: string[];
  /** Dry run: what would have been stopped or started. */
  plannedStops: string[];
  plannedStarts: string[];
  /** Stops and starts that failed (each was posted at once). */
  failed: string[];
  /** Node-hours the clusters stood stopped during the day (nodes × hours, from the stop to the start or midnight). */
  nodeHoursSaved: number;
  /** Clusters still stopped at the end of the day: carried into the next day's node-hours. */
  stoppedAtMidnight: Array<{ clusterId: string; cluster: string; nodes: number; since: Date }>;
}

export interface NodeImageDigest {
  job: 'node-image';
  day: string;
  /** Pools whose node image upgrade completed: `cluster/pool from → to`. */
  rolled: Array<{ cluster: string; pool: string; from?: string; to?: string }>;
  /** Upgrades accepted by AKS that day and not completed by its end. */
  started: number;
  planned: number;
  /** Upgrades that failed (each was posted at once). */
  failed: number;
}

export type Digest = PowerDigest | NodeImageDigest;

export const utcDay = (d: Date): string => d.toISOString().slice(0, 10);
export const nextDay = (day: string): string => utcDay(new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000));

/** One event per operation (an accepted stop and its completion are one stop), earliest first. */
function events(entries: readonly DigestEntry[]): DigestEntry[] {
  const byOp = new Map<string, DigestEntry>();
  const sorted = [...entries].sort((a, b) => a.at.getTime() - b.at.getTime());
  const out: DigestEntry[] = [];
  for (const e of sorted) {
    if (e.operationId) {
      const seen = byOp.get(e.operationId);
      if (seen) {
        if (seen.outcome !== 'Failed' && (e.outcome === 'Succeeded' || e.outcome === 'Failed'))
          seen.outcome = e.outcome;
        seen.nodes ??= e.nodes;
        continue;
      }
      const copy = { ...e };
      byOp.set(e.operationId, copy);
      out.push(copy);
    } else out.push({ ...e });
  }
  return out;
}

/** The power schedule's day: who was stopped and started, and the node-hours the stops saved. Pure. */
export function powerDigest(day: string, entries: readonly DigestEntry[]): PowerDigest {
  const dayStart = Date.parse(`${day}T00:00:00Z`);
  const dayEnd = dayStart + 86_400_000;
  const evs = events(entries.filter((e) => e.job === 'power-schedule'));
  const real = evs.filter((e) => e.outcome !== 'Planned' && e.outcome !== 'Failed');
  const names = (action: string, planned: boolean): string[] => [
    ...new Set(
      evs
        .filter(
          (e) =>
            e.action === action &&
            !e.carried &&
            e.outcome !== 'Failed' &&
            (e.outcome === 'Planned') === planned,
        )
        .map((e) => e.cluster),
    ),
  ];
  let nodeHoursSaved = 0;
  const stoppedAtMidnight: PowerDigest['stoppedAtMidnight'] = [];
  const byCluster = new Map<string, DigestEntry[]>();
  for (const e of real) byCluster.set(e.clusterId, [...(byCluster.get(e.clusterId) ?? []), e]);
  for (const [clusterId, list] of byCluster) {
    let stoppedAt: number | undefined;
    let since = new Date(dayStart);
    let nodes = 0;
    let name = list[0]!.cluster;
    for (const e of list) {
      name = e.cluster;
      if (e.action === 'stop' && stoppedAt === undefined) {
        stoppedAt = Math.max(dayStart, e.at.getTime());
        since = e.since ?? e.at;
        nodes = e.nodes ?? 0;
      } else if (e.action === 'start' && stoppedAt !== undefined) {
        nodeHoursSaved += (nodes * (Math.min(dayEnd, e.at.getTime()) - stoppedAt)) / 3_600_000;
        stoppedAt = undefined;
      }
    }
    if (stoppedAt !== undefined) {
      nodeHoursSaved += (nodes * (dayEnd - stoppedAt)) / 3_600_000;
      stoppedAtMidnight.push({ clusterId, cluster: name, nodes, since });
    }
  }
  return {
    job: 'power-schedule',
    day,
    stopped: names('stop', false),
    started: names('start', false),
    plannedStops: names('stop', true),
    plannedStarts: names('start', true),
    failed: evs.filter((e) => e.outcome === 'Failed').map((e) => `${e.action} ${e.cluster}`),
    nodeHoursSaved: Math.round(nodeHoursSaved * 10) / 10,
    stoppedAtMidnight,
  };
}

/** The node-image job's day: pools rolled to a new image, upgrades started and planned. Pure. */
export function nodeImageDigest(day: string, entries: readonly DigestEntry[]): NodeImageDigest {
  const evs = events(entries.filter((e) => e.job === 'node-image'));
  return {
    job: 'node-image',
    day,
    rolled: evs
      .filter((e) => e.outcome === 'Succeeded')
      .map((e) => ({ cluster: e.cluster, pool: e.nodePool ?? '', from: e.fromVersion, to: e.toVersion })),
    started: evs.filter((e) => e.outcome === 'InProgress').length,
    planned: evs.filter((e) => e.outcome === 'Planned').length,
    failed: evs.filter((e) => e.outcome === 'Failed').length,
  };
}

/** Is there anything to tell? A day with nothing done and nothing saved posts no digest. */
export function digestIsEmpty(d: Digest): boolean {
  return d.job === 'power-schedule'
    ? d.stopped.length + d.started.length + d.plannedStops.length + d.plannedStarts.length === 0 &&
        d.nodeHoursSaved === 0
    : d.rolled.length + d.started + d.planned === 0;
}
