/**
 * Run records in Azure Table storage (Azurite locally), queryable by cluster and time.
 *
 *   <prefix>Runs      PK = runId        RK = "run"             the run (job, actor, times, counts)
 *                     PK = runId        RK = "outcomes-0000"…  its outcomes as JSON, cut to fit the
 *                                                              64 KiB property / 1 MiB entity limits
 *   <prefix>RunIndex  PK = "time"       RK = <inverted start>-<runId>   newest first, a summary
 *                     PK = "cluster-<name>" RK = <inverted start>-<runId>-<id hash>  one per cluster in the run
 *
 * Saving is idempotent by runId (upserts; a re-save replaces the outcomes). The outcome parts are
 * written before the run entity and carry its writeId, so a reader never mixes two saves.
 */
import { createHash, randomUUID } from 'node:crypto';
import { odata, type TableEntityResult } from '@azure/data-tables';
import { Day2Error, errorMessage } from '../errors';
import { parseClusterId, sameId } from '../fleet/cluster';
import type { OutcomeRecord, RunRecord } from './outcome';
import { summarizeRun, summaryFromJson, summaryToJson, type RunSummary } from './runSummary';
import { lazyTable, statusOf, type LazyTable } from '../storage/tables';
import { forEachLimited } from '../util/forEachLimited';
import { textBytes, textEntities } from './tableText';

export interface RunStore {
  /** Stores the run; saving the same runId again replaces it. */
  save(run: RunRecord): Promise<void>;
  get(runId: string): Promise<RunRecord | undefined>;
  /** Newest first. `cluster` is a resource id or a name (names compare case-insensitively). */
  list(query?: RunQuery): Promise<RunSummary[]>;
}

export interface RunQuery {
  cluster?: string;
  /** Only runs started at or after this time. */
  since?: Date;
  /** Default 20. */
  limit?: number;
}

const MAX_TIME = 9_999_999_999_999;
/** Zero-padded, so that newer runs sort first. */
export function invertedTime(d: Date): string {
  return String(MAX_TIME - d.getTime()).padStart(13, '0');
}

