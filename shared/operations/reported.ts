import type { Deps } from '../deps';
import type { RunRecord } from '../records/outcome';

/** Re-reported by the sweeper when no run reported them this long after they finished. */
export const REPORT_GRACE_MS = 2 * 60_000;

/** Ids of the operations whose outcomes `run` carries (`details.operationId`). */
export function operationIdsOf(run: RunRecord): string[] {
  return run.outcomes.map((o) => o.details?.operationId).filter((id): id is string => typeof id === 'string');
}

/**
 * Reports `run`, then marks the finished operations it carries as reported, so the sweeper does not
 * report them again. A crash between the two leaves them unreported: the sweeper reports them once more
 * (the outbox and `Details.rowId` dedupe downstream).
 */
export async function reportRun(deps: Pick<Deps, 'notifier' | 'state'>, run: RunRecord): Promise<void> {
  await deps.notifier.report(run);
  await deps.state.operations.markReported(operationIdsOf(run));
}
