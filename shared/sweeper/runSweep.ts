import { toDay2Error } from '../azure/azureError';
import type { Deps } from '../deps';
import { newRunId } from '../records/newRunId';
import type { OutcomeRecord, RunRecord } from '../records/outcome';
import { settleOperations } from '../operations/settle';
import { settlePoolOperation } from '../operations/settlePool';
import type { OperationRecord } from '../state/operationStore';
import { mapLimit } from '../util/mapLimit';

/** Node-image operations checked at most this many at a time. */
export const SWEEP_CONCURRENCY = 8;

export interface SweepResult {
  run: RunRecord;
  /** Operations still running on AKS after the sweep. */
  stillRunning: number;
}

function outcomeOf(op: OperationRecord, at: Date): OutcomeRecord {
  return {
    action: op.action,
    outcome: op.status,
    cluster: op.cluster,
    ...(op.nodePool ? { nodePool: op.nodePool } : {}),
    ...(op.fromVersion ? { fromVersion: op.fromVersion } : {}),
    ...(op.toVersion ? { toVersion: op.toVersion } : {}),
    reason: `${op.reason ?? op.status} (recorded by the sweeper: no event had recorded it)`,
    at,
    durationMs: (op.finishedAt ?? at).getTime() - op.startedAt.getTime(),
    details: { ...op.details, operationId: op.id, startedByRun: op.runId, job: op.job },
  };
}

/**
 * The `upgradeSweeper` job (PRODUCT §4): every operation any job left in flight is read from ARM, and
 * the ones that ended are recorded once, so a lost Event Grid event never leaves a run hanging.
 * Node-image operations are settled here one by one (`settlePoolOperation`); every other job's
 * operations (stop/start, upgrades) through the shared `settleOperations(deps, job)`. Reported only when
 * it recorded something.
 */
export async function runSweep(deps: Deps): Promise<SweepResult> {
  const startedAt = deps.clock.now();
  const inFlight = await deps.state.operations.inFlight();
  const nodeImage = inFlight.filter((o) => o.job === 'node-image');
  const otherJobs = [...new Set(inFlight.filter((o) => o.job !== 'node-image').map((o) => o.job))].sort();
  const outcomes: OutcomeRecord[] = [];
  let stillRunning = 0;

  const settled = await mapLimit(nodeImage, SWEEP_CONCURRENCY, async (op) => {
    try {
      return await settlePoolOperation(deps, op);
    } catch (err) {
      // Stays in flight: the next sweep (a minute later) reads it again.
      const error = toDay2Error(err, { cluster: op.cluster.name, operation: `check ${op.action}` });
      deps.log.error(`sweep: ${op.cluster.name}/${op.nodePool ?? ''} still counted in flight; could not check it: ${error.message}`);
      return { state: 'running' as const, reason: error.message };
    }
  });
  for (const s of settled) {
    if (s.state === 'running') stillRunning++;
    if (s.state === 'finished') outcomes.push(outcomeOf(s.record, deps.clock.now()));
  }
  for (const job of otherJobs) {
    const r = await settleOperations(deps, job);
    stillRunning += r.running.length;
    outcomes.push(...r.outcomes.map((o) => ({ ...o, reason: `${o.reason} (recorded by the sweeper)`, details: { ...o.details, job } })));
  }
  for (const o of outcomes) {
    const line = `sweep: ${o.cluster.name}${o.nodePool ? `/${o.nodePool}` : ''} ${o.action} ${o.outcome}: ${o.reason}`;
    if (o.outcome === 'Failed') deps.log.error(line);
    else deps.log.info(line);
  }
  const run: RunRecord = { runId: newRunId(startedAt), job: 'sweep', actor: 'timer', startedAt, endedAt: deps.clock.now(), dryRun: deps.settings.dryRun, outcomes };
  if (inFlight.length > 0) deps.log.info(`sweep: ${inFlight.length} in flight, ${outcomes.length} recorded now, ${stillRunning} still running`);
  // Every minute: a run that recorded nothing is not stored or reported (it would be 1,440 empty runs a day).
  if (outcomes.length > 0) await deps.notifier.report(run);
  return { run, stillRunning };
}
