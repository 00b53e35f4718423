/**
 * The upgrade engine's API: what the CLI, the HTTP API, ChatOps, the timer and the sweeper call. Stable:
 * callers depend on these names and types only; the engine behind them is in this folder.
 */
import type { Deps } from '../deps';
import type { Actor } from '../records/outcome';
import { advance } from './engine';
import { UpgradeError } from './errors';
import { toDay2Error } from '../azure/azureError';
import { Day2Error } from '../errors';
import { mapLimit } from '../util/mapLimit';
import { gatherFacts, isUnavailable, type FactsOptions, type UpgradeFacts } from './facts';
import type { RunState, UpgradePlan, UpgradeRequest, UpgradeRun } from './model';
import { isTerminalRun } from './model';
import { newUpgradeRun, planUpgrade, poolsWithSurge } from './plan';
import { surgeVcpus } from './prechecks/capacityChecks';
import { reportRefusal, reportRunEvent } from './report';

export type {
  ForceSpec,
  PreCheckName,
  PreCheckResult,
  PreCheckStatus,
  RunState,
  StepKind,
  StepStatus,
  UpgradePlan,
  UpgradeRequest,
  UpgradeRun,
  UpgradeStep,
} from './model';
export { PRECHECK_NAMES, TERMINAL_RUN_STATES, isTerminalRun } from './model';
export { UpgradeError, type UpgradeErrorKind } from './errors';

/** `requestUpgrade`: a dry run returns the plan; otherwise the run created (state Planned). */
export type RequestResult = { dryRun: true; plan: UpgradePlan } | { dryRun: false; run: UpgradeRun };

/**
 * Starts an upgrade. Reads the cluster, its versions and every pre-check's facts, and plans the run
 * (legs of one minor, steps, pre-checks). A dry run returns that plan. Otherwise: refused with
 * `prechecks-failed` when a pre-check failed that `force` does not override (every failed one listed);
 * `run-in-flight` when the cluster already has a run; else the run is stored and returned (state
 * Planned; `advanceRun` carries it out, and the pre-checks are made again when each leg starts).
 */
export async function requestUpgrade(
  deps: Deps,
  req: UpgradeRequest,
  opts: Pick<FactsOptions, 'regionVersions' | 'quota'> = {},
): Promise<RequestResult> {
  validateRequest(req);
  let facts: UpgradeFacts;
  try {
    facts = await gatherFacts(deps, req, opts);
  } catch (err) {
    if (
      err instanceof Day2Error &&
      (err.code === 'NotFound' || err.code === 'BadRequest') &&
      err.operation !== 'read upgrade facts'
    )
      throw new UpgradeError(err.code === 'NotFound' ? 'unknown-cluster' : 'ambiguous-cluster', err.message, {
        cluster: req.cluster,
        cause: err,
      });
    throw err;
  }
  // In a wave, the quota check sees what the runs it started so far hold, and this run holds its own
  // surge at once if it starts: no await between the check and the hold, so concurrent starts add up.
  const wave = opts.quota;
  if (wave && !isUnavailable(facts.quota))
    facts = { ...facts, quota: wave.view(facts.quota, facts.cluster.subscriptionId) };
  const plan = planUpgrade(facts, req, deps.settings);
  if (req.dryRun) return { dryRun: true, plan };
  if (facts.otherRun) {
    throw new UpgradeError(
      'run-in-flight',
      `${facts.cluster.name} already has upgrade run ${facts.otherRun.id} (${facts.otherRun.state})`,
      { cluster: facts.cluster.id, runId: facts.otherRun.id },
    );
  }
  if (!plan.wouldStart) {
    // Unattended refusals are the timer run's outcomes; a person's refused request is reported at once.
    if (!req.unattended) await reportRefusal(deps, plan, req.requestedBy);
    throw new UpgradeError(
      'prechecks-failed',
      `upgrade of ${facts.cluster.name} refused: ${plan.blocking.map((c) => `${c.check}: ${c.summary}${c.overridable ? ' (force overrides)' : ''}`).join('; ')}`,
      { cluster: facts.cluster.id, prechecks: plan.prechecks.filter((c) => c.status === 'fail') },
    );
  }
  const held = wave?.hold(
    facts.cluster.subscriptionId,
    facts.cluster.location,
    surgeVcpus(poolsWithSurge(facts.pools, req)).need,
  );
  const run = newUpgradeRun(plan, req, deps.clock.now());
  let stored: Awaited<ReturnType<typeof deps.state.upgradeRuns.create>>;
  try {
    stored = await deps.state.upgradeRuns.create(run);
  } catch (err) {
    held?.release();
    throw err;
  }
  if ('inFlight' in stored) {
    held?.release();
    throw new UpgradeError(
      'run-in-flight',
      `${facts.cluster.name} already has upgrade run ${stored.inFlight.id} (${stored.inFlight.state})`,
      { cluster: facts.cluster.id, runId: stored.inFlight.id },
    );
  }
  deps.log.info(
    `upgrade: run ${run.id} on ${run.cluster.name}: ${run.fromVersion} → ${run.toVersion} (${run.legs.length} leg(s), ${run.steps.length} steps) requested by ${req.requestedBy}`,
  );
  return { dryRun: false, run: stored.created };
}

