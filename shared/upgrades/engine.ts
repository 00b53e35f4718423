import { randomUUID } from 'node:crypto';
import { toDay2Error } from '../azure/azureError';
import type { Deps } from '../deps';
import type { Day2Error } from '../errors';
import { readIsFresh } from '../fleet/freshness';
import { gatherFactsOf } from './facts';
import type { RunState, StepKind, UpgradeRun, UpgradeStep } from './model';
import { isTerminalRun } from './model';
import { legPreChecks, poolsWithSurge } from './plan';
import { blockingChecks } from './prechecks';
import { reportRunEvent } from './report';
import {
  acquire,
  LEASE_MS,
  readOperationStatus,
  recoverPending,
  release,
  settle,
  type ObservedState,
  type SubmitOptions,
  submit,
} from '../operations/lifecycle';
import {
  isOperationStep,
  readStepResource,
  sendStep,
  stepOperation,
  type OperationStepKind,
  type StepResource,
  type StepVerdict,
} from './stepOperation';

/**
 * Named points between the engine's durable writes and its requests to AKS. A test makes the process
 * "die" at one (the hook throws) and resumes the run in a fresh process, to prove nothing is sent twice.
 */
export type CrashPoint =
  | 'step-claimed' // the step's operation id is stored in the run; nothing asked of AKS yet
  | 'lock-taken' // the cluster's lock is taken; nothing asked of AKS yet
  | 'request-accepted' // AKS accepted the request; its poller is not stored yet
  | 'poller-stored' // the poller is stored; the run does not know the step ended
  | 'step-ended'; // the step's end is stored in the run; the next step not started

export interface EngineHooks {
  /** Called at each point; a test makes the process "die" there by never resolving. */
  at?(point: CrashPoint, step: UpgradeStep): void | Promise<void>;
}

let hooks: EngineHooks = {};
/** Test seam: install crash hooks (returns a function that removes them). */
export function setEngineHooks(h: EngineHooks): () => void {
  hooks = h;
  return () => {
    hooks = {};
  };
}

const STATE_OF: Record<StepKind, RunState> = {
  wake: 'Starting',
  'pre-checks': 'PreChecks',
  approval: 'AwaitingApproval',
  'control-plane': 'ControlPlane',
  pool: 'NodePools',
  'node-image': 'NodePools',
  'post-checks': 'PostChecks',
  sleep: 'Stopping',
};

/** A step AKS is carrying out; steps after it wait. */
type Outcome = { next: 'continue'; run: UpgradeRun } | { next: 'wait'; run: UpgradeRun; dirty: boolean };

const MAX_STEPS_PER_ADVANCE = 64;

const retryLater = (e: Day2Error): boolean =>
  e.code === 'Conflict' || e.code === 'Throttled' || e.code === 'AzureUnavailable';

const nowIso = (deps: Pick<Deps, 'clock'>) => deps.clock.now().toISOString();

function withStep(run: UpgradeRun, i: number, patch: Partial<UpgradeStep>): UpgradeRun {
  const steps = run.steps.map((s, j) => (j === i ? { ...s, ...patch } : s));
  return { ...run, steps };
}

/** A change on AKS was made by this run (its state is no longer what it was before the run). */
const changedSomething = (run: UpgradeRun): boolean =>
  run.steps.some(
    (s) =>
      (s.kind === 'control-plane' || s.kind === 'pool' || s.kind === 'node-image') &&
      (s.status === 'Succeeded' ||
        (s.status === 'Failed' && s.operationId !== undefined && s.kind !== 'control-plane')),
  );

/**
 * Ends the run (Failed when nothing was changed yet, Halted when it was, Cancelled when asked). Steps
 * not carried out are Skipped; a cluster the run started is still stopped again (its `sleep` step stays).
 */
