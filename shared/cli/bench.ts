import { benchInventory } from '../bench/inventoryBench';
import { benchPowerTick } from '../bench/powerBench';
import { benchUpgradeWave } from '../bench/upgradeWaveBench';
import { renderTable } from './table';

/** `npm run bench`: prints the benchmark figures as tables (no assertions: figures to compare). */
export async function runBench(out: (line: string) => void): Promise<number> {
  out('Inventory (subscriptions listed once, one paged ManagedClusters list per subscription)');
  const rows: string[][] = [];
  for (const [clusters, subs] of [
    [50, 5],
    [500, 20],
    [5000, 50],
  ] as const) {
    const r = await benchInventory(clusters, subs);
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
  const power = (await benchPowerTick(5000, 50)).map((r) => [
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
  out('');
  out(
    'Kubernetes upgrades: an unattended patch wave (kubernetesUpgrade + the sweeper every 10 virtual minutes) under ARM throttling',
  );
  const w = await benchUpgradeWave(500, 20);
  out(
    renderTable(
      [
        'CLUSTERS',
        'SUBSCRIPTIONS',
        'RUNS',
        'SUCCEEDED',
        'FAILED BY THROTTLING',
        'OTHER FAILURES',
        'ARM REQUESTS',
        'READS',
        'WRITES',
        '429s',
        'FLOOR MS (token buckets)',
        'WALL MS',
        'OF WHICH STARTING MS',
      ],
      [
        [
          String(w.clusters),
          String(w.subscriptions),
          String(w.runs),
          String(w.succeeded),
          String(w.failedByThrottling),
          String(w.otherFailures),
          String(w.armRequests),
          String(w.reads),
          String(w.writes),
          String(w.throttled),
          w.floorMs.toFixed(0),
          w.wallMs.toFixed(0),
          w.startMs.toFixed(0),
        ],
      ],
    ),
  );
  return 0;
}