export async function getRun(deps: Pick<Deps, 'state'>, id: string): Promise<UpgradeRun | undefined> {
  return deps.state.upgradeRuns.get(id);
}

export interface ListRunsQuery {
  /** Cluster resource id (compared case-insensitively). */
  cluster?: string;
  state?: RunState;
  maxPageSize?: number;
  continuationToken?: string;
}

export async function listRuns(
  deps: Pick<Deps, 'state'>,
  q: ListRunsQuery = {},
): Promise<{ runs: UpgradeRun[]; continuationToken?: string }> {
  return deps.state.upgradeRuns.list(
    { ...(q.cluster ? { clusterId: q.cluster } : {}), ...(q.state ? { state: q.state } : {}) },
    { maxPageSize: q.maxPageSize, continuationToken: q.continuationToken },
  );
}

/** The run, still going: unknown and ended runs are refused (what cancel and approve act on). */
async function mustGetOpen(deps: Pick<Deps, 'state'>, id: string): Promise<UpgradeRun> {
  const run = await deps.state.upgradeRuns.get(id);
  if (!run) throw new UpgradeError('unknown-run', `no upgrade run ${id}`, { runId: id });
  if (isTerminalRun(run.state))
    throw new UpgradeError('run-ended', `run ${id} has already ended (${run.state})`, {
      runId: id,
      cluster: run.cluster.id,
    });
  return run;
}

/**
 * Cancels a run: no further step is submitted. A step AKS is carrying out is not interrupted (AKS cannot
 * be asked to stop an upgrade half way); the run ends Cancelled once it is settled.
 */
export async function cancelRun(deps: Deps, id: string, actor: Actor): Promise<UpgradeRun> {
  for (;;) {
    const run = await mustGetOpen(deps, id);
    const saved = await deps.state.upgradeRuns.save({
      ...run,
      cancelledBy: actor,
      updatedAt: deps.clock.now().toISOString(),
    });
    if (!saved) continue; // changed meanwhile: read again
    deps.log.info(`upgrade: run ${id} on ${run.cluster.name} cancelled by ${actor}`);
    return (await advance(deps, saved)) ?? saved;
  }
}

/** Approves a run awaiting approval; the approver must not be the one who requested it (four eyes). */
export async function approveRun(deps: Deps, id: string, actor: Actor): Promise<UpgradeRun> {
  for (;;) {
    const run = await mustGetOpen(deps, id);
    if (run.state !== 'AwaitingApproval')
      throw new UpgradeError('not-awaiting-approval', `run ${id} is not awaiting approval (${run.state})`, {
        runId: id,
        cluster: run.cluster.id,
      });
    if (actor.toLowerCase() === run.requestedBy.toLowerCase())
      throw new UpgradeError(
        'four-eyes',
        `run ${id} was requested by ${actor}; another person must approve it`,
        { runId: id, cluster: run.cluster.id },
      );
    const saved = await deps.state.upgradeRuns.save({
      ...run,
      approvedBy: actor,
      updatedAt: deps.clock.now().toISOString(),
    });
    if (!saved) continue;
    await reportRunEvent(deps, saved, 'approved');
    return (await advance(deps, saved)) ?? saved;
  }
}

