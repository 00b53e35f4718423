/**
 * `aks-day2 chaos` / `npm run chaos`: the fault matrix, as a command, on the simulator and Azurite.
 * The app's real jobs run on the virtual clock, a tick every 5 minutes: the sweeper, the Event Grid
 * deliveries, the power schedule, the outbox delivery; the node-image job at :00 and the unattended
 * Kubernetes upgrade job at :30, as their hourly timers do. Against:
 * - ARM faults at `faultRate` of every kind (429, 503, answers dropped after ARM accepted a POST or a
 *   PUT, latency) and AKS failing one node-image and one Kubernetes upgrade operation;
 * - a process killed at every step boundary of an operation (before and after each write of the
 *   operation store), round robin, whichever job reaches it first, then `killEvery` ticks undisturbed;
 *   the next tick is a new process;
 * - Teams (503) and Log Analytics (dropped connections) down for 2 hours;
 * - the app down for 24 hours (no tick at all) when the run is 3 days or longer;
 * - the simulator's AKS events (pools rolling) delivered twice and reordered, `ClusterSupportEnding`
 *   events delivered twice;
 * - fuzzed tag values (clusters in the fleet) and fuzzed event payloads.
 * It then checks the ground truth (the simulator's operation log, PUT counts, clusters and receivers)
 * against what was due: every power edge carried out once (or recorded Failed), every pool due on the
 * latest image with one operation (or recorded Failed), every upgrade run ended with no PUT sent twice,
 * every card and row delivered once, and no crash.
 */
import { randomUUID } from 'node:crypto';
import { createDeps, type Deps } from '../deps';
import { Day2Error } from '../errors';
import { handleAksEvents } from '../events/handleAksEvents';
import { parseAksEvents } from '../events/parse';
import { startLocalEnvironment, type LocalEnvironment } from '../local/localEnv';
import { simAdmin } from '../local/simAdmin';
import { silentLogger } from '../log';
import { runNodeImage } from '../nodeimage/runNodeImage';
import { formatTagError, parseClusterPolicy } from '../policy/tags';
import { runPowerSchedule } from '../power/runPowerSchedule';
import { runSweep } from '../sweeper/runSweep';
import { prng } from '../util/prng';
import { isTerminalRun, type UpgradeRun } from '../upgrades/model';
import { runKubernetesUpgrade } from '../upgrades/runKubernetesUpgrade';
import { chaosFleet, FROM_VERSION, RG, SUBS } from './chaosFleet';
import { checkDeliveries } from './checkDeliveries';
import { checkNodeImage } from './checkNodeImage';
import { checkPower } from './checkPower';
import { checkUpgrades } from './checkUpgrades';
import { dyingAt, type KillPoint } from './dying';
import { EventRelay } from './eventRelay';
import { fuzzEvents, fuzzTags } from './fuzz';
import { readGroundTruth } from './groundTruth';
import { emptyReport, type ChaosReport } from './report';

export { formatChaosReport, invariantsHeld, type ChaosReport } from './report';

export interface ChaosOptions {
  /** Clusters with a power schedule (ground truth is checked on these). */
  clusters: number;
  /** Clusters whose pools are due to a new node image (`day2-node-image=auto`, rings 0 and 1). */
  imageClusters: number;
  /** Clusters due to a new patch (`day2-upgrade=patch`, rings 0 and 1). */
  upgradeClusters: number;
  /** Extra clusters whose tags are fuzzed. */
  fuzzClusters: number;
  days: number;
  /** Instead of `days`: a shorter window (tests), from `startAt`. */
  hours?: number;
  /** Start of the window (default Monday 2 March 2026, 00:00 UTC). */
  startAt?: string;
  /** `DAY2_MAINTENANCE_WINDOW` of the node-image and upgrade jobs. */
  window: string;
  /** `DAY2_RING_SOAK_HOURS`. */
  soakHours: number;
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
  imageClusters: 8,
  upgradeClusters: 6,
  fuzzClusters: 12,
  days: 4,
  window: 'daily 01:00-05:00',
  soakHours: 12,
  fuzz: 1000,
  faultRate: 0.2,
  killEvery: 2,
  seed: 20261127,
};

const START = '2026-03-02T00:00:00Z'; // a Monday, before any daylight-saving change
const TICK_MS = 5 * 60_000;

