import type { TransactionAction } from '@azure/data-tables';
import type { Deps } from '../deps';
import { parseClusterId, type ClusterRef } from '../fleet/cluster';
import { toLogRows } from '../notify/logRows';
import { newRunId } from '../records/newRunId';
import type { Actor, JobName, Outcome, RunRecord } from '../records/outcome';
import { Tables } from '../storage/tables';

/** One audited call (HTTP API, ChatOps): who did what to which cluster, and how it was answered. */
export interface AuditEntry {
  actor: Actor;
  job: JobName;
  /** e.g. `http POST /api/upgrades` (a route template, never raw user text). */
  action: string;
  outcome: Outcome;
  cluster?: ClusterRef | string;
  runId?: string;
  reason: string;
  at: Date;
  durationMs?: number;
  details?: Record<string, unknown>;
  /** Unique per call (the invocation id). */
  key: string;
}

const TABLE = 'audit';
const PENDING = 'pending';
/** Rows moved to the outbox per pass (the outbox timer runs every minute). */
const BATCH = 1_000;

function clusterRef(c: AuditEntry['cluster']): ClusterRef {
  if (!c) return { id: '', name: '', subscriptionId: '', resourceGroup: '' };
  if (typeof c !== 'string') return c;
  return parseClusterId(c) ?? { id: '', name: c.slice(0, 100), subscriptionId: '', resourceGroup: '' };
}

const tablesOf = (deps: Pick<Deps, 'settings'>, prefix?: string): Tables =>
  new Tables(deps.settings.storageConnectionString, prefix);

/**
 * Records an audit row (the `AksDay2Ops_CL` columns, `Actor` = `http:<principal>` or `teams:<object id>`) with
 * one insert into table `<prefix>audit`, keyed by time and call: many calls at once never contend (the
 * outbox's ordered sequence would). `forwardAuditRows`, run by `outboxDelivery` every minute, moves
 * them into the outbox, which delivers them to Log Analytics. No card, no run record.
 */
export async function appendAudit(
  deps: Pick<Deps, 'settings'>,
  e: AuditEntry,
  tablePrefix?: string,
): Promise<void> {
  const runId = e.runId ?? newRunId(e.at);
  const record: RunRecord = {
    runId,
    job: e.job,
    actor: e.actor,
    startedAt: e.at,
    endedAt: e.at,
    dryRun: false,
    outcomes: [
      {
        action: e.action,
        outcome: e.outcome,
        cluster: clusterRef(e.cluster),
        reason: e.reason,
        at: e.at,
        ...(e.durationMs !== undefined ? { durationMs: e.durationMs } : {}),
        ...(e.details ? { details: e.details } : {}),
      },
    ],
  };
  const [row] = toLogRows(record);
  await tablesOf(deps, tablePrefix).use(TABLE, 'record an audit row', (t) =>
    t.createEntity({
      partitionKey: PENDING,
      rowKey: `${String(e.at.getTime()).padStart(15, '0')}-${e.key.replace(/[^\w-]/g, '_').slice(0, 80)}`,
      runId,
      job: e.job,
      actor: e.actor,
      row: JSON.stringify(row),
    }),
  );
}

/**
 * Moves waiting audit rows into the outbox (one message per row, idempotent by its key, so a pass
 * that stops half way repeats nothing), then deletes them. Returns how many were moved.
 */
export async function forwardAuditRows(
  deps: Pick<Deps, 'settings' | 'notifier'>,
  tablePrefix?: string,
): Promise<number> {
  return tablesOf(deps, tablePrefix).use(TABLE, 'forward audit rows', async (t) => {
    const rows: Array<{ rowKey: string; runId: string; job: JobName; actor: Actor; row: string }> = [];
    for await (const e of t.listEntities<{ runId: string; job: JobName; actor: Actor; row: string }>({
      queryOptions: { filter: `PartitionKey eq '${PENDING}'` },
    })) {
      rows.push({ rowKey: e.rowKey!, runId: e.runId, job: e.job, actor: e.actor, row: e.row });
      if (rows.length >= BATCH) break;
    }
    if (rows.length === 0) return 0;
    await deps.notifier.outbox.enqueue(
      'logs',
      rows.map((r) => ({
        key: `audit:${r.rowKey}`,
        kind: 'rows' as const,
        runId: r.runId,
        job: r.job,
        actor: r.actor,
        payload: `[${r.row}]`,
      })),
    );
    for (let i = 0; i < rows.length; i += 100) {
      const actions: TransactionAction[] = rows
        .slice(i, i + 100)
        .map((r) => ['delete', { partitionKey: PENDING, rowKey: r.rowKey }]);
      await t.submitTransaction(actions);
    }
    return rows.length;
  });
}