/**
 * Carries the run as far as it can go now: settles the step AKS is carrying out, submits the next one,
 * makes the next leg's pre-checks; returns when it must wait (AKS busy, approval, a pool rolling) or the
 * run ended. Safe to call at any time, from anywhere, any number of times at once (the sweeper each
 * minute, an event, a worker): each step is submitted at most once. Undefined for an unknown run.
 */
export async function advanceRun(deps: Deps, id: string): Promise<UpgradeRun | undefined> {
  const run = await deps.state.upgradeRuns.get(id);
  if (!run) return undefined;
  return (await advance(deps, run)) ?? (await deps.state.upgradeRuns.get(id));
}

/** Advances every run that has not ended (the sweeper and the timer call this). */
export async function advanceActiveRuns(deps: Deps): Promise<UpgradeRun[]> {
  const runs = await deps.state.upgradeRuns.active();
  const advanced = await mapLimit(runs, ADVANCE_CONCURRENCY, async (run) => {
    try {
      return await advance(deps, run);
    } catch (err) {
      // One run that cannot be advanced now (storage) never holds the others up; the next pass retries it.
      const e = toDay2Error(err, { cluster: run.cluster.name, operation: `advance upgrade run ${run.id}` });
      deps.log.error(`upgrade: run ${run.id} not advanced: ${e.message}`);
      return run;
    }
  });
  return advanced.filter((r): r is UpgradeRun => r !== undefined);
}

/** Runs advanced at most this many at a time (each a few ARM reads; ARM throttles per subscription). */
export const ADVANCE_CONCURRENCY = 32;

function validateRequest(req: UpgradeRequest): void {
  const bad = (field: string, why: string): never => {
    throw new UpgradeError('bad-request', `${field}: ${why}`);
  };
  if (typeof req.cluster !== 'string' || req.cluster.trim() === '' || req.cluster.length > 600)
    bad('cluster', 'a cluster resource id or name is required (at most 600 characters)');
  if (req.to !== undefined && (typeof req.to !== 'string' || req.to.length > 40))
    bad('to', 'expected x.y.z, latest-patch or next-minor');
  if (req.maxSurge !== undefined && !/^([1-9]\d{0,2})%?$/.test(req.maxSurge))
    bad('maxSurge', 'expected a node count N or a percentage N% (1-999)');
  if (req.maxSurge?.endsWith('%') && Number(req.maxSurge.slice(0, -1)) > 100)
    bad('maxSurge', 'a percentage is at most 100%');
  if (req.pools !== undefined) {
    if (!Array.isArray(req.pools) || req.pools.length === 0 || req.pools.length > 100)
      bad('pools', 'a list of 1 to 100 pool names');
    for (const p of req.pools)
      if (!/^[a-z][a-z0-9]{0,11}$/.test(p)) bad('pools', `"${p.slice(0, 20)}" is not a pool name`);
  }
  if (!absentOrIntIn(req.drainTimeoutInMinutes, 5, 1440))
    bad('drainTimeoutInMinutes', 'an integer from 5 to 1440');
  if (!absentOrIntIn(req.nodeSoakDurationInMinutes, 0, 30))
    bad('nodeSoakDurationInMinutes', 'an integer from 0 to 30');
  if (
    req.undrainableNodeBehavior !== undefined &&
    !['Cordon', 'Schedule'].includes(req.undrainableNodeBehavior)
  )
    bad('undrainableNodeBehavior', 'Cordon or Schedule');
  if (req.nodeImageOnly && req.to !== undefined) bad('to', 'not with nodeImageOnly');
}

/** True when `v` is not given, or is a whole number from `min` to `max`. */
function absentOrIntIn(v: number | undefined, min: number, max: number): boolean {
  return v === undefined || (Number.isInteger(v) && v >= min && v <= max);
}