function ending(run: UpgradeRun, kind: 'failed' | 'cancelled', reason: string, now: string): UpgradeRun {
  const state: RunState = kind === 'cancelled' ? 'Cancelled' : changedSomething(run) ? 'Halted' : 'Failed';
  const woke = run.steps.some((s) => s.kind === 'wake' && s.status === 'Succeeded');
  const steps = run.steps.map((s) =>
    s.status === 'Pending' && !(s.kind === 'sleep' && woke)
      ? {
          ...s,
          status: 'Skipped' as const,
          reason: `not carried out: the run ${state === 'Cancelled' ? 'was cancelled' : 'stopped'}`,
        }
      : s,
  );
  const pendingSleep = steps.some((s) => s.kind === 'sleep' && s.status === 'Pending');
  return {
    ...run,
    steps,
    reason,
    ...(pendingSleep ? { ending: state } : { state, finishedAt: now }),
    updatedAt: now,
  };
}

/**
 * Carries a run forward as far as it can go now. Each transition is stored (ETag-conditional) before the
 * next request to AKS, so a crash at any point resumes where it stopped; a step whose operation id is
 * stored is never submitted again unless ARM shows AKS never got it. Returns the run as stored, or
 * undefined when another advancer changed it meanwhile (that one carries it on).
 */
export async function advance(deps: Deps, start: UpgradeRun): Promise<UpgradeRun | undefined> {
  // Ended, but the process that ended it died before reporting it: reported now, once.
  if (isTerminalRun(start.state) && start.endReported === false) return ended(deps, start);
  let run = start;
  for (let n = 0; n < MAX_STEPS_PER_ADVANCE; n++) {
    if (isTerminalRun(run.state)) return run;
    const i = run.steps.findIndex((s) => s.status === 'Pending' || s.status === 'Running');
    if (i < 0) {
      const final: RunState = run.ending ?? 'Succeeded';
      const saved = await saveRun(deps, {
        ...run,
        state: final,
        finishedAt: nowIso(deps),
        updatedAt: nowIso(deps),
        progress: { step: run.steps.length, steps: run.steps.length },
      });
      if (!saved) return undefined;
      return ended(deps, saved);
    }
    const step = run.steps[i]!;
    if (run.cancelledBy && !run.ending && !(step.status === 'Running' && isOperationStep(step))) {
      const saved = await saveRun(
        deps,
        ending(run, 'cancelled', `cancelled by ${run.cancelledBy}`, nowIso(deps)),
      );
      if (!saved) return undefined;
      run = isTerminalRun(saved.state) ? await ended(deps, saved) : saved;
      continue;
    }
    let out: Outcome;
    try {
      out = await carryOut(deps, run, i);
    } catch (err) {
      const e = toDay2Error(err, { cluster: run.cluster.name, operation: `upgrade step ${step.kind}` });
      if (e.code === 'StorageFailed' || e.code === 'Internal') throw e;
      // AKS busy, throttling or unavailable beyond the SDK's retries, or ARM refused a read: the step
      // waits; the next advance (sweeper, event) tries again.
      const line = `upgrade: run ${run.id}: step ${step.kind}${step.pool ? ` ${step.pool}` : ''} could not be carried out now: ${e.message}`;
      if (retryLater(e)) deps.log.warn(line);
      else deps.log.error(line);
      return run;
    }
    if (out.next === 'wait') {
      if (!out.dirty) return out.run;
      return (await deps.state.upgradeRuns.save(out.run)) ?? undefined;
    }
    const saved = await saveRun(deps, { ...out.run, updatedAt: nowIso(deps) });
    if (!saved) return undefined;
    const reported = isTerminalRun(saved.state) ? await ended(deps, saved) : saved;
    await hooks.at?.('step-ended', saved.steps[i]!);
    run = reported;
  }
  return run;
}

/** Stores the run; the write that ends it also records that its end is not reported yet. */
function saveRun(deps: Deps, run: UpgradeRun): Promise<UpgradeRun | undefined> {
  return deps.state.upgradeRuns.save(
    isTerminalRun(run.state) && run.endReported === undefined ? { ...run, endReported: false } : run,
  );
}

/**
 * The run ended (stored, `endReported` false): logged and reported, by the advancer whose save ended it,
 * then marked reported. A crash before the mark leaves it to the next advance (the sweeper's), which
 * reports it again: a repeat downstream dedupes by run id and `rowId`, as for operations.
 */
