import { discoverFleet } from '../fleet/inventory';
import { silentLogger } from '../log';
import { runPowerSchedule } from '../power/runPowerSchedule';
import { describeCounters, discoveryFloor, startBenchEnv, timed, type BenchRow } from './benchEnv';

/**
 * One power-schedule tick over the bench fleet (real SDK, Azurite state): a quiet tick (16:55Z, no edge due)
 * or the 19:00 Europe/Paris stop edge (Monday 8 June 2026, 17:00Z), where every scheduled westeurope dev
 * cluster is stopped. A warm-up tick first sees the past edges. Floor: the listing, one stop per cluster
 * due, and (Resource Graph listing only, since its index can lag ARM) one ARM read before each stop.
 */
export async function benchPowerTick(
  clusters: number,
  tick: 'quiet' | 'edge',
  discovery: 'arm' | 'resource-graph',
): Promise<BenchRow> {
  const b = await startBenchEnv(clusters, { env: { DAY2_DISCOVERY: discovery } });
  try {
    await runPowerSchedule(b.deps); // warm-up: first sight of past edges
    b.env.sim.clock.set(tick === 'quiet' ? '2026-06-08T16:55:00Z' : '2026-06-08T17:00:00Z');
    const inv = await discoverFleet(b.deps.azure, [], silentLogger);
    await b.resetCounters();
    const { value: run, wallMs } = await timed(() => runPowerSchedule(b.deps));
    const c = await b.counters();
    const changes = run.outcomes.filter((o) => o.outcome === 'InProgress').length;
    const rereads = inv.source === 'resource-graph' ? changes : 0;
    return {
      job: `power ${tick === 'quiet' ? 'quiet tick' : 'stop edge'} (${discovery === 'arm' ? 'ARM' : 'Resource Graph'} listing)`,
      clusters,
      subscriptions: inv.subscriptions.length,
      armRequests: c.total,
      floor: discoveryFloor(inv, b.pageSize) + changes + rereads,
      wallMs,
      detail: describeCounters(c),
    };
  } finally {
    await b.close();
  }
}
