import { benchInventory } from '../bench/inventoryBench';
import { benchPowerTick } from '../bench/powerBench';
import { createProgress } from './progress';
import { renderTable } from './table';

/** `npm run bench`: prints the benchmark figures as tables (no assertions: figures to compare). */
export async function runBench(print: (line: string) => void): Promise<number> {
  const progress = createProgress();
  const out = progress.around(print);
  out('Inventory (subscriptions listed once, one paged ManagedClusters list per subscription)');
  const rows: string[][] = [];
  const sizes = [
    [50, 5],
    [500, 20],
    [5000, 50],
  ] as const;
  for (const [i, [clusters, subs]] of sizes.entries()) {
    progress.update(`bench: inventory of ${clusters} clusters in ${subs} subscriptions`, i, sizes.length + 1);
    const r = await benchInventory(clusters, subs);
    progress.done();
    rows.push([
      String(r.clusters),
      String(r.subscriptions),
      String(r.armRequests),
      String(r.listRequests),
      String(r.clusters + 1),
      r.wallMs.toFixed(0),
    ]);
  }
  out(
    renderTable(
      ['CLUSTERS', 'SUBSCRIPTIONS', 'ARM REQUESTS', 'LIST PAGES', 'NAIVE (1 GET/cluster + 1)', 'WALL MS'],
      rows,
    ),
  );
  out('');
  out(
    'Power schedule: one tick (settle, discover, plan, re-read + stop/start the clusters due), Azurite state',
  );
  progress.update('bench: power-schedule ticks on 5,000 clusters', sizes.length, sizes.length + 1);
  const ticks = await benchPowerTick(5000, 50);
  progress.done();
  const power = ticks.map((r) => [
    r.tick,
    String(r.clusters),
    String(r.subscriptions),
    String(r.armRequests),
    String(r.listRequests),
    String(r.getRequests),
    String(r.powerCalls),
    String(r.throttled),
    String(r.naiveRequests),
    r.wallMs.toFixed(0),
  ]);
  out(
    renderTable(
      [
        'TICK',
        'CLUSTERS',
        'SUBSCRIPTIONS',
        'ARM REQUESTS',
        'LIST PAGES',
        'RE-READ GETS',
        'STOP/START',
        '429s',
        'NAIVE (1 GET/cluster + 1 + calls)',
        'WALL MS',
      ],
      power,
    ),
  );
  return 0;
}
