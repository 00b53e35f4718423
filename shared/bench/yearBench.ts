import { TableServiceClient } from '@azure/data-tables';
import { performance } from 'node:perf_hooks';
import { forwardAuditRows } from '../audit/auditTrail';
import { createDeps, type Deps } from '../deps';
import { Day2Error } from '../errors';
import { runHousekeeping } from '../housekeeping/runHousekeeping';
import { simAdmin } from '../local/simAdmin';
import { silentLogger } from '../log';
import { runNodeImage } from '../nodeimage/runNodeImage';
import { runPowerSchedule } from '../power/runPowerSchedule';
import { isLoopbackStorage, tableClient } from '../storage/tables';
import { runSweep } from '../sweeper/runSweep';
import { runKubernetesUpgrade } from '../upgrades/runKubernetesUpgrade';
import { runVersionSupport } from '../versions/runVersionSupport';
import { startBenchEnv } from './benchEnv';

/** How the simulated year runs (`npm run bench -- --jobs year [--clusters N] [--days N]`). */
export interface YearOptions {
  clusters: number;
  days: number;
  /** DAY2_RETENTION_DAYS of the simulated app (default 90). */
  retentionDays?: number;
  /** Rows per table are counted at the end of each of these days (and at the last). */
  snapshotDays: number[];
  /** One line per simulated day. */
  progress?: (line: string, day: number) => void;
}

export interface YearReport {
  clusters: number;
  subscriptions: number;
  days: number;
  ticks: number;
  retentionDays: number;
  /** Table → rows at each snapshot day. */
  rows: Map<string, Map<number, number>>;
  snapshotDays: number[];
  jobRuns: Record<string, number>;
  /** Job runs that ended in a typed error (the next tick retries), by job. */
  jobErrors: Record<string, number>;
  /** Outcomes by outcome over the year (every job). */
  outcomes: Record<string, number>;
  imagesReleased: number;
  cardsDelivered: number;
  rowsDelivered: number;
  armRequests: number;
  wallMs: number;
}

/** A Monday, after the bench fleet's node images: a year of Mondays-to-Fridays from there. */
const START = '2026-10-05T00:30:00Z';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
export const YEAR_RETENTION_DAYS = 90;
const IMAGE_FAMILY = 'AKSUbuntu-2204gen2containerd';

/** Rows of every table in the storage account, by table (every row counted, only keys read). */
async function rowsPerTable(connection: string): Promise<Map<string, number>> {
  const service = TableServiceClient.fromConnectionString(connection, {
    allowInsecureConnection: isLoopbackStorage(connection),
  });
  const out = new Map<string, number>();
  for await (const t of service.listTables()) {
    if (!t.name) continue;
    const client = tableClient(connection, t.name);
    let n = 0;
    for await (const page of client
      .listEntities({ queryOptions: { select: ['PartitionKey'] } })
      .byPage({ maxPageSize: 1000 }))
      n += page.length;
    out.set(t.name, n);
  }
  return out;
}

const count = (m: Record<string, number>, k: string, by = 1): void => {
  m[k] = (m[k] ?? 0) + by;
};

/**
 * A simulated year of the app's timers over a generated fleet (virtual clock, a tick an hour at hh:30, every
 * job the app runs on a timer): each hour the sweeper, the power schedule, the node-image job, the Kubernetes
 * upgrade job and the outbox delivery; each day at 03:30 the housekeeping pass and at 06:30 the version-support
 * check. AKS releases a node image on the 1st of each month. The maintenance window is 01:00-05:00 UTC daily;
 * retention is `DAY2_RETENTION_DAYS` (90 unless `retentionDays`). The receivers' records are counted and cleared each day (the
 * simulator keeps what it received in memory). At each snapshot day the rows of every table are counted:
 * state is bounded when they stop growing once the retention window is full.
 */
