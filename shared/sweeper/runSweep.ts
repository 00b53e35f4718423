import { toDay2Error } from '../azure/azureError';
import type { Deps } from '../deps';
import { newRunId } from '../records/newRunId';
import type { JobName, OutcomeRecord, RunRecord } from '../records/outcome';
import { REPORT_GRACE_MS, reportRun } from '../operations/reported';
import { LEASE_MS, operationOutcome, settleJob } from '../operations/lifecycle';
import { advanceActiveRuns, isTerminalRun } from '../upgrades/api';

export interface SweepResult {
  /** Everything this sweep recorded or reported again, all jobs together (what the CLI prints); not itself reported. */
  run: RunRecord;
  /** The runs reported: one per job that had outcomes, under that job's name (actor `timer`). */
  runs: RunRecord[];
  /** Operations still running on AKS after the sweep. */
  stillRunning: number;
}

type Swept = OutcomeRecord & { job: JobName };

const NOTES: Partial<Record<JobName, string>> = {
  'node-image': 'recorded by the sweeper: no event had recorded it',
};

/** A job's operations: those whose holder died recovered from ARM, those in flight settled (`settleJob`). */
async function sweepJob(deps: Deps, job: JobName): Promise<{ outcomes: Swept[]; running: number }> {
  const r = await settleJob(deps, job, {
    logPrefix: `sweep: ${job}`,
    note: NOTES[job] ?? 'recorded by the sweeper',
  });
  return {
    outcomes: r.outcomes.map((o) => ({ ...o, job, details: { ...o.details, job } })),
    running: r.running.length,
  };
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
    return ops.map((op) => ({
      ...operationOutcome(op, {
        at: op.finishedAt,
        note: 'reported by the sweeper: the run that recorded it did not report it',
        details: { job: op.job },
      }),
      job: op.job,
    }));
  } catch (err) {
    deps.log.error(
      `sweep: could not read unreported outcomes: ${toDay2Error(err, { operation: 'read unreported outcomes' }).message}`,
    );
    return [];
  }
}

/**
 * The `upgradeSweeper` job (docs/functions.md): every operation any job left in flight is read from ARM and the ones that
 * ended are recorded once, so a lost Event Grid event never leaves a run hanging; operations whose
 * holder died before recording AKS's answer are recovered from ARM (`settleJob` of the operation
 * lifecycle, per job). It also reports outcomes recorded earlier that no run reported. Each outcome is
 * reported under its own job (one run per job, actor `timer`), so `AksDay2Ops_CL` by `Job` finds a
 * stop's outcome under `power-schedule`. Nothing is reported when nothing was recorded.
 */
export async function runSweep(deps: Deps): Promise<SweepResult> {
  const startedAt = deps.clock.now();
  const [inFlight, pending] = await Promise.all([
    deps.state.operations.inFlight(),
    deps.state.operations.pending(new Date(startedAt.getTime() - LEASE_MS)).catch((err: unknown) => {
      deps.log.error(
        `sweep: could not list operations not yet accepted: ${toDay2Error(err, { operation: 'list pending operations' }).message}`,
      );
      return [];
    }),
  ]);
  const outcomes: Swept[] = [];
  let stillRunning = 0;
  // Upgrade runs settle their own steps (advanceUpgradeRuns below); every other job's operations here.
  const jobs = [...new Set([...inFlight, ...pending].map((o) => o.job))].filter((j) => j !== 'upgrade');
  for (const job of jobs.sort()) {
    try {
      const r = await sweepJob(deps, job);
      outcomes.push(...r.outcomes);
      stillRunning += r.running;
    } catch (err) {
      deps.log.error(
        `sweep: ${job}: its operations were not checked (next sweep retries): ${toDay2Error(err, { operation: 'sweep' }).message}`,
      );
    }
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
