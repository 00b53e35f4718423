import type { BenchRow } from '../bench/benchEnv';
import { benchChatops, benchChatopsFuzz, TEAMS_REPLY_LIMIT_MS } from '../bench/chatopsBench';
import { benchInventory } from '../bench/inventoryBench';
import { benchNodeImage } from '../bench/nodeImageBench';
import { benchPowerTick } from '../bench/powerBench';
import { benchSweeper } from '../bench/sweeperBench';
import { benchHttpFuzz, benchUpgradesApi } from '../bench/upgradesApiBench';
import {
  benchUpgradeWave,
  WAVE_CLUSTERS_PER_SUBSCRIPTION,
  type UpgradeWaveBench,
} from '../bench/upgradeWaveBench';
import { benchVersionSupport } from '../bench/versionBench';
import { benchYear } from '../bench/yearBench';
import { createProgress } from './progress';
import { renderTable } from './table';

export const DEFAULT_SIZES = [500, 5000];
const ALLOWED = [500, 5000, 50000];

/** `--sizes 500,5000,50000` (default 500,5000); `--jobs inventory,power,...` to run fewer. */
export function parseBenchArgs(argv: readonly string[]): {
  sizes: number[];
  jobs?: string[];
  year: { clusters: number; days: number; retentionDays: number };
} {
  const value = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith(`${flag}=`))?.slice(flag.length + 1);
  };
  const s = value('--sizes');
  const sizes = s ? s.split(',').map((x) => Number(x.trim())) : DEFAULT_SIZES;
  for (const n of sizes)
    if (!ALLOWED.includes(n)) throw new Error(`--sizes: expected some of ${ALLOWED.join(',')} (got ${n})`);
  const j = value('--jobs');
  const int = (flag: string, fallback: number, min: number, max: number): number => {
    const v = value(flag);
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new Error(`${flag}: expected a whole number from ${min} to ${max} (got "${v}")`);
    return n;
  };
  return {
    sizes,
    jobs: j ? j.split(',').map((x) => x.trim()) : undefined,
    year: {
      clusters: int('--clusters', 5000, 10, 50000),
      days: int('--days', 365, 1, 3650),
      retentionDays: int('--retention', 90, 7, 3650),
    },
  };
}

type Job = { name: string; run: (n: number) => Promise<BenchRow> };
/** `--jobs upgrade-wave`: the unattended patch wave at each size (a row, then its throttling figures). */
const UPGRADE_WAVE = 'upgrade-wave';
/** `--jobs http-api`: POST /api/upgrades latency with 50 clients through serve, and the 10,000-request fuzz (run once). */
const HTTP_API = 'http-api';
/** `--jobs chatops`: ChatOps reply latency with 50 messages at once through serve, and the 10,000-message fuzz (run once). */
const CHATOPS = 'chatops';
/** `--jobs year [--clusters N] [--days N] [--retention N]`: a simulated year of every timer (only when asked: it runs for a long time). */
const YEAR = 'year';

const JOBS: Job[] = [
  { name: 'inventory', run: (n) => benchInventory(n, 'arm') },
  { name: 'inventory', run: (n) => benchInventory(n, 'resource-graph') },
  { name: 'power', run: (n) => benchPowerTick(n, 'quiet', 'resource-graph') },
  { name: 'power', run: (n) => benchPowerTick(n, 'edge', 'arm') },
  { name: 'power', run: (n) => benchPowerTick(n, 'edge', 'resource-graph') },
  { name: 'node-image', run: (n) => benchNodeImage(n, 'resource-graph') },
  { name: 'node-image', run: (n) => benchNodeImage(n, 'arm') },
  { name: 'version', run: (n) => benchVersionSupport(n) },
  { name: 'sweeper', run: (n) => benchSweeper(n) },
  { name: UPGRADE_WAVE, run: (n) => waveRow(n) },
];

/** Throttling figures of the waves measured in this bench, printed after the table. */
const waves: UpgradeWaveBench[] = [];

async function waveRow(clusters: number): Promise<BenchRow> {
  const w = await benchUpgradeWave(
    clusters,
    Math.max(1, Math.round(clusters / WAVE_CLUSTERS_PER_SUBSCRIPTION)),
  );
  waves.push(w);
  return {
    job: 'upgrade wave (patch, every cluster)',
    clusters: w.clusters,
    subscriptions: w.subscriptions,
    armRequests: w.armRequests,
    floor: w.floor,
    wallMs: w.wallMs,
    detail: w.detail,
  };
}

/**
 * `npm run bench [-- --sizes 500,5000,50000] [--jobs inventory,power,node-image,version,sweeper,upgrade-wave]`: every
 * job over generated fleets (10 clusters a subscription) on the simulator, real SDK, Azurite state. Prints
 * figures, asserts nothing: ARM requests (the simulator's counters), the floor (what the job must read and
 * change at the least, docs/performance.md), their ratio, and the wall time.
 */