/** A table key from free text: lower case, without the characters keys may not hold. */
function keyPart(text: string): string {
  return text.toLowerCase().replace(/[/\\#?\u0000-\u001f\u007f-\u009f]/g, '_');
}

const MAX_CLUSTER_OUTCOMES = 10;
const MAX_REASON = 300;

export function createRunStore(connectionString: string, opts: { tablePrefix?: string } = {}): RunStore {
  const prefix = opts.tablePrefix ?? 'day2';
  const runs: LazyTable = lazyTable(connectionString, `${prefix}Runs`);
  const index: LazyTable = lazyTable(connectionString, `${prefix}RunIndex`);

  const fail = (operation: string, err: unknown): never => {
    throw new Day2Error('StorageFailed', `run store: ${operation} failed: ${errorMessage(err)}`, {
      operation,
      cause: err,
    });
  };

  async function readHeader(runId: string): Promise<TableEntityResult<Record<string, unknown>> | undefined> {
    const t = await runs.client();
    try {
      return await t.getEntity<Record<string, unknown>>(runId, 'run');
    } catch (err) {
      if (statusOf(err) === 404) return undefined;
      return fail(`read run ${runId}`, err);
    }
  }

  async function save(run: RunRecord): Promise<void> {
    const t = await runs.client();
    const previous = await readHeader(run.runId);
    const writeId = randomUUID();
    const parts = textEntities(JSON.stringify(run.outcomes));
    const summary = summarizeRun(run);
    try {
      await forEachLimited(
        parts.map((p, i) => ({ p, i })),
        4,
        async ({ p, i }) => {
          await t.upsertEntity({ partitionKey: run.runId, rowKey: partKey(i), writeId, ...p }, 'Replace');
        },
      );
      await t.upsertEntity(
        {
          partitionKey: run.runId,
          rowKey: 'run',
          writeId,
          parts: parts.length,
          job: run.job,
          actor: run.actor,
          startedAt: run.startedAt.toISOString(),
          endedAt: run.endedAt?.toISOString() ?? '',
          dryRun: run.dryRun,
          alwaysReport: run.alwaysReport === true,
          summary: summaryToJson(summary),
        },
        'Replace',
      );
      const oldParts = Number(previous?.parts ?? 0);
      for (let i = parts.length; i < oldParts; i++) {
        await t.deleteEntity(run.runId, partKey(i)).catch((err: unknown) => {
          if (statusOf(err) !== 404) throw err;
        });
      }
    } catch (err) {
      fail(`save run ${run.runId}`, err);
    }
    await saveIndex(run, summary);
  }

  async function saveIndex(run: RunRecord, summary: RunSummary): Promise<void> {
    const t = await index.client();
    const rowKey = `${invertedTime(run.startedAt)}-${run.runId}`;
    const byCluster = new Map<string, { id: string; name: string; outcomes: OutcomeRecord[] }>();
    for (const o of run.outcomes) {
      const k = o.cluster.id.toLowerCase();
      const entry = byCluster.get(k) ?? { id: o.cluster.id, name: o.cluster.name, outcomes: [] };
      entry.outcomes.push(o);
      byCluster.set(k, entry);
    }
    try {
      await t.upsertEntity(
        { partitionKey: 'time', rowKey, runId: run.runId, summary: summaryToJson(summary) },
        'Replace',
      );
      await forEachLimited([...byCluster.values()], 16, async (c) => {
        const forCluster = {
          id: c.id,
          name: c.name,
          outcomes: c.outcomes.slice(0, MAX_CLUSTER_OUTCOMES).map((o) => ({
            action: o.action,
            outcome: o.outcome,
            reason: o.reason.length > MAX_REASON ? `${o.reason.slice(0, MAX_REASON - 1)}…` : o.reason,
            ...(o.nodePool ? { nodePool: o.nodePool } : {}),
          })),
        };
        await t.upsertEntity(
          {
            partitionKey: `cluster-${keyPart(c.name)}`,
            rowKey: `${rowKey}-${idHash(c.id)}`,
            runId: run.runId,
            clusterId: c.id,
            summary: summaryToJson({ ...summary, forCluster }),
          },
          'Replace',
        );
      });
    } catch (err) {
      fail(`index run ${run.runId}`, err);
    }
  }

  async function get(runId: string): Promise<RunRecord | undefined> {
    const t = await runs.client();
    // A concurrent re-save may replace parts while we read: re-read until parts and header agree.
    for (let attempt = 0; attempt < 3; attempt++) {
      const header = await readHeader(runId);
      if (!header) return undefined;
      const count = Number(header.parts ?? 0);
      const bytes: Buffer[] = [];
      let consistent = true;
      for (let i = 0; i < count && consistent; i++) {
        let part: Record<string, unknown>;
        try {
          part = await t.getEntity<Record<string, unknown>>(runId, partKey(i));
        } catch (err) {
          if (statusOf(err) === 404) {
            consistent = false;
            break;
          }
          return fail(`read run ${runId}`, err);
        }
        if (part.writeId !== header.writeId) consistent = false;
        else bytes.push(textBytes(part));
      }
      if (!consistent) continue;
      const summary = summaryFromJson(String(header.summary));
      const text = Buffer.concat(bytes).toString('utf8');
      const outcomes = (JSON.parse(text || '[]') as Array<Omit<OutcomeRecord, 'at'> & { at: string }>).map(
        (o) => ({ ...o, at: new Date(o.at) }),
      );
      return {
        runId,
        job: summary.job,
        actor: summary.actor,
        startedAt: summary.startedAt,
        ...(summary.endedAt ? { endedAt: summary.endedAt } : {}),
        dryRun: summary.dryRun,
        ...(summary.alwaysReport ? { alwaysReport: true } : {}),
        outcomes,
      };
    }
    throw new Day2Error('StorageFailed', `run store: run ${runId} kept changing while it was read`, {
      operation: 'read run',
    });
  }

  async function list(query: RunQuery = {}): Promise<RunSummary[]> {
    const limit = query.limit ?? 20;
    if (limit <= 0) return [];
    const ref = query.cluster ? parseClusterId(query.cluster) : undefined;
    const partitionKey = query.cluster ? `cluster-${keyPart(ref ? ref.name : query.cluster.trim())}` : 'time';
    const filter = query.since
      ? odata`PartitionKey eq ${partitionKey} and RowKey lt ${`${invertedTime(query.since)}.`}`
      : odata`PartitionKey eq ${partitionKey}`;
    const t = await index.client();
    const out: RunSummary[] = [];
    const seen = new Set<string>();
    try {
      for await (const page of t
        .listEntities<{ summary: string; runId: string; clusterId?: string }>({ queryOptions: { filter } })
        .byPage({ maxPageSize: Math.min(1000, Math.max(limit, 50)) })) {
        for (const e of page) {
          if (ref && !(e.clusterId && sameId(e.clusterId, ref.id))) continue;
          // Two clusters of the same name (other subscriptions) in one run: list the run once.
          if (seen.has(e.runId)) continue;
          seen.add(e.runId);
          out.push(summaryFromJson(e.summary));
          if (out.length >= limit) return out;
        }
      }
    } catch (err) {
      fail('list runs', err);
    }
    return out;
  }

  return { save, get, list };
}

function idHash(id: string): string {
  return createHash('sha256').update(id.toLowerCase()).digest('hex').slice(0, 12);
}

function partKey(i: number): string {
  return `outcomes-${String(i).padStart(4, '0')}`;
}