async function ended(deps: Deps, run: UpgradeRun): Promise<UpgradeRun> {
  const line = `upgrade: run ${run.id} on ${run.cluster.name} ended ${run.state}${run.reason ? `: ${run.reason}` : ''}`;
  if (run.state === 'Succeeded' || run.state === 'Cancelled') deps.log.info(line);
  else deps.log.error(line);
  await reportRunEvent(deps, run, 'ended');
  // Someone else changed it meanwhile (it reported the end as well): theirs is the stored run.
  return (await deps.state.upgradeRuns.save({ ...run, endReported: true })) ?? run;
}

function setState(run: UpgradeRun, i: number): UpgradeRun {
  const s = run.steps[i]!;
  const pool = s.kind === 'pool' || s.kind === 'node-image' ? s.pool : undefined;
  return {
    ...run,
    state: run.ending ? run.state : STATE_OF[s.kind],
    progress: {
      step: i + 1,
      steps: run.steps.length,
      ...(pool ? { pool } : {}),
      ...(s.progress ? { nodesDone: s.progress.nodesDone, nodesTotal: s.progress.nodesTotal } : {}),
    },
  };
}

async function carryOut(deps: Deps, start: UpgradeRun, i: number): Promise<Outcome> {
  const run = setState(start, i);
  const step = run.steps[i]!;
  const now = nowIso(deps);
  switch (step.kind) {
    case 'pre-checks':
      return preChecks(deps, run, i);
    case 'approval':
      if (run.approvedBy)
        return {
          next: 'continue',
          run: withStep(run, i, {
            status: 'Succeeded',
            finishedAt: now,
            reason: `approved by ${run.approvedBy}`,
          }),
        };
      if (step.status === 'Pending') {
        const waiting = withStep({ ...run, updatedAt: now }, i, {
          status: 'Running',
          startedAt: now,
          reason: 'awaiting approval by a second person',
        });
        const saved = await deps.state.upgradeRuns.save(waiting);
        if (saved) await reportRunEvent(deps, saved, 'awaiting-approval');
        return { next: 'wait', run: saved ?? waiting, dirty: false };
      }
      return { next: 'wait', run, dirty: run.state !== start.state };
    case 'post-checks':
      return postChecks(deps, run, i);
    default:
      return operationStep(deps, run, i);
  }
}

async function preChecks(deps: Deps, run: UpgradeRun, i: number): Promise<Outcome> {
  const step = run.steps[i]!;
  const facts = await gatherFactsOf(deps, run.cluster, { runId: run.id });
  const pools = poolsWithSurge(facts.pools, run.request);
  const from = facts.cluster.kubernetesVersion;
  const to = step.toVersion ?? from;
  const results = legPreChecks(facts, run.request, deps.settings, { from, to }, pools, false).map((r) =>
    // A leg already carried out (a resumed run) has nothing to check against its target.
    from === to && !run.request.nodeImageOnly && r.check === 'target'
      ? {
          ...r,
          status: 'pass' as const,
          kind: 'already-there',
          summary: `the control plane already runs ${to}`,
        }
      : r,
  );
  const now = nowIso(deps);
  const prechecks = [...run.prechecks.filter((c) => c.toVersion !== to), ...results];
  const blocking = blockingChecks(results);
  const next = { ...run, prechecks, updatedAt: now };
  if (blocking.length === 0)
    return {
      next: 'continue',
      run: withStep(next, i, {
        status: 'Succeeded',
        startedAt: step.startedAt ?? now,
        finishedAt: now,
        reason: `${results.filter((r) => r.status === 'pass').length} passed, ${results.filter((r) => r.status === 'warn').length} warned${
          results.some((r) => r.overridden)
            ? `, overridden: ${results
                .filter((r) => r.overridden)
                .map((r) => r.check)
                .join(', ')}`
            : ''
        }`,
      }),
    };
  const reason = `pre-checks for ${to} failed: ${blocking.map((c) => `${c.check}: ${c.summary}`).join('; ')}`;
  const failed = withStep(next, i, {
    status: 'Failed',
    startedAt: step.startedAt ?? now,
    finishedAt: now,
    reason,
  });
  return { next: 'continue', run: ending(failed, 'failed', reason, now) };
}

