import { benchChatops, benchChatopsFuzz, TEAMS_REPLY_LIMIT_MS } from '../bench/chatopsBench';
import { benchInventory } from '../bench/inventoryBench';
import { benchPowerTick } from '../bench/powerBench';
import { benchHttpFuzz, benchUpgradesApi } from '../bench/upgradesApiBench';
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
        ],
      ],
    ),
  );
  out('');
  out(
    'HTTP API: POST /api/upgrades (accept + enqueue) through aks-day2 serve, 50 concurrent clients, one request per cluster',
  );
  const api = await benchUpgradesApi(500, 50);
  out(
    renderTable(
      ['CLIENTS', 'REQUESTS', 'STATUSES', 'P50 MS', 'P99 MS', 'MAX MS', 'WALL MS'],
      [
        [
          String(api.clients),
          String(api.requests),
          Object.entries(api.byStatus)
            .map(([s, n]) => `${s}: ${n}`)
            .join(', '),
          api.p50Ms.toFixed(1),
          api.p99Ms.toFixed(1),
          api.maxMs.toFixed(1),
          api.wallMs.toFixed(0),
        ],
      ],
    ),
  );
  out('');
  out('HTTP API fuzz: generated requests (bodies, headers, paths, sizes) through aks-day2 serve');
  const fuzz = await benchHttpFuzz(10_000);
  out(
    renderTable(
      ['REQUESTS', 'ANSWERS BY STATUS', 'NOT SENDABLE', '5XX OR BAD REJECTIONS', 'WALL MS'],
      [
        [
          String(fuzz.runs),
          Object.entries(fuzz.byStatus)
            .map(([s, n]) => `${s}: ${n}`)
            .join(', '),
          String(fuzz.unsendable),
          String(fuzz.violations.length),
          fuzz.wallMs.toFixed(0),
        ],
      ],
    ),
  );
  for (const v of fuzz.violations.slice(0, 10)) out(`  violation: ${v}`);
  out('');
  out(
    `ChatOps: reply latency through aks-day2 serve, 50 messages at once (4 rounds), signed as Teams signs them; Teams waits ${TEAMS_REPLY_LIMIT_MS} ms`,
  );
  const chat = await benchChatops(50, 4);
  out(
    renderTable(
      ['COMMAND', 'CONCURRENT', 'REPLIES', 'STATUSES', 'P50 MS', 'P99 MS', 'MAX MS', 'TEAMS LIMIT MS'],
      chat.map((c) => [
        c.command,
        String(c.concurrent),
        String(c.requests),
        Object.entries(c.byStatus)
          .map(([s, n]) => `${s}: ${n}`)
          .join(', '),
        c.p50Ms.toFixed(1),
        c.p99Ms.toFixed(1),
        c.maxMs.toFixed(1),
        String(TEAMS_REPLY_LIMIT_MS),
      ]),
    ),
  );
  out('');
  out(
    'ChatOps fuzz: generated messages with a valid HMAC (text, mentions, unicode, 100 KB, bad JSON) through aks-day2 serve',
  );
  const chatFuzz = await benchChatopsFuzz(10_000);
  out(
    renderTable(
      ['MESSAGES', 'BY KIND', 'ANSWERS BY STATUS', 'RESENT AFTER RESET', 'VIOLATIONS', 'WALL MS'],
      [
        [
          String(chatFuzz.runs),
          Object.entries(chatFuzz.byKind)
            .map(([s, n]) => `${s}: ${n}`)
            .join(', '),
          Object.entries(chatFuzz.byStatus)
            .map(([s, n]) => `${s}: ${n}`)
            .join(', '),
          String(chatFuzz.connectionResets),
          String(chatFuzz.violations.length),
          chatFuzz.wallMs.toFixed(0),
        ],
      ],
    ),
  );
  for (const v of chatFuzz.violations.slice(0, 10)) out(`  violation: ${v}`);
  return 0;
}
