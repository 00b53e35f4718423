import { discoverFleet } from '../fleet/inventory';
import { silentLogger } from '../log';
import { describeCounters, discoveryFloor, startBenchEnv, timed, type BenchRow } from './benchEnv';

/** Discovery of the whole fleet, through ARM (one paged list per subscription) or Resource Graph (one paged query). */
export async function benchInventory(
  clusters: number,
  discovery: 'arm' | 'resource-graph',
): Promise<BenchRow> {
  const b = await startBenchEnv(clusters, { env: { DAY2_DISCOVERY: discovery } });
  try {
    await b.resetCounters();
    const { value: inv, wallMs } = await timed(() => discoverFleet(b.deps.azure, [], silentLogger));
    if (inv.clusters.length !== clusters || inv.source !== discovery)
      throw new Error(
        `bench: expected ${clusters} clusters from ${discovery}, got ${inv.clusters.length} from ${inv.source}`,
      );
    const c = await b.counters();
    return {
      job: `inventory (${discovery === 'arm' ? 'ARM' : 'Resource Graph'})`,
      clusters,
      subscriptions: inv.subscriptions.length,
      armRequests: c.total,
      floor: discoveryFloor(inv, b.pageSize),
      wallMs,
      detail: describeCounters(c),
    };
  } finally {
    await b.close();
  }
}