async function postChecks(deps: Deps, run: UpgradeRun, i: number): Promise<Outcome> {
  const now = nowIso(deps);
  const aks = deps.azure.aks(run.cluster.subscriptionId);
  const mc = await aks.managedClusters.get(run.cluster.resourceGroup, run.cluster.name);
  const target = run.request.nodeImageOnly ? undefined : run.toVersion;
  const problems: string[] = [];
  if (mc.provisioningState !== 'Succeeded')
    problems.push(`cluster provisioningState ${mc.provisioningState ?? '?'}`);
  if (target && mc.currentKubernetesVersion !== target)
    problems.push(`control plane runs ${mc.currentKubernetesVersion ?? '?'}, not ${target}`);
  const upgraded = new Set(
    run.steps.filter((s) => s.kind === 'pool' && s.status === 'Succeeded').map((s) => s.pool),
  );
  for (const p of mc.agentPoolProfiles ?? []) {
    if (!upgraded.has(p.name)) continue;
    if (target && p.currentOrchestratorVersion !== target)
      problems.push(`pool ${p.name} runs ${p.currentOrchestratorVersion ?? '?'}, not ${target}`);
    if (p.provisioningState && p.provisioningState !== 'Succeeded')
      problems.push(`pool ${p.name} provisioningState ${p.provisioningState}`);
  }
  if (problems.length === 0)
    return {
      next: 'continue',
      run: withStep(run, i, {
        status: 'Succeeded',
        finishedAt: now,
        reason: `control plane ${mc.currentKubernetesVersion ?? '?'}; ${[...upgraded].length} pool(s) upgraded, all Succeeded`,
      }),
    };
  const reason = `post-checks: ${problems.join('; ')}`;
  return {
    next: 'continue',
    run: ending(withStep(run, i, { status: 'Failed', finishedAt: now, reason }), 'failed', reason, now),
  };
}

function concluded(
  deps: Deps,
  run: UpgradeRun,
  i: number,
  v: Exclude<StepVerdict, { state: 'running' }>,
): Outcome {
  const now = nowIso(deps);
  const step = run.steps[i]!;
  const total = step.progress?.nodesTotal;
  const done = withStep(run, i, {
    status: v.state,
    finishedAt: now,
    reason: v.reason,
    ...('azureCode' in v && v.azureCode ? { azureCode: v.azureCode } : {}),
    ...(v.state === 'Succeeded' && total !== undefined
      ? { progress: { nodesDone: total, nodesTotal: total } }
      : {}),
  });
  if (v.state === 'Succeeded') return { next: 'continue', run: done };
  const what = step.kind === 'pool' || step.kind === 'node-image' ? `pool ${step.pool}` : step.kind;
  return { next: 'continue', run: ending(done, 'failed', `${what} failed: ${v.reason}`, now) };
}

/** A step AKS carries out: claim it, take the lock, re-read, send, store the poller; then settle it. */
async function operationStep(deps: Deps, run: UpgradeRun, i: number): Promise<Outcome> {
  const step = run.steps[i]!;
  const now = nowIso(deps);
  if (step.status === 'Pending') {
    const r = await readStepResource(deps, run, step);
    if (r.done)
      return {
        next: 'continue',
        run: withStep(run, i, { status: 'Skipped', finishedAt: now, reason: `nothing to do: ${r.describe}` }),
      };
    if (!r.atRest) return { next: 'wait', run, dirty: false };
    const claimed = withStep({ ...run, updatedAt: now }, i, {
      status: 'Running',
      operationId: randomUUID(),
      startedAt: now,
      ...(r.pool ? { progress: { nodesDone: 0, nodesTotal: r.pool.count ?? 0 } } : {}),
    });
    const saved = await deps.state.upgradeRuns.save(setState(claimed, i));
    if (!saved) return { next: 'wait', run, dirty: false };
    await hooks.at?.('step-claimed', saved.steps[i]!);
    return submitOrSettle(deps, saved, i, r);
  }
  return submitOrSettle(deps, run, i);
}

