import type { Deps } from '../deps';
import { reportRun } from '../operations/reported';
import { newRunId } from '../records/newRunId';
import type { Actor, Outcome, OutcomeRecord, RunRecord } from '../records/outcome';
import type { RunState, UpgradePlan, UpgradeRun, UpgradeStep } from './model';

export type RunEvent = 'awaiting-approval' | 'approved' | 'ended';

const RUN_OUTCOME: Record<RunState, Outcome> = {
  Planned: 'Planned',
  PreChecks: 'InProgress',
  AwaitingApproval: 'Planned',
  Starting: 'InProgress',
  ControlPlane: 'InProgress',
  NodePools: 'InProgress',
  PostChecks: 'InProgress',
  Stopping: 'InProgress',
  Succeeded: 'Succeeded',
  Failed: 'Failed',
  Halted: 'Failed',
  Cancelled: 'Skipped',
};

const STEP_ACTION: Record<UpgradeStep['kind'], string> = {
  wake: 'start',
  'pre-checks': 'pre-checks',
  approval: 'approval',
  'control-plane': 'upgrade-control-plane',
  pool: 'upgrade-pool',
  'node-image': 'node-image-upgrade',
  'post-checks': 'post-checks',
  sleep: 'stop',
};

function stepOutcome(run: UpgradeRun, s: UpgradeStep): OutcomeRecord | undefined {
  if (s.status === 'Pending') return undefined;
  const outcome: Outcome = s.status === 'Running' ? 'InProgress' : s.status;
  const at = new Date(s.finishedAt ?? s.startedAt ?? run.updatedAt);
  return {
    action: STEP_ACTION[s.kind],
    outcome,
    cluster: run.cluster,
    ...(s.pool ? { nodePool: s.pool } : {}),
    ...(s.kind === 'control-plane' || s.kind === 'pool'
      ? { fromVersion: run.fromVersion, toVersion: s.toVersion }
      : {}),
    reason: s.reason ?? s.status,
    at,
    ...(s.startedAt && s.finishedAt
      ? { durationMs: new Date(s.finishedAt).getTime() - new Date(s.startedAt).getTime() }
      : {}),
    details: {
      upgradeRun: run.id,
      leg: s.leg,
      ...(s.operationId ? { operationId: s.operationId } : {}),
      ...(s.azureCode ? { azureCode: s.azureCode } : {}),
      ...(s.upgradeSettings ? { upgradeSettings: s.upgradeSettings, surgeSource: s.surgeSource } : {}),
      ...(s.progress ? { nodesDone: s.progress.nodesDone, nodesTotal: s.progress.nodesTotal } : {}),
    },
  };
}

/** The rows and card lines of an upgrade run: one per step carried out, one per failed pre-check, one for the run. */
export function runOutcomes(run: UpgradeRun, event: RunEvent): OutcomeRecord[] {
  const out: OutcomeRecord[] = [];
  const runRow: OutcomeRecord = {
    action: 'upgrade',
    outcome: RUN_OUTCOME[run.state],
    cluster: run.cluster,
    fromVersion: run.fromVersion,
    toVersion: run.toVersion,
    reason:
      event === 'awaiting-approval'
        ? `run ${run.id} awaits approval by a second person (requested by ${run.requestedBy})`
        : event === 'approved'
          ? `run ${run.id} approved by ${run.approvedBy ?? '?'}`
          : `run ${run.id} ${run.state}${run.reason ? `: ${run.reason}` : ''}`,
    at: new Date(run.finishedAt ?? run.updatedAt),
    ...(run.finishedAt
      ? { durationMs: new Date(run.finishedAt).getTime() - new Date(run.createdAt).getTime() }
      : {}),
    details: {
      upgradeRun: run.id,
      state: run.state,
      legs: run.legs,
      requestedBy: run.requestedBy,
      ...(run.approvedBy ? { approvedBy: run.approvedBy } : {}),
      ...(run.cancelledBy ? { cancelledBy: run.cancelledBy } : {}),
    },
  };
  if (event !== 'ended') return [runRow];
  for (const s of run.steps) {
    const o = stepOutcome(run, s);
    if (o) out.push(o);
  }
  for (const c of run.prechecks) {
    if (c.status !== 'fail') continue;
    out.push({
      action: `pre-check ${c.check}`,
      outcome: c.overridden ? 'Skipped' : 'Failed',
      cluster: run.cluster,
      ...(c.toVersion ? { toVersion: c.toVersion } : {}),
      reason: `${c.summary}${c.overridden ? ' (overridden by force)' : c.overridable ? ' (force overrides)' : ''}`,
      at: new Date(run.updatedAt),
      details: {
        upgradeRun: run.id,
        check: c.check,
        kind: c.kind,
        overridable: c.overridable,
        evidence: c.evidence,
      },
    });
  }
  out.push(runRow);
  return out;
}

/** Reports a run's milestone: a card and rows under job `upgrade`, RunId = the run's id, Actor = who asked. */
export async function reportRunEvent(
  deps: Pick<Deps, 'notifier' | 'state' | 'clock' | 'settings'>,
  run: UpgradeRun,
  event: RunEvent,
): Promise<void> {
  const record: RunRecord = {
    runId: run.id,
    job: 'upgrade',
    actor: event === 'approved' && run.approvedBy ? run.approvedBy : run.requestedBy,
    startedAt: new Date(run.createdAt),
    // The end as stored, so a report made again after a crash is the same card (the outbox keeps one).
    endedAt: event === 'ended' && run.finishedAt ? new Date(run.finishedAt) : deps.clock.now(),
    dryRun: false,
    outcomes: runOutcomes(run, event),
  };
  await reportRun(deps, record);
}

/**
 * A request refused by its pre-checks (no run was created): reported at once, one Failed row per failed
 * check with its evidence, and one `upgrade` row saying the upgrade was refused.
 */
export async function reportRefusal(
  deps: Pick<Deps, 'notifier' | 'state' | 'clock'>,
  plan: UpgradePlan,
  requestedBy: Actor,
): Promise<void> {
  const at = deps.clock.now();
  const failed = plan.prechecks.filter((c) => c.status === 'fail' && !c.overridden);
  const outcomes: OutcomeRecord[] = failed.map((c) => ({
    action: `pre-check ${c.check}`,
    outcome: 'Failed',
    cluster: plan.cluster,
    fromVersion: plan.fromVersion,
    ...(c.toVersion ? { toVersion: c.toVersion } : {}),
    reason: `${c.summary}${c.overridable ? ' (force overrides)' : ''}${c.evidence.length ? ` — ${c.evidence.slice(0, 4).join('; ')}` : ''}`,
    at,
    details: { check: c.check, kind: c.kind, overridable: c.overridable, evidence: c.evidence },
  }));
  outcomes.push({
    action: 'upgrade',
    outcome: 'Failed',
    cluster: plan.cluster,
    fromVersion: plan.fromVersion,
    toVersion: plan.toVersion,
    reason: `refused by its pre-checks: ${failed.map((c) => c.check).join(', ')}`,
    at,
    details: { refused: true, requestedBy },
  });
  await reportRun(deps, {
    runId: newRunId(at),
    job: 'upgrade',
    actor: requestedBy,
    startedAt: at,
    endedAt: at,
    dryRun: false,
    outcomes,
  });
}
