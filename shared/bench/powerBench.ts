import { performance } from 'node:perf_hooks';
import { createDeps } from '../deps';
import { silentLogger } from '../log';
import { startLocalEnvironment } from '../local/localEnv';
import { simAdmin } from '../local/simAdmin';
import { runPowerSchedule } from '../power/runPowerSchedule';
import type { CounterSnapshot } from '../sim/counters';
import { generatedFleet } from '../sim/fleet/generate';

export interface PowerBenchRow {
  tick: string;
  clusters: number;
  subscriptions: number;
  armRequests: number;
  listRequests: number;
  getRequests: number;
  powerCalls: number;
  throttled: number;
  outcomes: number;
  /** One GET per cluster to read it (plus the subscriptions list), the same stop/start calls. */
  naiveRequests: number;
  wallMs: number;
}

/**
 * One power-schedule tick over a generated fleet on the simulator (real SDK, Azurite state), twice: a quiet
 * tick (no edge due: the request floor) and the tick of the 19:00 Europe/Paris stop edge (Monday 8 June
 * 2026, 17:00Z), where every scheduled westeurope dev cluster is re-read and stopped. ARM requests are the
 * simulator's counters; an earlier tick has consumed the edges the app would have seen before.
 */
export async function benchPowerTick(clusters: number, subscriptions: number): Promise<PowerBenchRow[]> {
  const env = await startLocalEnvironment({
    fleet: generatedFleet({ clusters, subscriptions, seed: 7 }),
    startTime: '2026-06-08T16:50:00Z',
    speed: 0,
  });
  try {
    const deps = createDeps(env.settings, {
      log: silentLogger,
      clock: { now: () => env.sim.clock.now() },
      notifier: { teamsPaceMs: 0 },
    });
    await runPowerSchedule(deps); // warm-up: first sight of past edges
    const rows: PowerBenchRow[] = [];
    for (const [tick, at] of [
      ['quiet (16:55Z)', '2026-06-08T16:55:00Z'],
      ['stop edge (17:00Z)', '2026-06-08T17:00:00Z'],
    ] as const) {
      env.sim.clock.set(at);
      await simAdmin(env.sim, 'DELETE', '/counters');
      const t0 = performance.now();
      const run = await runPowerSchedule(deps);
      const wallMs = performance.now() - t0;
      const c = await simAdmin<CounterSnapshot>(env.sim, 'GET', '/counters');
      const op = (name: string): number => c.byOperation[name] ?? 0;
      const powerCalls = op('ManagedClusters_Stop') + op('ManagedClusters_Start');
      rows.push({
        tick,
        clusters,
        subscriptions,
        armRequests: c.total,
        listRequests: op('ManagedClusters_List'),
        getRequests: op('ManagedClusters_Get'),
        powerCalls,
        throttled: c.byStatus['429'] ?? 0,
        outcomes: run.outcomes.length,
        naiveRequests: 1 + clusters + powerCalls,
        wallMs,
      });
    }
    return rows;
  } finally {
    await env.close();
  }
}
