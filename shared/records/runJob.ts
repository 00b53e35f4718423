import { toDay2Error } from '../azure/azureError';
import type { Deps } from '../deps';
import type { Day2Error } from '../errors';
import { reportRun } from '../operations/reported';
import { newRunId } from './newRunId';
import type { Actor, JobName, OutcomeRecord, RunRecord } from './outcome';

export interface JobRunSpec {
  job: JobName;
  actor: Actor;
  dryRun: boolean;
  startedAt: Date;
  /** Scheduled reports (version support) post their card even when nothing changed. */
  alwaysReport?: boolean;
}

/** The Failed outcome of a run that could not finish: the whole fleet, with the typed error. */
function runFailure(job: JobName, error: Day2Error, at: Date): OutcomeRecord {
  return {
    action: 'run',
    outcome: 'Failed',
    cluster: { id: '', name: '(fleet)', subscriptionId: '', resourceGroup: '' },
    reason: `the ${job} run did not finish: ${error.message}`,
    at,
    details: { errorCode: error.code, ...(error.azureCode ? { azureCode: error.azureCode } : {}) },
  };
}

/**
 * One run of a job: a run record that `body` fills with outcomes, reported once whatever happens. When
 * `body` fails, the run still carries what it did so far plus a Failed `run` outcome with the typed
 * error, is reported, and the error is rethrown as a Day2Error (so a timer invocation shows as failed).
 */
export async function runJob<T>(
  deps: Deps,
  spec: JobRunSpec,
  body: (run: RunRecord) => Promise<T>,
): Promise<{ run: RunRecord; result: T }> {
  const run: RunRecord = {
    runId: newRunId(spec.startedAt),
    job: spec.job,
    actor: spec.actor,
    startedAt: spec.startedAt,
    dryRun: spec.dryRun,
    outcomes: [],
    ...(spec.alwaysReport ? { alwaysReport: true } : {}),
  };
  let done: { result: T } | undefined;
  let failure: Day2Error | undefined;
  try {
    done = { result: await body(run) };
  } catch (err) {
    failure = toDay2Error(err, { operation: `${spec.job} run` });
    deps.log.error(`${spec.job}: run ${run.runId} failed: ${failure.message}`);
    run.outcomes.push(runFailure(spec.job, failure, deps.clock.now()));
  }
  run.endedAt = deps.clock.now();
  await reportRun(deps, run);
  if (!done) throw failure!;
  return { run, result: done.result };
}
