import { performance } from 'node:perf_hooks';
import { createDeps } from '../deps';
import { startLocalEnvironment } from '../local/localEnv';
import { simAdmin } from '../local/simAdmin';
import { silentLogger, type Logger } from '../log';
import type { CounterSnapshot } from '../sim/counters';
import { generatedFleet } from '../sim/fleet/generate';
import { parseFleet, type FleetFile } from '../sim/fleet/schema';
import { DEFAULT_THROTTLING } from '../sim/throttle';
import { runSweep } from '../sweeper/runSweep';
import { listRuns, type UpgradeRun } from '../upgrades/api';
import { runKubernetesUpgrade } from '../upgrades/runKubernetesUpgrade';

export interface UpgradeWaveBench {
  clusters: number;
  subscriptions: number;
  runs: number;
  succeeded: number;
  /** Runs or steps that ended failed because ARM kept throttling (must be 0). */
  failedByThrottling: number;
  otherFailures: number;
  armRequests: number;
  reads: number;
  writes: number;
  throttled: number;
  /** Least wall time the token buckets allow for these requests (the busiest subscription). */
  floorMs: number;
  wallMs: number;
  /** Of which the timer run that started every run (each through its pre-checks). */
  startMs: number;
  sweeps: number;
  /** What the wave must read and change at the least (`waveFloor`). */
  floor: number;
  /** Requests by operation. */
  detail: string;
}

/** Clusters a subscription in the wave's fleets: more than the other rows' ten, so ARM's buckets bite. */
export const WAVE_CLUSTERS_PER_SUBSCRIPTION = 25;

/**
 * The least ARM requests a wave of `runs` takes: the Resource Graph listing (the subscriptions, then a page
 * per 1,000 clusters); per cluster its facts (the cluster, its pools, its upgrade profile, its maintenance
 * configurations, one audit-log query, the run-command that lists PDBs and its result); per (subscription,
 * region) the versions offered and the vCPU usage; per step (the control plane, each pool) the request and
 * one read that shows it done; and the post-check read of each run.
 */
export function waveFloor(
  runs: ReadonlyArray<Pick<UpgradeRun, 'steps'> & { cluster: { subscriptionId: string } }>,
  locationOf: (run: number) => string,
  subscriptionPages: number,
): number {
  const regions = new Set(runs.map((r, i) => `${r.cluster.subscriptionId}|${locationOf(i)}`));
  const steps = runs.reduce(
    (n, r) => n + r.steps.filter((s) => s.kind === 'control-plane' || s.kind === 'pool').length,
    0,
  );
  return (
    subscriptionPages +
    Math.ceil(runs.length / 1000) +
    runs.length * 7 +
    regions.size * 2 +
    steps * 2 +
    runs.length
  );
}

/** Every cluster behind its minor's latest patch, tagged for an unattended patch upgrade in one ring. */
function patchWaveFleet(clusters: number, subscriptions: number): FleetFile {
  const fleet = generatedFleet({ clusters, subscriptions, seed: 11 });
  for (const s of fleet.subscriptions)
    for (const g of s.resourceGroups ?? [])
      for (const c of g.clusters ?? []) {
        const minors = fleet.locations[c.location]?.kubernetesVersions ?? [];
        const minor = minors.find((m) => m.version === '1.33' && m.patches.length > 1);
        c.kubernetesVersion = minor ? minor.patches[minor.patches.length - 2]! : c.kubernetesVersion;
        for (const p of c.pools) delete p.orchestratorVersion;
        c.tags = { 'day2-upgrade': 'patch', 'day2-ring': '0' };
      }
  return { ...fleet, throttling: { enabled: true } };
}

/**
 * An unattended patch wave: the `kubernetesUpgrade` job starts a run on every cluster (each through its
 * pre-checks), then the sweeper carries them (every 10 virtual minutes) until every run ended; the
 * simulator throttles ARM with its per-subscription token buckets on real time throughout. Prints the
 * requests, the 429s answered, and the wall time beside the floor the buckets allow.
 */
