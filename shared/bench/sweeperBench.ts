import { discoverFleet } from '../fleet/inventory';
import { silentLogger } from '../log';
import { applyAction } from '../power/applyAction';
import type { PowerDecision } from '../power/plan';
import type { Tick } from '../power/tick';
import { runSweep } from '../sweeper/runSweep';
import { mapLimit } from '../util/mapLimit';
import { describeCounters, startBenchEnv, timed, type BenchRow } from './benchEnv';

export const IN_FLIGHT = 500;

/**
 * One sweeper run with 500 stop operations in flight (started through the power job's own apply step ten
 * virtual seconds before, so none has ended yet). Floor: one read of each operation's resource.
 */
export async function benchSweeper(clusters: number): Promise<BenchRow> {
  const b = await startBenchEnv(clusters);
  try {
    const inv = await discoverFleet(b.deps.azure, [], silentLogger);
    const running = inv.clusters.filter((c) => c.powerState === 'Running').slice(0, IN_FLIGHT);
    const now = b.deps.clock.now();
    const tick: Tick = {
      deps: b.deps,
      runId: 'bench',
      actor: 'timer',
      dryRun: false,
      edges: b.deps.state.edges,
      now,
    };
    await mapLimit(running, 8, (c) => {
      const d: PowerDecision = {
        cluster: { id: c.id, name: c.name, subscriptionId: c.subscriptionId, resourceGroup: c.resourceGroup },
        action: 'stop',
        edge: now,
        edgeKey: `${c.id.toLowerCase()}|stop|${now.toISOString()}`,
        kind: 'act',
        reason: 'bench',
      };
      return applyAction(tick, d, c);
    });
    b.env.sim.clock.set(new Date(now.getTime() + 10_000));
    await b.resetCounters();
    const { wallMs } = await timed(() => runSweep(b.deps));
    const c = await b.counters();
    return {
      job: `sweeper (${running.length} operations in flight)`,
      clusters,
      subscriptions: inv.subscriptions.length,
      armRequests: c.total,
      floor: running.length,
      wallMs,
      detail: describeCounters(c),
    };
  } finally {
    await b.close();
  }
}
