/**
 * `aks-day2 chaos` / `npm run chaos`: the fault matrix, as a command, on the simulator and Azurite.
 * The app's real jobs (sweeper, power schedule, outbox delivery) run on the virtual clock, a tick every
 * 5 minutes, against:
 * - ARM faults at `faultRate` of every kind (429, 503, answers dropped after ARM accepted, latency);
 * - a process killed at every step boundary of an operation (before and after each write of the
 *   operation store), round robin, on every `killEvery`-th tick; the next tick is a new process;
 * - Teams (503) and Log Analytics (dropped connections) down for 2 hours;
 * - the app down for 24 hours (no tick at all) when the run is 3 days or longer;
 * - duplicate and reordered Event Grid events;
 * - fuzzed tag values (clusters in the fleet) and fuzzed event payloads.
 * It then checks the ground truth (the simulator's own operation log and receivers) against what was
 * due: every edge due carried out once (or recorded Failed), no edge doubled, every card and row
 * delivered once, and no crash.
 */
import { CronExpressionParser } from 'cron-parser';
import { randomUUID } from 'node:crypto';
import { createDeps, type Deps } from '../deps';
import { Day2Error } from '../errors';
import { handleAksEvents } from '../events/handleAksEvents';
import { parseAksEvents } from '../events/parse';
import { startLocalEnvironment, type LocalEnvironment } from '../local/localEnv';
import { simAdmin } from '../local/simAdmin';
import type { Logger } from '../log';
import { shouldPost } from '../notify/card';
import { formatTagError, parseClusterPolicy } from '../policy/tags';
import { runPowerSchedule } from '../power/runPowerSchedule';
import type { RunRecord } from '../records/outcome';
import type { FleetFile } from '../sim/fleet/schema';
import { runSweep } from '../sweeper/runSweep';
import { dyingAt, type KillPoint } from './dying';
import { fuzzEvents, fuzzTags } from './fuzz';

export interface ChaosOptions {
  /** Clusters with a power schedule (ground truth is checked on these). */
  clusters: number;
  /** Extra clusters whose tags are fuzzed. */
  fuzzClusters: number;
  days: number;
  /** Instead of `days`: a shorter window (tests), from `startAt`. */
  hours?: number;
  /** Start of the window (default Monday 2 March 2026, 00:00 UTC). */
  startAt?: string;
  /** Fuzzed tag values and event payloads (each). */
  fuzz: number;
  faultRate: number;
  /** Kill a process on every n-th tick. */
  killEvery: number;
  seed: number;
  /** Use this storage instead of starting Azurite (tests). */
  storageConnectionString?: string;
  progress?: (line: string) => void;
}

export const DEFAULT_CHAOS: ChaosOptions = {
  clusters: 24,
  fuzzClusters: 12,
  days: 4,
  fuzz: 1000,
  faultRate: 0.2,
  killEvery: 5,
  seed: 20261127,
};

export interface ChaosReport {
  ticks: number;
  edgesDue: number;
  notNeeded: number;
  actionsCarriedOut: number;
  failedRecorded: number;
  lost: number;
  doubled: number;
  cardsExpected: number;
  cardsDelivered: number;
  cardsDoubled: number;
  rowsExpected: number;
  rowsDelivered: number;
  rowsDoubled: number;
  kills: number;
  jobErrors: number;
  crashes: number;
  fuzzTags: number;
  fuzzTagProblems: number;
  fuzzEvents: number;
  fuzzEventsRejected: number;
  duplicateEvents: number;
  eventsDoubled: number;
  problems: string[];
}

const START = '2026-03-02T00:00:00Z'; // a Monday, before any daylight-saving change
const TICK_MS = 5 * 60_000;
const ZONES = ['UTC', 'Europe/Paris', 'America/New_York', 'Asia/Tokyo'];
const SUBS = ['c4a05000-0000-4000-8000-000000000001', 'c4a05000-0000-4000-8000-000000000002'];
const IMAGE = 'AKSUbuntu-2204gen2containerd-202602.04.0';
const STOP = '0 19 * * *';
const START_CRON = '30 7 * * *';