export async function benchYear(opts: YearOptions): Promise<YearReport> {
  const say = opts.progress ?? (() => undefined);
  const retentionDays = opts.retentionDays ?? YEAR_RETENTION_DAYS;
  const b = await startBenchEnv(opts.clusters, {
    startTime: START,
    env: {
      DAY2_DISCOVERY: 'resource-graph',
      DAY2_MAINTENANCE_WINDOW: 'daily 01:00-05:00 UTC',
      DAY2_RETENTION_DAYS: String(retentionDays),
    },
  });
  const t0 = performance.now();
  const connection = b.env.env.AzureWebJobsStorage!;
  const deps: Deps = createDeps(b.env.settings, {
    log: silentLogger,
    clock: { now: () => b.env.sim.clock.now() },
    notifier: { teamsPaceMs: 0, deliverOnReport: false },
  });
  const report: YearReport = {
    clusters: opts.clusters,
    subscriptions: 0,
    days: opts.days,
    ticks: 0,
    retentionDays,
    rows: new Map(),
    snapshotDays: [],
    jobRuns: {},
    jobErrors: {},
    outcomes: {},
    imagesReleased: 0,
    cardsDelivered: 0,
    rowsDelivered: 0,
    armRequests: 0,
    wallMs: 0,
  };
  const job = async (
    name: string,
    f: () => Promise<{ outcomes: ReadonlyArray<{ outcome: string }> } | void>,
  ) => {
    try {
      const run = await f();
      count(report.jobRuns, name);
      for (const o of run?.outcomes ?? []) count(report.outcomes, o.outcome);
    } catch (err) {
      // A typed error is a job that failed this tick (the next one retries); anything else is a defect.
      if (!(err instanceof Day2Error)) throw err;
      count(report.jobErrors, name);
    }
  };
  const receivers = async (): Promise<void> => {
    const teams = await simAdmin<{ posts?: unknown[] }>(b.env.sim, 'GET', '/teams');
    const logs = await simAdmin<{ rows?: unknown[] }>(b.env.sim, 'GET', '/logs');
    report.cardsDelivered += teams.posts?.length ?? 0;
    report.rowsDelivered += logs.rows?.length ?? 0;
    await simAdmin(b.env.sim, 'DELETE', '/teams');
    await simAdmin(b.env.sim, 'DELETE', '/logs');
  };
  const snapshots = [...new Set([...opts.snapshotDays.filter((d) => d < opts.days), opts.days])].sort(
    (x, y) => x - y,
  );
  try {
    await b.resetCounters();
    const start = Date.parse(START);
    for (let day = 0; day < opts.days; day++) {
      for (let h = 0; h < 24; h++) {
        const t = start + day * DAY + h * HOUR;
        b.env.sim.clock.set(t);
        const at = new Date(t);
        if (at.getUTCDate() === 1 && at.getUTCHours() === 0) {
          const month = `${at.getUTCFullYear()}${String(at.getUTCMonth() + 1).padStart(2, '0')}`;
          await simAdmin(b.env.sim, 'POST', '/images', { image: `${IMAGE_FAMILY}-${month}.01.0` });
          report.imagesReleased++;
        }
        report.ticks++;
        await job('upgradeSweeper', async () => (await runSweep(deps)).run);
        await job('powerSchedule', () => runPowerSchedule(deps));
        await job('nodeImageUpgrade', async () => (await runNodeImage(deps)).run);
        await job('kubernetesUpgrade', async () => (await runKubernetesUpgrade(deps)).run);
        if (at.getUTCHours() === 3) await job('housekeeping', async () => void (await runHousekeeping(deps)));
        if (at.getUTCHours() === 6)
          await job('versionSupport', async () => (await runVersionSupport(deps)).run);
        await job('outboxDelivery', async () => {
          await forwardAuditRows(deps);
          await deps.notifier.deliverPending();
        });
      }
      await receivers();
      const done = day + 1;
      say(
        `year: day ${done}/${opts.days}, ${report.ticks} ticks, ${((performance.now() - t0) / 1000).toFixed(0)} s`,
        done,
      );
      if (snapshots.includes(done)) {
        report.snapshotDays.push(done);
        for (const [table, n] of await rowsPerTable(connection)) {
          const row = report.rows.get(table) ?? new Map<number, number>();
          row.set(done, n);
          report.rows.set(table, row);
        }
      }
    }
    const c = await b.counters();
    report.armRequests = c.total;
    report.subscriptions = b.env.sim.subscriptions.length;
    report.wallMs = performance.now() - t0;
    return report;
  } finally {
    await b.close();
  }
}
