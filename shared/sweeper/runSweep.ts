import { toDay2Error } from '../azure/azureError';
import type { Deps } from '../deps';
import { newRunId } from '../records/newRunId';
import type { JobName, OutcomeRecord, RunRecord } from '../records/outcome';
import { REPORT_GRACE_MS, reportRun } from '../operations/reported';
import { NEVER_SUBMITTED_MS, settleOperations } from '../operations/settle';
import { settlePoolOperation } from '../operations/settlePool';
import type { OperationRecord } from '../state/operationStore';
import { advanceActiveRuns, isTerminalRun } from '../upgrades/api';
import { mapLimit } from '../util/mapLimit';

/** Node-image operations checked at most this many at a time. */
export const SWEEP_CONCURRENCY = 8;

export interface SweepResult {
  /** Everything this sweep recorded or reported again, all jobs together (what the CLI prints); not itself reported. */
  run: RunRecord;
  /** The runs reported: one per job that had outcomes, under that job's name (actor `timer`). */
  runs: RunRecord[];
  /** Operations still running on AKS after the sweep. */
  stillRunning: number;
}

type Swept = OutcomeRecord & { job: JobName };

function outcomeOf(op: OperationRecord, at: Date, note: string): Swept {
  return {
    job: op.job,
    action: op.action,
    outcome: op.status,
    cluster: op.cluster,
    ...(op.nodePool ? { nodePool: op.nodePool } : {}),
    ...(op.fromVersion ? { fromVersion: op.fromVersion } : {}),
    ...(op.toVersion ? { toVersion: op.toVersion } : {}),
    reason: `${op.reason ?? op.status} (${note})`,
    at,
    durationMs: (op.finishedAt ?? at).getTime() - op.startedAt.getTime(),
    details: { ...op.details, operationId: op.id, startedByRun: op.runId, job: op.job },
  };
}

/** Releases operations left `Starting` by a crash between the lock and the submit (never an outcome). */
async function abandonNeverSubmitted(deps: Deps, now: Date): Promise<void> {
  try {
    for (const op of await deps.state.operations.abandonStale(new Date(now.getTime() - NEVER_SUBMITTED_MS))) {
      deps.log.warn(
        `sweep: ${op.job} ${op.action} on ${op.cluster.name}${op.nodePool ? `/${op.nodePool}` : ''} (operation ${op.id}) was never submitted to AKS; its lock is released, no outcome recorded`,
      );
    }
  } catch (err) {
    deps.log.error(
      `sweep: could not release operations never submitted: ${toDay2Error(err, { operation: 'release operations never submitted' }).message}`,
    );
  }
}

/** Node-image operations, one by one (`settlePoolOperation`). */
async function settleNodeImage(
  deps: Deps,
  ops: OperationRecord[],
): Promise<{ outcomes: Swept[]; running: number }> {
  const settled = await mapLimit(ops, SWEEP_CONCURRENCY, async (op) => {
    try {
      return await settlePoolOperation(deps, op);
    } catch (err) {
      // Stays in flight: the next sweep (a minute later) reads it again.
      const error = toDay2Error(err, { cluster: op.cluster.name, operation: `check ${op.action}` });
      deps.log.error(
        `sweep: ${op.cluster.name}/${op.nodePool ?? ''} (operation ${op.id}) still counted in flight; could not check it: ${error.message}`,
      );
      return { state: 'running' as const, reason: error.message };
    }
  });
  const outcomes: Swept[] = [];
  let running = 0;
  for (const s of settled) {
    if (s.state === 'running') running++;
    if (s.state === 'finished')
      outcomes.push(
        outcomeOf(s.record, deps.clock.now(), 'recorded by the sweeper: no event had recorded it'),
      );
  }
  return { outcomes, running };
}

/** Carries every upgrade run that has not ended forward (each reports itself); returns how many still run. */
async function advanceUpgradeRuns(deps: Deps): Promise<number> {
  try {
    const runs = await advanceActiveRuns(deps);
    return runs.filter((r) => !isTerminalRun(r.state)).length;
  } catch (err) {
    deps.log.error(
      `sweep: could not advance upgrade runs: ${toDay2Error(err, { operation: 'advance upgrade runs' }).message}`,
    );
    return 0;
  }
}