export async function benchUpgradeWave(
  clusters: number,
  subscriptions: number,
  log: Logger = silentLogger,
): Promise<UpgradeWaveBench> {
  const fleet = patchWaveFleet(clusters, subscriptions);
  const env = await startLocalEnvironment({
    fleet,
    startTime: '2026-01-15T02:00:00Z',
    speed: 0,
    env: { DAY2_MAINTENANCE_WINDOW: 'daily 00:00-00:00' },
  });
  try {
    await simAdmin(env.sim, 'POST', '/timings', { runCommandSeconds: 0 });
    const deps = createDeps(env.settings, {
      log,
      clock: { now: () => env.sim.clock.now() },
      notifier: { teamsPaceMs: 0 },
    });
    await simAdmin(env.sim, 'DELETE', '/counters');
    const t0 = performance.now();
    await runKubernetesUpgrade(deps);
    const startMs = performance.now() - t0;
    let sweeps = 0;
    let runs: UpgradeRun[] = [];
    for (; sweeps < 200; sweeps++) {
      runs = await allRuns(deps);
      if (
        runs.length > 0 &&
        runs.every((r) => ['Succeeded', 'Failed', 'Halted', 'Cancelled'].includes(r.state))
      )
        break;
      env.sim.clock.advance(10 * 60_000);
      await runSweep(deps);
    }
    const wallMs = performance.now() - t0;
    const c = await simAdmin<CounterSnapshot>(env.sim, 'GET', '/counters');
    const reads = sumKind(c, true);
    const where = locations(fleet);
    const writes = sumKind(c, false);
    const ended = runs.filter((r) => r.state !== 'Succeeded');
    const throttledRuns = ended.filter((r) => /429|throttl/i.test(r.reason ?? ''));
    return {
      clusters,
      subscriptions,
      runs: runs.length,
      succeeded: runs.filter((r) => r.state === 'Succeeded').length,
      failedByThrottling: throttledRuns.length,
      otherFailures: ended.length - throttledRuns.length,
      armRequests: c.total,
      reads,
      writes,
      throttled: c.byStatus['429'] ?? 0,
      floorMs: floorMs(c),
      wallMs,
      startMs,
      sweeps,
      floor: waveFloor(
        runs,
        (i) => {
          const c = runs[i]!.cluster;
          return where.get(`${c.subscriptionId}|${c.resourceGroup}|${c.name}`.toLowerCase()) ?? '?';
        },
        Math.ceil(fleet.subscriptions.length / parseFleet(fleet).paging.pageSize),
      ),
      detail: Object.entries(c.byOperation)
        .sort((a, b) => b[1] - a[1])
        .map(([k, v]) => `${k} ${v}`)
        .join(', '),
    };
  } finally {
    await env.close();
  }
}

/** The region of each cluster of the bench fleet, by `subscription|group|name` (lower case). */
function locations(fleet: FleetFile): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of fleet.subscriptions)
    for (const g of s.resourceGroups ?? [])
      for (const c of g.clusters ?? []) out.set(`${s.id}|${g.name}|${c.name}`.toLowerCase(), c.location);
  return out;
}

async function allRuns(deps: Parameters<typeof listRuns>[0]): Promise<UpgradeRun[]> {
  const out: UpgradeRun[] = [];
  let token: string | undefined;
  do {
    const page = await listRuns(deps, { maxPageSize: 1000, ...(token ? { continuationToken: token } : {}) });
    out.push(...page.runs);
    token = page.continuationToken;
  } while (token);
  return out;
}

/** ARM counts POST, PUT, PATCH as writes: the operations that change something. */
const WRITE_OPS = /(_CreateOrUpdate|_Start|_Stop|_RunCommand|_UpgradeNodeImageVersion|_UpdateTags)$/;

function sumKind(c: CounterSnapshot, reads: boolean): number {
  let n = 0;
  for (const [op, v] of Object.entries(c.byOperation)) if (WRITE_OPS.test(op) !== reads) n += v;
  return n;
}

/**
 * The least wall time ARM's buckets allow for the requests answered (429s left out): per subscription,
 * the reads beyond the bucket at the refill rate, and the same for writes; the busiest subscription
 * decides (subscriptions refill in parallel). The simulator counts per subscription, not per kind: each
 * subscription's requests are split into reads and writes in the fleet-wide proportion.
 */
function floorMs(c: CounterSnapshot): number {
  const { reads, writes } = DEFAULT_THROTTLING;
  const total = sumKind(c, true) + sumKind(c, false);
  if (total === 0) return 0;
  const answered = 1 - (c.byStatus['429'] ?? 0) / c.total;
  const readShare = sumKind(c, true) / total;
  let worst = 0;
  for (const [sub, n] of Object.entries(c.bySubscription)) {
    if (sub === '(tenant)') continue;
    const r = Math.max(0, n * answered * readShare - reads.bucket) / reads.refillPerSecond;
    const w = Math.max(0, n * answered * (1 - readShare) - writes.bucket) / writes.refillPerSecond;
    worst = Math.max(worst, r, w);
  }
  return worst * 1000;
}
