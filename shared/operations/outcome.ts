import type { OutcomeRecord } from '../records/outcome';
import type { OperationRecord } from '../state/operationStore';

/**
 * The one outcome builder of a recorded operation (settled by a run, an event or the sweeper, or
 * reported late): action, cluster, pool and versions, its reason (with `note` appended in brackets),
 * `at` (default: when it finished), how long it took, and the operation's details with its id and the
 * run that started it (plus `details`, e.g. the event id or the job).
 */
export function operationOutcome(
  op: OperationRecord,
  opts: { at?: Date; note?: string; details?: Record<string, unknown> } = {},
): OutcomeRecord {
  const at = opts.at ?? op.finishedAt ?? op.startedAt;
  const reason = op.reason ?? op.status;
  return {
    action: op.action,
    outcome: op.status,
    cluster: op.cluster,
    ...(op.nodePool ? { nodePool: op.nodePool } : {}),
    ...(op.fromVersion ? { fromVersion: op.fromVersion } : {}),
    ...(op.toVersion ? { toVersion: op.toVersion } : {}),
    reason: opts.note ? `${reason} (${opts.note})` : reason,
    at,
    durationMs: (op.finishedAt ?? at).getTime() - op.startedAt.getTime(),
    details: { ...op.details, operationId: op.id, startedByRun: op.runId, ...opts.details },
  };
}