/** Every step boundary of an operation's life where a process can die. */
const KILL_POINTS: KillPoint[] = (['start', 'intend', 'submitted', 'finish'] as const).flatMap((method) =>
  (['before', 'after'] as const).map((when) => ({ method, when })),
);

interface Scheduled {
  name: string;
  zone: string;
}

function chaosFleet(o: ChaosOptions): { fleet: FleetFile; scheduled: Scheduled[] } {
  const scheduled: Scheduled[] = [];
  const fuzzed = fuzzTags(o.fuzzClusters, o.seed + 1);
  const clusters = (sub: number) => {
    const out: Array<Record<string, unknown>> = [];
    for (let i = sub; i < o.clusters; i += SUBS.length) {
      const name = `aks-chaos-${String(i).padStart(3, '0')}`;
      const zone = ZONES[i % ZONES.length]!;
      scheduled.push({ name, zone });
      out.push(cluster(name, { 'day2-stop': STOP, 'day2-start': START_CRON, 'day2-timezone': zone }));
    }
    for (let i = sub; i < fuzzed.length; i += SUBS.length)
      out.push(cluster(`aks-fuzz-${String(i).padStart(3, '0')}`, fuzzed[i]!));
    return out;
  };
  const cluster = (name: string, tags: Record<string, string>) => ({
    name,
    location: 'westeurope',
    kubernetesVersion: '1.33.5',
    tags,
    powerState: 'Running',
    pools: [{ name: 'system', count: 1, mode: 'System', nodeImageVersion: IMAGE }],
  });
  return {
    scheduled,
    fleet: {
      subscriptions: SUBS.map((id, s) => ({
        id,
        displayName: `chaos-${s}`,
        resourceGroups: [{ name: 'rg-chaos', clusters: clusters(s) }],
      })),
      locations: {
        westeurope: {
          kubernetesVersions: [{ version: '1.33', patches: ['1.33.5'], isDefault: true }],
          latestNodeImages: [IMAGE],
        },
      },
      throttling: {
        reads: { bucket: 100_000, refillPerSecond: 100_000 },
        writes: { bucket: 100_000, refillPerSecond: 100_000 },
      },
    } as unknown as FleetFile,
  };
}

const quiet: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