/** `claimedAfter`: the resource as read just before the step was claimed now (nothing recorded for it yet). */
async function submitOrSettle(
  deps: Deps,
  run: UpgradeRun,
  i: number,
  claimedAfter?: StepResource,
): Promise<Outcome> {
  const step = run.steps[i]!;
  const id = step.operationId!;
  const ops = deps.state.operations;
  if (claimedAfter) return send(deps, run, i, claimedAfter);
  const op = await ops.get(id);
  if (op && (op.status === 'Succeeded' || op.status === 'Failed')) {
    // The run reports its steps itself (when it ends): the sweeper need not report this one.
    await ops.markReported([id]);
    return concluded(deps, run, i, { state: op.status, reason: op.reason ?? op.status });
  }
  if (op?.status === 'InProgress') {
    const r = await settle(deps, op);
    if (r.state === 'running') return progressOf(deps, run, i, op.poller);
    const rec = r.state === 'finished' ? r.record : await ops.get(id);
    if (!rec || rec.status === 'InProgress') return { next: 'wait', run, dirty: false };
    await ops.markReported([id]);
    return concluded(deps, run, i, { state: rec.status, reason: rec.reason ?? rec.status });
  }
  // Not recorded as accepted. Our own request still pending (its holder may be sending it right now, or
  // died): after its lease its fate is found from ARM; before, it is waited for.
  const holder = await ops.pendingHolder(run.cluster.id);
  if (holder?.id === id) {
    if (holder.startedAt.getTime() > deps.clock.now().getTime() - LEASE_MS)
      return { next: 'wait', run, dirty: false };
    const rec = await recoverPending(deps, holder, 'upgrade:');
    if (rec.state === 'finished') {
      await ops.markReported([id]);
      return concluded(deps, run, i, { state: rec.op.status, reason: rec.op.reason ?? rec.op.status });
    }
    if (rec.state !== 'released') return { next: 'wait', run, dirty: false };
  }
  // ARM decides whether AKS has the change already (an answer never recorded): then it is followed
  // from the resource, never sent again.
  return send(deps, run, i, await readStepResource(deps, run, step));
}

/** Takes the lock, reads the resource again unless `r` is fresh, and sends the step's request unless ARM shows AKS has it. */
async function send(deps: Deps, run: UpgradeRun, i: number, r: StepResource): Promise<Outcome> {
  const step = run.steps[i]!;
  const id = step.operationId!;
  const ops = deps.state.operations;
  if (r.asked) return adoptFromResource(run, i, r, deps);
  if (!r.atRest) return { next: 'wait', run, dirty: false };
  const claim = await acquire(deps, stepOperation(run, step, id, deps.clock.now()));
  if (!claim) {
    deps.log.info(
      `upgrade: run ${run.id}: ${run.cluster.name} is held by another aks-day2 operation; step ${step.kind} waits`,
    );
    return { next: 'wait', run, dirty: false };
  }
  await hooks.at?.('lock-taken', step);
  // The read before the lock stands in for the re-read while it is fresh (the same bound as a listing's,
  // DAY2_LISTING_MAX_AGE_SECONDS); AKS's 409 still refuses a change to a cluster that went busy meanwhile.
  let fresh: StepResource;
  try {
    fresh = readIsFresh(r.readAt, deps.clock.now(), deps.settings.listingMaxAgeSeconds)
      ? r
      : await readStepResource(deps, run, step);
  } catch (err) {
    await release(deps, claim);
    throw err;
  }
  if (fresh.asked || !fresh.atRest) {
    await release(deps, claim);
    return fresh.asked ? adoptFromResource(run, i, fresh, deps) : { next: 'wait', run, dirty: false };
  }
  const res = await submit(deps, claim, {
    ...EXPECT[step.kind as OperationStepKind](step),
    observed: observedOf(fresh),
    send: () => {
      const p = sendStep(deps, run, step, fresh);
      return {
        submitted: async () => {
          await p.submitted();
          await hooks.at?.('request-accepted', step);
        },
        serialize: () => p.serialize(),
      };
    },
  });
  if (res.state === 'later') {
    deps.log.warn(
      `upgrade: run ${run.id}: ${step.kind}${step.pool ? ` ${step.pool}` : ''} not accepted now (${res.error.code}): ${res.error.message}`,
    );
    return { next: 'wait', run, dirty: false };
  }
  if (res.state === 'refused') {
    await ops.markReported([id]);
    return concluded(deps, run, i, {
      state: 'Failed',
      reason: res.error.message,
      ...(res.error.azureCode ? { azureCode: res.error.azureCode } : {}),
    });
  }
  await hooks.at?.('poller-stored', step);
  deps.log.info(
    `upgrade: run ${run.id}: ${run.cluster.name} ${step.kind}${step.pool ? ` ${step.pool}` : ''}${step.toVersion ? ` → ${step.toVersion}` : ''} accepted by AKS${res.tracked ? '' : ' (its answer was lost; followed from ARM)'}`,
  );
  return { next: 'wait', run, dirty: false };
}

