import { runVersionSupport } from '../versions/runVersionSupport';
import { discoverFleet } from '../fleet/inventory';
import { silentLogger } from '../log';
import { describeCounters, discoveryFloor, startBenchEnv, timed, type BenchRow } from './benchEnv';

/**
 * The daily version-support run. Floor: the listing and one Kubernetes-version list per (subscription,
 * region) holding clusters (the list is a subscription-scoped read: what a subscription is offered).
 */
export async function benchVersionSupport(clusters: number): Promise<BenchRow> {
  const b = await startBenchEnv(clusters);
  try {
    const inv = await discoverFleet(b.deps.azure, [], silentLogger);
    await b.resetCounters();
    const { wallMs } = await timed(() => runVersionSupport(b.deps));
    const c = await b.counters();
    const regions = new Set(
      inv.clusters.map((x) => `${x.subscriptionId.toLowerCase()}|${x.location.toLowerCase()}`),
    );
    return {
      job: `version support (${inv.source === 'arm' ? 'ARM' : 'Resource Graph'} listing)`,
      clusters,
      subscriptions: inv.subscriptions.length,
      armRequests: c.total,
      floor: discoveryFloor(inv, b.pageSize) + regions.size,
      wallMs,
      detail: describeCounters(c),
    };
  } finally {
    await b.close();
  }
}
