import { imageGroupKey } from '../nodeimage/latestImages';
import { runNodeImage } from '../nodeimage/runNodeImage';
import { describeCounters, discoveryFloor, startBenchEnv, timed, type BenchRow } from './benchEnv';

/**
 * One hourly node-image run over the bench fleet (every pool behind its region's latest image, the
 * maintenance window open, ring 0 free to go). Floor: the listing, one upgrade-profile read per (region,
 * image family) group, one maintenance-configuration list per cluster with a pool due in `auto`, one upgrade
 * per pool started, and (Resource Graph listing only) one ARM read of the pool before each upgrade.
 */
export async function benchNodeImage(
  clusters: number,
  discovery: 'arm' | 'resource-graph',
): Promise<BenchRow> {
  const b = await startBenchEnv(clusters, {
    startTime: '2026-06-08T02:00:00Z',
    env: { DAY2_DISCOVERY: discovery, DAY2_MAINTENANCE_WINDOW: 'daily 01:00-05:00 UTC' },
  });
  try {
    await b.resetCounters();
    const { value: r, wallMs } = await timed(() => runNodeImage(b.deps));
    const c = await b.counters();
    const inv = r.facts.inventory;
    const groups = new Set<string>();
    for (const input of r.facts.clusters)
      for (const p of input.cluster.pools)
        if (p.name in input.latestNodeImageVersion)
          groups.add(imageGroupKey(input.cluster, p) ?? `${input.cluster.id}|${p.name}`);
    const upgrades = r.run.outcomes.filter((o) => o.outcome === 'InProgress').length;
    const rereads = inv.source === 'resource-graph' ? upgrades : 0;
    return {
      job: `node image (${discovery === 'arm' ? 'ARM' : 'Resource Graph'} listing)`,
      clusters,
      subscriptions: inv.subscriptions.length,
      armRequests: c.total,
      floor: discoveryFloor(inv, b.pageSize) + groups.size + r.facts.reads.windows + upgrades + rereads,
      wallMs,
      detail: describeCounters(c),
    };
  } finally {
    await b.close();
  }
}