/** Outcomes recorded earlier (by any job, event or sweep) that no run reported: reported now. */
async function unreported(deps: Deps, now: Date): Promise<Swept[]> {
  try {
    const ops = await deps.state.operations.unreported(new Date(now.getTime() - REPORT_GRACE_MS));
    return ops.map((op) =>
      outcomeOf(op, op.finishedAt, 'reported by the sweeper: the run that recorded it did not report it'),
    );
  } catch (err) {
    deps.log.error(
      `sweep: could not read unreported outcomes: ${toDay2Error(err, { operation: 'read unreported outcomes' }).message}`,
    );
    return [];
  }
}

/**
 * The `upgradeSweeper` job (docs/functions.md): every operation any job left in flight is read from ARM, and
 * the ones that ended are recorded once, so a lost Event Grid event never leaves a run hanging.
 * Node-image operations are settled here one by one (`settlePoolOperation`); every other job's
 * operations (stop/start, upgrades) through the shared `settleOperations(deps, job)`. It also releases
 * operations never submitted to AKS, and reports outcomes recorded earlier that no run reported. Each
 * outcome is reported under its own job (one run per job, actor `timer`), so `AksDay2Ops_CL` by `Job`
 * finds a stop's outcome under `power-schedule`. Nothing is reported when nothing was recorded.
 */
export async function runSweep(deps: Deps): Promise<SweepResult> {
  const startedAt = deps.clock.now();
  await abandonNeverSubmitted(deps, startedAt);
  const inFlight = await deps.state.operations.inFlight();
  const nodeImage = await settleNodeImage(
    deps,
    inFlight.filter((o) => o.job === 'node-image'),
  );
  const outcomes: Swept[] = [...nodeImage.outcomes];
  let stillRunning = nodeImage.running;
  // Upgrade runs settle their own steps (advanceActiveRuns below); every other job's operations here.
  const otherJobs = [
    ...new Set(inFlight.filter((o) => o.job !== 'node-image' && o.job !== 'upgrade').map((o) => o.job)),
  ].sort();
  for (const job of otherJobs) {
    const r = await settleOperations(deps, job);
    stillRunning += r.running.length;
    outcomes.push(
      ...r.outcomes.map((o) => ({
        ...o,
        job,
        reason: `${o.reason} (recorded by the sweeper)`,
        details: { ...o.details, job },
      })),
    );
  }
  stillRunning += await advanceUpgradeRuns(deps);
  outcomes.push(...(await unreported(deps, startedAt)));
  for (const o of outcomes) {
    const line = `sweep: ${o.job}: ${o.cluster.name}${o.nodePool ? `/${o.nodePool}` : ''} ${o.action} ${o.outcome}: ${o.reason}`;
    if (o.outcome === 'Failed') deps.log.error(line);
    else deps.log.info(line);
  }
  if (inFlight.length > 0)
    deps.log.info(
      `sweep: ${inFlight.length} in flight, ${outcomes.length} reported now, ${stillRunning} still running`,
    );

  // Every minute: a run that recorded nothing is not stored or reported (it would be 1,440 empty runs a day).
  const runs: RunRecord[] = [];
  for (const job of [...new Set(outcomes.map((o) => o.job))].sort()) {
    const run: RunRecord = {
      runId: newRunId(startedAt),
      job,
      actor: 'timer',
      startedAt,
      endedAt: deps.clock.now(),
      dryRun: deps.settings.dryRun,
      outcomes: outcomes.filter((o) => o.job === job).map(({ job: _job, ...o }) => o),
    };
    await reportRun(deps, run);
    runs.push(run);
  }
  const run: RunRecord = {
    runId: newRunId(startedAt),
    job: 'sweep',
    actor: 'timer',
    startedAt,
    endedAt: deps.clock.now(),
    dryRun: deps.settings.dryRun,
    outcomes: runs.flatMap((r) => r.outcomes),
  };
  return { run, runs, stillRunning };
}
