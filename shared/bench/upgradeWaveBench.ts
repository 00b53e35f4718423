import { performance } from 'node:perf_hooks';
import { createDeps } from '../deps';
import { startLocalEnvironment } from '../local/localEnv';
import { simAdmin } from '../local/simAdmin';
import { silentLogger, type Logger } from '../log';
import type { CounterSnapshot } from '../sim/counters';
import { generatedFleet } from '../sim/fleet/generate';
import type { FleetFile } from '../sim/fleet/schema';
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
  sweeps: number;
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
  const env = await startLocalEnvironment({
    fleet: patchWaveFleet(clusters, subscriptions),
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
      sweeps,
    };
  } finally {
    await env.close();
  }
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