/** Every step boundary of an operation's life where a process can die, armed one after the other. */
const KILL_POINTS: KillPoint[] = (['start', 'intend', 'submitted', 'finish'] as const).flatMap((method) =>
  (['before', 'after'] as const).map((when) => ({ method, when })),
);
/** Armed on every tick (recovery ticks too): just after an upgrade run's end is stored, before it is reported. */
const RUN_END: KillPoint = {
  store: 'upgradeRuns',
  method: 'save',
  when: 'after',
  match: (args) => isTerminalRun((args[0] as UpgradeRun).state),
  label: 'upgrade run end stored',
};
/** A point no job reached in this many ticks gives way to the next one. */
const ARMED_TICKS = 48;
/** Ticks after the run at most, for what is still in flight to end. */
const SETTLE_TICKS = 48;

type Job = [name: string, run: (deps: Deps) => Promise<unknown>];

export async function runChaos(opts: Partial<ChaosOptions> = {}): Promise<ChaosReport> {
  const o: ChaosOptions = { ...DEFAULT_CHAOS, ...opts };
  const began = Date.now();
  const say = o.progress ?? (() => undefined);
  const { fleet, scheduled, imaged, upgraded } = chaosFleet(o);
  const env: LocalEnvironment = await startLocalEnvironment({
    fleet,
    startTime: o.startAt ?? START,
    speed: 0,
    random: prng(o.seed),
    env: {
      // Every run's own card is checked for delivery, so routine runs post each (no daily digest).
      DAY2_TEAMS_ROUTINE: 'each',
      DAY2_MAINTENANCE_WINDOW: o.window,
      DAY2_RING_SOAK_HOURS: String(o.soakHours),
    },
    ...(o.storageConnectionString ? { storageConnectionString: o.storageConnectionString } : {}),
  });
  const prefix = `chaos${randomUUID().replace(/-/g, '').slice(0, 10)}`;
  const tuning = { retryDelayInMs: 1, maxRetryDelayInMs: 20 };
  const newProcess = (): Deps =>
    createDeps(env.settings, {
      log: silentLogger,
      clock: { now: () => env.sim.clock.now() },
      tuning,
      tablePrefix: prefix,
      notifier: { teamsPaceMs: 0, deliverOnReport: false },
    });
  const report = emptyReport();
  const runIds: string[] = [];
  const addRun = (id: string) => void runIds.push(id);
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
      { type: 'dropResponse', match: { method: 'PUT' }, rate },
      { type: 'latency', ms: 2, rate },
    ]);
    const relay = new EventRelay(env);

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
    let lastKilled = '';
    let armed = 0;
    let armedTicks = 0;
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
      const minute = new Date(t).getUTCMinutes();
      const jobs: Job[] = [
        ['sweep', async (d) => (await runSweep(d)).runs.forEach((r) => addRun(r.runId))],
        ['events', (d) => relay.deliver(d, addRun)],
        ['power-schedule', async (d) => addRun((await runPowerSchedule(d)).runId)],
        ...(minute === 0
          ? [['node-image', async (d: Deps) => addRun((await runNodeImage(d)).run.runId)] as Job]
          : []),
        ...(minute === 30
          ? [['upgrade', async (d: Deps) => addRun((await runKubernetesUpgrade(d)).run.runId)] as Job]
          : []),
        ['outbox', (d) => d.notifier.deliverPending()],
      ];
      // The tick's process dies at the armed kill point if one of its jobs gets there (any job but the
      // one killed last, so an hourly job is not killed on every run); after a kill the next `killEvery`
      // ticks run undisturbed (the recovery), then the next point is armed.
      const point = t < end && cooldown === 0 ? KILL_POINTS[armed % KILL_POINTS.length] : undefined;
      if (cooldown > 0) cooldown--;
      else if (++armedTicks > ARMED_TICKS) {
        armed++;
        armedTicks = 0;
      }
      // The job killed last is spared the armed point (not the end of a run).
      const proc = t < end ? dyingAt(deps, point ? [point, RUN_END] : [RUN_END], tuning) : undefined;
      const spared = t < end && point ? dyingAt(deps, [RUN_END], tuning) : proc;
      for (const [name, job] of jobs) {
        const mortal = name === lastKilled ? spared : proc;
        const outcome = await Promise.race([
          job(mortal?.deps ?? deps).then(
            () => 'done' as const,
            (err: unknown) => ({ err }),
          ),
          ...(mortal ? [mortal.killed.then(() => 'killed' as const)] : []),
        ]);
        if (outcome === 'killed') {
          report.kills++;
          const at = mortal!.at() ?? RUN_END;
          report.killLog.push(
            `${new Date(t).toISOString()} ${name} at ${at.label ?? `${at.method} (${at.when})`}`,
          );
          if (at === point) {
            armed++;
            armedTicks = 0;
          }
          lastKilled = name;
          cooldown = o.killEvery;
          deps = newProcess(); // the next tick is another process
          break;
        }
        if (outcome !== 'done') failure(name, outcome.err);
      }
      if (n % 96 === 0) say(`chaos: ${new Date(t).toISOString()} ${report.kills} kills so far`);
    }
    // Settle: what a job started in the last ticks (a window that opened in the calm hours) runs to its
    // end, with the sweeper and the events recording it; nothing new is started.
    let settleTicks = 0;
    for (let i = 0; i < SETTLE_TICKS; i++) {
      const [inFlight, active] = await Promise.all([
        deps.state.operations.inFlight(),
        deps.state.upgradeRuns.active(),
      ]);
      if (inFlight.length === 0 && active.length === 0) break;
      env.sim.clock.advance(TICK_MS);
      settleTicks++;
      for (const [name, job] of [
        ['sweep', async (d: Deps) => (await runSweep(d)).runs.forEach((r) => addRun(r.runId))],
        ['events', (d: Deps) => relay.deliver(d, addRun)],
        ['outbox', (d: Deps) => d.notifier.deliverPending()],
      ] as Job[])
        await job(deps).catch((err: unknown) => failure(name, err));
    }
    report.ticks = ticks.length + settleTicks;

    // Support events: valid ones delivered twice, the second time in reverse order; then the fuzzed payloads.
    const events = scheduled.slice(0, 8).map((c, i) => ({
      id: `chaos-event-${i}-${randomUUID()}`,
      eventType: 'Microsoft.ContainerService.ClusterSupportEnding',
      topic: `/subscriptions/${SUBS[i % SUBS.length]}/resourceGroups/${RG}/providers/Microsoft.ContainerService/managedClusters/${c.name}`,
      subject: c.name,
      eventTime: new Date(end).toISOString(),
      dataVersion: '1',
      data: { kubernetesVersion: FROM_VERSION },
    }));
    for (const e of [...events, ...[...events].reverse()]) {
      try {
        const r = await handleAksEvents(deps, parseAksEvents(e));
        if (r.run) addRun(r.run.runId);
        for (const h of r.handled) {
          if (h.status === 'processed') relay.processed.set(h.id, (relay.processed.get(h.id) ?? 0) + 1);
          if (h.status === 'duplicate') report.duplicateEvents++;
        }
      } catch (err) {
        failure('events', err);
      }
    }
    // AKS events still owed (a delivery failed on the last tick): delivered now.
    try {
      await relay.deliver(deps, addRun);
    } catch (err) {
      failure('events', err);
    }
    report.aksEvents = relay.delivered / 2;
    report.duplicateEvents += relay.duplicates;
    report.eventsDoubled = [...relay.processed.values()].filter((c) => c > 1).length;
    for (const body of fuzzEvents(o.fuzz, o.seed + 2)) {
      report.fuzzEvents++;
      try {
        const r = await handleAksEvents(deps, parseAksEvents(body));
        if (r.run) addRun(r.run.runId);
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

    const truth = await readGroundTruth(env);
    checkPower(truth, scheduled, ticks, env.settings.catchupMinutes * 60_000, TICK_MS, report);
    checkNodeImage(truth, imaged, report);
    const runs = await checkUpgrades(deps, truth, upgraded, report);
    // An upgrade run reports its end under its own id: every run that ended owes its card and rows.
    const ended = runs.filter((r) => isTerminalRun(r.state)).map((r) => r.id);
    await checkDeliveries(env, deps, truth, runIds, report, ended);
  } finally {
    await env.close();
  }
  report.seconds = Math.round((Date.now() - began) / 1000);
  return report;
}
