import { fieldProblem, ProblemError, type FieldError } from '../http/problem';
import { UpgradeError, type PreCheckResult } from '../upgrades/api';

/** Which request field a failed pre-check is about (by its name, never its text). */
function precheckField(c: PreCheckResult): FieldError {
  const field = c.overridable ? 'force' : c.check === 'target' || c.check === 'skew' ? 'to' : 'cluster';
  return {
    in: 'body',
    field,
    detail: `${c.check}: ${c.summary}${c.overridable ? ' (force: true overrides it)' : ' (force cannot override it)'}`,
  };
}

/**
 * The engine's refusals as problem details: unknown cluster 404, a run in flight 409 (with its id),
 * failed pre-checks 422 (each listed, overridable ones marked), a run in the wrong state 409, an
 * approver approving their own request 403.
 */
export function engineProblem(err: unknown, where: 'body' | 'path'): ProblemError | undefined {
  if (!(err instanceof UpgradeError)) return undefined;
  switch (err.kind) {
    case 'bad-request':
      return fieldProblem('invalid-request', 'body', '(body)', err.message);
    case 'unknown-cluster':
      return fieldProblem('not-found', where === 'body' ? 'body' : 'query', 'cluster', err.message);
    case 'ambiguous-cluster':
      return fieldProblem('invalid-request', where === 'body' ? 'body' : 'query', 'cluster', err.message);
    case 'run-in-flight':
      return new ProblemError(
        'run-in-flight',
        err.message,
        [{ in: 'body', field: 'cluster', detail: err.message }],
        err.runId ? { runId: err.runId, run: `/api/upgrades/${err.runId}` } : {},
      );
    case 'prechecks-failed': {
      const failed = err.prechecks ?? [];
      return new ProblemError(
        'prechecks-failed',
        err.message,
        failed.length ? failed.map(precheckField) : [{ in: 'body', field: 'cluster', detail: err.message }],
        { prechecks: failed },
      );
    }
    case 'unknown-run':
      return fieldProblem('not-found', 'path', 'id', err.message);
    case 'not-awaiting-approval':
    case 'run-ended':
      return fieldProblem('run-state', 'path', 'id', err.message, err.runId ? { runId: err.runId } : {});
    case 'four-eyes':
      return fieldProblem('four-eyes', 'header', 'x-ms-client-principal', err.message);
  }
}
