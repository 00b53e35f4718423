import type { InvocationContext } from '@azure/functions';
import type { Deps } from '../deps';
import { parseClusterId, type ClusterRef } from '../fleet/cluster';
import { toLogRows } from '../notify/logRows';
import { newRunId } from '../records/newRunId';
import type { Actor, RunRecord } from '../records/outcome';

/** What a handler learnt about a call, for its audit row. */
export interface AuditFacts {
  cluster?: ClusterRef | string;
  runId?: string;
  problemType?: string;
}

export interface AuditedCall {
  actor: Actor;
  method: string;
  /** The route template, e.g. `upgrades/{id}/cancel` (never the raw path: it is user text). */
  route: string;
  status: number;
  at: Date;
  durationMs: number;
  facts: AuditFacts;
}

function clusterRef(c: AuditFacts['cluster']): ClusterRef {
  if (!c) return { id: '', name: '', subscriptionId: '', resourceGroup: '' };
  if (typeof c !== 'string') return c;
  return parseClusterId(c) ?? { id: '', name: c.slice(0, 100), subscriptionId: '', resourceGroup: '' };
}

/**
 * Every call of the HTTP API is audited (PRODUCT §6): one `AksDay2Ops_CL` row, `Job` = `upgrade`,
 * `Action` = `http <METHOD> /api/<route>`, `Actor` = `http:<principal>`, `Outcome` Succeeded (2xx) or
 * Failed, the status and problem type in `Details`. It goes through the durable outbox (delivered by
 * `outboxDelivery`), so a slow Log Analytics never slows the API; no card and no run record.
 */
export async function auditCall(deps: Deps, ctx: InvocationContext, call: AuditedCall): Promise<void> {
  const runId = call.facts.runId ?? newRunId(call.at);
  const record: RunRecord = {
    runId,
    job: 'upgrade',
    actor: call.actor,
    startedAt: call.at,
    endedAt: call.at,
    dryRun: false,
    outcomes: [
      {
        action: `http ${call.method} /api/${call.route}`,
        outcome: call.status < 400 ? 'Succeeded' : 'Failed',
        cluster: clusterRef(call.facts.cluster),
        reason: `${call.method} /api/${call.route} answered ${call.status}${call.facts.problemType ? ` (${call.facts.problemType})` : ''}`,
        at: call.at,
        durationMs: call.durationMs,
        details: {
          status: call.status,
          invocationId: ctx.invocationId,
          ...(call.facts.problemType ? { problemType: call.facts.problemType } : {}),
        },
      },
    ],
  };
  const rows = toLogRows(record);
  await deps.notifier.outbox.enqueue('logs', [
    {
      key: `audit:${ctx.invocationId}`,
      kind: 'rows',
      runId,
      job: 'upgrade',
      actor: call.actor,
      payload: JSON.stringify(rows),
    },
  ]);
}
