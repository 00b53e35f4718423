/**
 * Table `<prefix>Digest`: the routine outcomes waiting for their day's digest card. Partition
 * `<job>|<yyyy-mm-dd>` (UTC day of the outcome); row `<runId>|<index>` per outcome (so a re-report of a
 * run writes the same rows), or `carry|<cluster hash>` for a cluster still stopped at midnight. A day's
 * rows are deleted once its digest card is in the outbox: the table holds at most about a day of
 * outcomes (longer only while storage or the app is down).
 */
import { createHash } from 'node:crypto';
import { odata, type TableClient, type TransactionAction } from '@azure/data-tables';
import { Day2Error, errorMessage } from '../errors';
import type { Outcome } from '../records/outcome';
import { lazyTable, statusOf, type LazyTable } from '../storage/tables';
import { forEachLimited } from '../util/forEachLimited';
import type { DigestEntry } from './digest';
import type { DigestJob } from './routine';
import type { StorageConnection } from '../azure/storage';

/** Rows per table transaction (the service's limit). */
const BATCH = 100;

export interface DigestRow {
  rowKey: string;
  entry: DigestEntry;
}

export interface DigestStore {
  /** Upserts the rows (idempotent by row key). */
  add(rows: readonly DigestRow[]): Promise<void>;
  /** The earliest day before `day` that still has rows for `job`, with them; undefined when none. */
  earliestBefore(job: DigestJob, day: string): Promise<{ day: string; rows: DigestRow[] } | undefined>;
  remove(job: DigestJob, day: string, rowKeys: readonly string[]): Promise<void>;
}

export const carryKey = (clusterId: string): string =>
  `carry|${createHash('sha256').update(clusterId.toLowerCase()).digest('hex').slice(0, 32)}`;

/** The entry as a Table row: its job and day are the partition key. */
type Entity = Omit<DigestEntry, 'job' | 'day'> & { partitionKey: string; rowKey: string };

const partitionOf = (job: string, day: string): string => `${job}|${day}`;

function toEntity(r: DigestRow): Entity {
  const e = r.entry;
  const entity: Entity = {
    partitionKey: partitionOf(e.job, e.day),
    rowKey: r.rowKey,
    action: e.action,
    outcome: e.outcome,
    clusterId: e.clusterId,
    cluster: e.cluster,
    at: e.at,
  };
  for (const k of [
    'nodePool',
    'fromVersion',
    'toVersion',
    'nodes',
    'operationId',
    'carried',
    'since',
  ] as const)
    if (e[k] !== undefined) (entity as Record<string, unknown>)[k] = e[k];
  return entity;
}

function fromEntity(job: DigestJob, day: string, e: Record<string, unknown>): DigestRow {
  const str = (k: string): string | undefined => (typeof e[k] === 'string' ? e[k] : undefined);
  const date = (k: string): Date | undefined =>
    e[k] instanceof Date ? e[k] : typeof e[k] === 'string' ? new Date(e[k]) : undefined;
  return {
    rowKey: String(e.rowKey),
    entry: {
      job,
      day,
      action: str('action') ?? '',
      outcome: (str('outcome') ?? 'Succeeded') as Outcome,
      clusterId: str('clusterId') ?? '',
      cluster: str('cluster') ?? '',
      nodePool: str('nodePool'),
      fromVersion: str('fromVersion'),
      toVersion: str('toVersion'),
      at: date('at') ?? new Date(`${day}T00:00:00Z`),
      nodes: typeof e.nodes === 'number' ? e.nodes : undefined,
      operationId: str('operationId'),
      carried: e.carried === true ? true : undefined,
      since: date('since'),
    },
  };
}

function failure(doing: string, err: unknown): Day2Error {
  return new Day2Error('StorageFailed', `digest table: cannot ${doing}: ${errorMessage(err)}`, {
    operation: doing,
    cause: err,
  });
}

export function createDigestStore(connection: StorageConnection, tablePrefix = 'day2'): DigestStore {
  const table: LazyTable = lazyTable(connection, `${tablePrefix}Digest`);

  async function add(rows: readonly DigestRow[]): Promise<void> {
    if (rows.length === 0) return;
    const t: TableClient = await table.client();
    const byPartition = new Map<string, Entity[]>();
    for (const r of rows) {
      const e = toEntity(r);
      byPartition.set(e.partitionKey, [...(byPartition.get(e.partitionKey) ?? []), e]);
    }
    try {
      for (const entities of byPartition.values())
        for (let i = 0; i < entities.length; i += BATCH) {
          const actions: TransactionAction[] = entities
            .slice(i, i + BATCH)
            .map((e) => ['upsert', e, 'Replace'] as TransactionAction);
          await t.submitTransaction(actions);
        }
    } catch (err) {
      throw failure(`record ${rows.length} routine outcome(s) for the daily digest`, err);
    }
  }

  async function earliestBefore(
    job: DigestJob,
    day: string,
  ): Promise<{ day: string; rows: DigestRow[] } | undefined> {
    const t = await table.client();
    const from = `${job}|`;
    const to = partitionOf(job, day);
    let first: string | undefined;
    const rows: DigestRow[] = [];
    try {
      const filter = odata`PartitionKey ge ${from} and PartitionKey lt ${to}`;
      for await (const e of t.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) {
        const pk = String(e.partitionKey);
        first ??= pk;
        if (pk !== first) break; // partitions come in key order: the first one is the earliest day
        rows.push(fromEntity(job, pk.slice(from.length), e));
      }
    } catch (err) {
      throw failure(`read the ${job} digest rows before ${day}`, err);
    }
    return first === undefined ? undefined : { day: first.slice(from.length), rows };
  }

  async function remove(job: DigestJob, day: string, rowKeys: readonly string[]): Promise<void> {
    const t = await table.client();
    await forEachLimited(rowKeys, 8, async (rk) => {
      try {
        await t.deleteEntity(partitionOf(job, day), rk);
      } catch (err) {
        if (statusOf(err) !== 404) throw failure(`delete digest row ${rk} of ${job} ${day}`, err);
      }
    });
  }

  return { add, earliestBefore, remove };
}