/** What ARM shows once a step took effect, and the provisioningStates it shows while it runs. */
const EXPECT: Record<OperationStepKind, (s: UpgradeStep) => Pick<SubmitOptions, 'expect' | 'during'>> = {
  wake: () => ({ expect: { powerState: 'Running' }, during: ['Starting'] }),
  sleep: () => ({ expect: { powerState: 'Stopped' }, during: ['Stopping'] }),
  'control-plane': (s) => ({ expect: { kubernetesVersion: s.toVersion }, during: ['Upgrading', 'Updating'] }),
  pool: (s) => ({ expect: { kubernetesVersion: s.toVersion }, during: ['Upgrading'] }),
  'node-image': () => ({ during: ['UpgradingNodeImageVersion'] }),
};

function observedOf(r: StepResource): ObservedState {
  if (r.pool)
    return {
      provisioningState: r.pool.provisioningState ?? 'Succeeded',
      ...(r.pool.powerState?.code ? { powerState: r.pool.powerState.code } : {}),
      ...(r.pool.nodeImageVersion ? { nodeImageVersion: r.pool.nodeImageVersion } : {}),
      ...(r.pool.currentOrchestratorVersion ? { kubernetesVersion: r.pool.currentOrchestratorVersion } : {}),
    };
  return {
    provisioningState: r.cluster.provisioningState ?? 'Succeeded',
    ...(r.cluster.powerState?.code ? { powerState: r.cluster.powerState.code } : {}),
    ...(r.cluster.currentKubernetesVersion ? { kubernetesVersion: r.cluster.currentKubernetesVersion } : {}),
  };
}

/** A pool step still rolling: nodes done / total from AKS's percentComplete, stored when it moved. */
async function progressOf(
  deps: Deps,
  run: UpgradeRun,
  i: number,
  poller: string | undefined,
): Promise<Outcome> {
  const step = run.steps[i]!;
  const total = step.progress?.nodesTotal;
  if ((step.kind !== 'pool' && step.kind !== 'node-image') || total === undefined)
    return { next: 'wait', run, dirty: false };
  let pct: number | undefined;
  try {
    const status = poller
      ? await readOperationStatus(deps.azure.aks(run.cluster.subscriptionId), poller, {
          cluster: run.cluster.name,
          operation: 'read progress',
        })
      : undefined;
    pct = status?.state === 'running' ? status.percentComplete : undefined;
  } catch {
    pct = undefined; // progress is a nicety: an unreadable status never holds the run up
  }
  if (pct === undefined) return { next: 'wait', run, dirty: false };
  const nodesDone = Math.min(total, Math.floor((pct / 100) * total));
  if (nodesDone === step.progress?.nodesDone) return { next: 'wait', run, dirty: false };
  const moved = setState(withStep(run, i, { progress: { nodesDone, nodesTotal: total } }), i);
  return { next: 'wait', run: { ...moved, updatedAt: nowIso(deps) }, dirty: true };
}

function fromResource(r: StepResource): StepVerdict {
  if (!r.atRest) return { state: 'running', reason: r.describe };
  return r.done
    ? { state: 'Succeeded', reason: r.describe }
    : { state: 'Failed', reason: `ended ${r.provisioningState}: ${r.describe}` };
}

/** AKS has the step's change already (its answer never recorded): settled from the resource, never sent again. */
function adoptFromResource(run: UpgradeRun, i: number, r: StepResource, deps: Deps): Outcome {
  const v = fromResource(r);
  if (v.state === 'running') return { next: 'wait', run, dirty: false };
  deps.log.info(
    `upgrade: run ${run.id}: step ${run.steps[i]!.kind} was accepted by AKS earlier; ARM shows ${r.describe}`,
  );
  return concluded(deps, run, i, v);
}