export async function runChaos(opts: Partial<ChaosOptions> = {}): Promise<ChaosReport> {
  const o: ChaosOptions = { ...DEFAULT_CHAOS, ...opts };
  const say = o.progress ?? (() => undefined);
  const { fleet, scheduled } = chaosFleet(o);
  const env: LocalEnvironment = await startLocalEnvironment({
    fleet,
    startTime: o.startAt ?? START,
    speed: 0,
    ...(o.storageConnectionString ? { storageConnectionString: o.storageConnectionString } : {}),
  });
  const prefix = `chaos${randomUUID().replace(/-/g, '').slice(0, 10)}`;
  const newProcess = (): Deps =>
    createDeps(env.settings, {
      log: quiet,
      clock: { now: () => env.sim.clock.now() },
      tuning: { retryDelayInMs: 1, maxRetryDelayInMs: 20 },
      tablePrefix: prefix,
      notifier: { teamsPaceMs: 0, deliverOnReport: false },
    });
  const report: ChaosReport = {
    ticks: 0,
    edgesDue: 0,
    notNeeded: 0,
    actionsCarriedOut: 0,
    failedRecorded: 0,
    lost: 0,
    doubled: 0,
    cardsExpected: 0,
    cardsDelivered: 0,
    cardsDoubled: 0,
    rowsExpected: 0,
    rowsDelivered: 0,
    rowsDoubled: 0,
    kills: 0,
    jobErrors: 0,
    crashes: 0,
    fuzzTags: 0,
    fuzzTagProblems: 0,
    fuzzEvents: 0,
    fuzzEventsRejected: 0,
    duplicateEvents: 0,
    eventsDoubled: 0,
    problems: [],
  };
  const runIds = new Set<string>();
  const failure = (what: string, err: unknown): void => {
    if (err instanceof Day2Error) report.jobErrors++;
    else {
      report.crashes++;
      report.problems.push(`${what}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    }
  };
  try {
    const admin = <T>(method: string, path: string, body?: unknown) =>
      simAdmin<T>(env.sim, method, path, body);
    const rate = o.faultRate;
    await admin('POST', '/faults', [
      { type: 'httpStatus', status: 429, retryAfterSeconds: 0, rate },
      { type: 'httpStatus', status: 503, rate },
      { type: 'dropResponse', match: { method: 'POST' }, rate },
      { type: 'latency', ms: 2, rate },
    ]);

    const start = Date.parse(o.startAt ?? START);
    const end = start + (o.hours ?? o.days * 24) * 3_600_000;
    const appDown =
      end - start >= 3 * 86_400_000
        ? { from: start + 2 * 86_400_000, to: start + 3 * 86_400_000 }
        : undefined;
    const receiversDown = start + Math.min(18, Math.floor((end - start) / 7_200_000)) * 3_600_000;
    const ticks: number[] = [];
    let deps = newProcess();
    let n = 0;
    let cooldown = 0;
    for (let t = start; t <= end + 2 * 3_600_000; t += TICK_MS) {
      if (appDown && t >= appDown.from && t < appDown.to) continue;
      env.sim.clock.set(t);
      if (t === receiversDown) {
        await admin('POST', '/teams/outage', { minutes: 120, status: 503 });
        await admin('POST', '/logs/outage', { minutes: 120, status: 'reset' });
      }
      if (t === end) await admin('DELETE', '/faults'); // the last 2 hours: calm, to let everything settle
      ticks.push(t);
      n++;
      try {
        const r = await runSweep(deps);
        for (const run of r.runs) runIds.add(run.runId);
      } catch (err) {
        failure('sweep', err);
      }
      // Every tick runs in a process that dies at the armed kill point if it gets there; after a kill
      // the next `killEvery` ticks run undisturbed (the recovery), then the next point is armed.
      const kill = t < end && cooldown === 0 ? KILL_POINTS[report.kills % KILL_POINTS.length] : undefined;
      if (cooldown > 0) cooldown--;
      if (kill) {
        const dying = dyingAt(deps, kill);
        const outcome = await Promise.race([
          runPowerSchedule(dying.deps).then(
            (run) => ({ run }),
            (err: unknown) => ({ err }),
          ),
          dying.killed.then(() => 'killed' as const),
        ]);
        if (outcome === 'killed') {
          report.kills++;
          cooldown = o.killEvery;
          deps = newProcess(); // the next tick is another process
        } else if ('run' in outcome) runIds.add(outcome.run.runId);
        else failure('power-schedule', outcome.err);
      } else {
        try {
          runIds.add((await runPowerSchedule(deps)).runId);
        } catch (err) {
          failure('power-schedule', err);
        }
      }
      try {
        await deps.notifier.deliverPending();
      } catch (err) {
        failure('outbox', err);
      }
      if (n % 96 === 0) say(`chaos: ${new Date(t).toISOString()} ${report.kills} kills so far`);
    }
    report.ticks = ticks.length;

    // Events: valid ones delivered twice, the second time in reverse order; then the fuzzed payloads.
    const events = scheduled.slice(0, 8).map((c, i) => ({
      id: `chaos-event-${i}-${randomUUID()}`,
      eventType: 'Microsoft.ContainerService.ClusterSupportEnding',
      topic: `/subscriptions/${SUBS[i % SUBS.length]}/resourceGroups/rg-chaos/providers/Microsoft.ContainerService/managedClusters/${c.name}`,
      subject: c.name,
      eventTime: new Date(end).toISOString(),
      dataVersion: '1',
      data: { kubernetesVersion: '1.33.5' },
    }));
    const processed = new Map<string, number>();
    for (const e of [...events, ...[...events].reverse()]) {
      try {
        const r = await handleAksEvents(deps, parseAksEvents(e));
        if (r.run) runIds.add(r.run.runId);
        for (const h of r.handled) {
          if (h.status === 'processed') processed.set(h.id, (processed.get(h.id) ?? 0) + 1);
          if (h.status === 'duplicate') report.duplicateEvents++;
        }
      } catch (err) {
        failure('events', err);
      }
    }
    report.eventsDoubled = [...processed.values()].filter((c) => c > 1).length;
    for (const body of fuzzEvents(o.fuzz, o.seed + 2)) {
      report.fuzzEvents++;
      try {
        const r = await handleAksEvents(deps, parseAksEvents(body));
        if (r.run) runIds.add(r.run.runId);
        report.fuzzEventsRejected += r.run?.outcomes.filter((x) => x.action === 'event-rejected').length ?? 0;
      } catch (err) {
        failure('fuzzed event', err);
      }
    }
    for (const tags of fuzzTags(o.fuzz, o.seed + 3)) {
      report.fuzzTags++;
      try {
        const p = parseClusterPolicy(tags, { defaultTimezone: 'UTC' });
        for (const e of p.errors) {
          const line = formatTagError(e);

          if (/[\u0000-\u001f\u200b]/.test(line) || line.length > 2000) {
            report.fuzzTagProblems++;
            report.problems.push(
              `tag message not bounded or shows invisible characters raw: ${JSON.stringify(line).slice(0, 200)}`,
            );
          }
        }
      } catch (err) {
        report.fuzzTagProblems++;
        failure('fuzzed tags', err);
      }
    }

    // Drain the outbox (receivers are back), a minute of virtual time per pass.
    for (let i = 0; i < 400; i++) {
      const r = await deps.notifier.deliverPending();
      if (r.pending === 0) break;
      env.sim.clock.advance(60_000);
    }

    await checkEdges(env, scheduled, ticks, report);
    await checkDeliveries(env, deps, [...runIds], report);
  } finally {
    await env.close();
  }
  return report;
}

async function checkEdges(
  env: LocalEnvironment,
  scheduled: Scheduled[],
  ticks: number[],
  report: ChaosReport,
): Promise<void> {
  const { operations } = await simAdmin<{
    operations: Array<{ kind: string; clusterKey: string; startMs: number }>;
  }>(env.sim, 'GET', '/operations');
  const { rows } = await simAdmin<{ rows: Array<{ row: Record<string, unknown> }> }>(env.sim, 'GET', '/logs');
  const catchupMs = env.settings.catchupMinutes * 60_000;
  const first = ticks[0]!;
  const last = ticks[ticks.length - 1]!;
  for (const c of scheduled) {
    const ops = operations.filter(
      (op) =>
        op.clusterKey.toLowerCase().endsWith(`/${c.name}`) || op.clusterKey.toLowerCase().endsWith(c.name),
    );
    const edges: Array<{ at: number; action: 'stop' | 'start' }> = [];
    for (const [action, cron] of [
      ['stop', STOP],
      ['start', START_CRON],
    ] as const) {
      const it = CronExpressionParser.parse(cron, { tz: c.zone, currentDate: new Date(first - 1) });
      for (;;) {
        const at = it.next().getTime();
        if (at > last - catchupMs - TICK_MS) break;
        edges.push({ at, action });
      }
    }
    edges.sort((a, b) => a.at - b.at);
    let state: 'Running' | 'Stopped' = 'Running';
    for (const e of edges) {
      if (!ticks.some((t) => t >= e.at && t <= e.at + catchupMs)) continue; // the app was down for the whole catch-up window
      report.edgesDue++;
      const window = ops.filter(
        (op) => op.kind === e.action && op.startMs >= e.at && op.startMs <= e.at + catchupMs + TICK_MS,
      );
      const target = e.action === 'stop' ? 'Stopped' : 'Running';
      if (state === target) {
        report.notNeeded++;
        if (window.length > 0) report.doubled += window.length;
        continue;
      }
      if (window.length === 1) {
        report.actionsCarriedOut++;
        state = target;
      } else if (window.length > 1) {
        report.doubled += window.length - 1;
        report.problems.push(
          `${c.name}: ${e.action} edge ${new Date(e.at).toISOString()} carried out ${window.length} times`,
        );
        state = target;
      } else {
        const failed = rows.some(
          (r) =>
            r.row.Cluster === c.name &&
            r.row.Action === e.action &&
            r.row.Outcome === 'Failed' &&
            Date.parse(String(r.row.TimeGenerated)) >= e.at,
        );
        if (failed) report.failedRecorded++;
        else {
          report.lost++;
          report.problems.push(
            `${c.name}: ${e.action} edge ${new Date(e.at).toISOString()} neither carried out nor recorded Failed`,
          );
        }
      }
    }
  }
}

async function checkDeliveries(
  env: LocalEnvironment,
  deps: Deps,
  runIds: string[],
  report: ChaosReport,
): Promise<void> {
  const cards = new Map<string, number>();
  const rows = new Map<string, number>();
  const { posts } = await simAdmin<{ posts: Array<{ body: unknown }> }>(env.sim, 'GET', '/teams');
  for (const p of posts) {
    const id = /Run (\S+) ·/.exec(JSON.stringify(p.body))?.[1];
    if (id) cards.set(id, (cards.get(id) ?? 0) + 1);
  }
  const { rows: received } = await simAdmin<{ rows: Array<{ row: Record<string, unknown> }> }>(
    env.sim,
    'GET',
    '/logs',
  );
  for (const r of received) {
    const id = (r.row.Details as { rowId?: string } | undefined)?.rowId;
    if (id && r.row.Action !== 'notify-dead-letter') rows.set(id, (rows.get(id) ?? 0) + 1);
  }
  for (const runId of runIds) {
    const run: RunRecord | undefined = await deps.notifier.runs.get(runId);
    if (!run) continue;
    if (shouldPost(run)) {
      report.cardsExpected++;
      const c = cards.get(runId) ?? 0;
      if (c >= 1) report.cardsDelivered++;
      if (c > 1) report.cardsDoubled += c - 1;
      if (c === 0) report.problems.push(`card of run ${runId} never arrived`);
    }
    run.outcomes.forEach((_, i) => {
      report.rowsExpected++;
      const c = rows.get(`${runId}/${i}`) ?? 0;
      if (c >= 1) report.rowsDelivered++;
      if (c > 1) report.rowsDoubled += c - 1;
    });
  }
  if (report.rowsDelivered < report.rowsExpected)
    report.problems.push(`${report.rowsExpected - report.rowsDelivered} row(s) never arrived`);
}

/** The report as a table of figures. */
export function formatChaosReport(r: ChaosReport): string {
  const lines: Array<[string, string | number]> = [
    ['ticks (5 min, virtual)', r.ticks],
    ['edges due', r.edgesDue],
    ['  actions carried out', r.actionsCarriedOut],
    ['  not needed (already in that state)', r.notNeeded],
    ['  failed, recorded Failed', r.failedRecorded],
    ['  lost', r.lost],
    ['  doubled', r.doubled],
    ['processes killed at a step boundary', r.kills],
    ['cards expected / delivered / doubled', `${r.cardsExpected} / ${r.cardsDelivered} / ${r.cardsDoubled}`],
    ['rows expected / delivered / doubled', `${r.rowsExpected} / ${r.rowsDelivered} / ${r.rowsDoubled}`],
    ['events repeated (acknowledged as duplicates) / doubled', `${r.duplicateEvents} / ${r.eventsDoubled}`],
    ['fuzzed event payloads / rejections reported', `${r.fuzzEvents} / ${r.fuzzEventsRejected}`],
    ['fuzzed tag sets / unbounded messages', `${r.fuzzTags} / ${r.fuzzTagProblems}`],
    ['job runs that failed with a typed error (retried next tick)', r.jobErrors],
    ['crashes (untyped errors)', r.crashes],
  ];
  const w = Math.max(...lines.map(([k]) => k.length));
  return [
    ...lines.map(([k, v]) => `${k.padEnd(w)}  ${v}`),
    ...r.problems.slice(0, 20).map((p) => `! ${p}`),
  ].join('\n');
}