export async function runBench(out: (line: string) => void, argv: readonly string[] = []): Promise<number> {
  const { sizes, jobs, year: yearOpts } = parseBenchArgs(argv);
  const progress = createProgress();
  out = progress.around(out);
  const rows: string[][] = [];
  const details: string[] = [];
  const chosen = JOBS.filter((j) => !jobs || jobs.includes(j.name));
  if (jobs?.includes(YEAR)) {
    // A line per simulated day: a run takes long, and a stopped one keeps what it measured.
    await year(out, yearOpts, (line) => out(`  ${line}`));
    if (jobs.length === 1) return 0;
  }
  const total = sizes.length * chosen.length;
  for (const [si, n] of sizes.entries())
    for (const [ji, job] of chosen.entries()) {
      progress.update(`bench: ${job.name} at ${n} clusters`, si * chosen.length + ji, total);
      const r = await job.run(n);
      progress.done();
      rows.push([
        r.job,
        String(r.clusters),
        String(r.subscriptions),
        String(r.armRequests),
        String(r.floor),
        (r.armRequests / r.floor).toFixed(2),
        (r.wallMs / 1000).toFixed(1),
      ]);
      details.push(`${r.job} @ ${r.clusters}: ${r.detail}`);
      // Each row as soon as it is measured (a long run that is stopped keeps what it measured).
      out(`  ${rows.at(-1)!.join(' | ')}`);
    }
  out('');
  out(renderTable(['JOB', 'CLUSTERS', 'SUBSCRIPTIONS', 'ARM REQUESTS', 'FLOOR', 'RATIO', 'WALL S'], rows));
  out('');
  out('Requests by operation:');
  for (const d of details) out(`  ${d}`);
  if (waves.length > 0) upgradeWave(out, waves.splice(0));
  if (!jobs || jobs.includes(HTTP_API)) await httpApi(out);
  if (!jobs || jobs.includes(CHATOPS)) await chatops(out);
  return 0;
}

/** A simulated year of every timer: rows per table at each snapshot (docs/retention.md). */
async function year(
  out: (line: string) => void,
  opts: { clusters: number; days: number; retentionDays: number },
  progress: (line: string, day: number) => void,
): Promise<void> {
  out(
    `A simulated year: ${opts.clusters} clusters, ${opts.days} days, a tick an hour (every timer), retention ${opts.retentionDays} days`,
  );
  // Snapshots every 30 days, or every retention period when it is shorter (the plateau shows after one).
  const step = Math.min(30, opts.retentionDays);
  const snapshotDays = Array.from({ length: Math.floor(opts.days / step) }, (_, i) => (i + 1) * step);
  const r = await benchYear({ ...opts, snapshotDays, progress });
  out('');
  out('Rows per table at the end of the day:');
  const tables = [...r.rows.keys()].sort();
  out(
    renderTable(
      ['TABLE', ...r.snapshotDays.map((d) => `DAY ${d}`)],
      [
        ...tables.map((t) => [t, ...r.snapshotDays.map((d) => String(r.rows.get(t)?.get(d) ?? 0))]),
        [
          'all tables',
          ...r.snapshotDays.map((d) =>
            String(tables.reduce((sum, t) => sum + (r.rows.get(t)?.get(d) ?? 0), 0)),
          ),
        ],
      ],
    ),
  );
  const list = (m: Record<string, number>): string =>
    Object.entries(m)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ') || 'none';
  out('');
  out(
    `clusters ${r.clusters} in ${r.subscriptions} subscriptions; ${r.ticks} hourly ticks; ${r.imagesReleased} node images released`,
  );
  out(`job runs: ${list(r.jobRuns)}`);
  out(`job runs that failed (typed error, retried next tick): ${list(r.jobErrors)}`);
  out(`outcomes: ${list(r.outcomes)}`);
  out(
    `cards delivered ${r.cardsDelivered}; Log Analytics rows delivered ${r.rowsDelivered}; ARM requests ${r.armRequests}`,
  );
  out(`wall ${(r.wallMs / 1000).toFixed(0)} s`);
  out('');
}

/** The waves' figures under the simulator's ARM throttling (docs/performance.md). */
function upgradeWave(out: (line: string) => void, measured: UpgradeWaveBench[]): void {
  out('');
  out(
    'Kubernetes upgrades: the unattended patch waves above (kubernetesUpgrade, then the sweeper every 10 virtual minutes) under ARM throttling',
  );
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
        'FLOOR S (token buckets)',
        'WALL S',
        'OF WHICH STARTING S',
      ],
      measured.map((w) => [
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
        (w.floorMs / 1000).toFixed(1),
        (w.wallMs / 1000).toFixed(1),
        (w.startMs / 1000).toFixed(1),
      ]),
    ),
  );
}

/** The HTTP API through `aks-day2 serve`: accept + enqueue latency, and the fuzz (docs/http-api.md). */
async function httpApi(out: (line: string) => void): Promise<void> {
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
}

/** ChatOps through `aks-day2 serve`: reply latency against Teams' limit, and the fuzz (docs/chatops.md). */
async function chatops(out: (line: string) => void): Promise<void> {
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
}
