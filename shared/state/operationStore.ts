import type { TableClient } from '@azure/data-tables';
import type { ClusterRef } from '../fleet/cluster';
import type { Actor, JobName } from '../records/outcome';
import type { OperationIntent } from '../operations/intent';
import { getOrUndefined, isConflict, isNotFound, keyOf, Tables } from '../storage/tables';
import { deleteRows, rowsWhere } from '../storage/prune';
import { moveToSpread, spreadPartition, spreadRange } from '../storage/spread';
import { onceRetrying } from '../util/onceRetrying';

/** An operation aks-day2 started on AKS (stop, start, upgrade, node-image upgrade) and its outcome. */
export interface OperationRecord {
  id: string;
  runId: string;
  job: JobName;
  action: string;
  actor: Actor;
  cluster: ClusterRef;
  nodePool?: string;
  fromVersion?: string;
  toVersion?: string;
  startedAt: Date;
  finishedAt?: Date;
  status: 'InProgress' | 'Succeeded' | 'Failed';
  reason?: string;
  /** `poller.serialize()` of the SDK poller, for `restorePoller` by the sweeper. */
  poller?: string;
  details?: Record<string, unknown>;
  /** Finished records: false until the run that reported the outcome marked it (`markReported`). */
  reported?: boolean;
  /** What was about to be asked of AKS, recorded before the request was sent (`intend`). */
  intent?: OperationIntent;
  /** Accepted by AKS but its poller was lost (the submitting process died or its answer never came): found from ARM. */
  recovered?: boolean;
}

/** An operation about to be submitted to AKS: what `start` records (status `Starting`, no poller). */
export type NewOperation = Omit<
  OperationRecord,
  'status' | 'finishedAt' | 'reason' | 'poller' | 'reported' | 'intent' | 'recovered'
>;

/** Before AKS accepted it: `Starting` (lock taken, nothing sent) or `Submitting` (intent recorded, request may be on its way). */
export type PendingStage = 'Starting' | 'Submitting';

/** The cluster's lock taken for `op` and its record written; `etag` is that record's, `stage` its status. */
export interface Claim {
  op: NewOperation;
  etag: string;
  /** `Starting` when absent. */
  stage?: PendingStage;
  intent?: OperationIntent;
}

/** An operation whose holder has not recorded AKS's answer yet (`pending`). */
export type PendingOperation = NewOperation & { stage: PendingStage; intent?: OperationIntent };

export type FinishedOperation = OperationRecord & { status: 'Succeeded' | 'Failed'; finishedAt: Date };

/** Stored status: `Starting`/`Submitting` are the gap between taking the lock and AKS accepting the operation. */
type StoredStatus = PendingStage | OperationRecord['status'];

interface OperationEntity {
  id: string;
  runId: string;
  job: string;
  action: string;
  actor: string;
  cluster: string;
  nodePool?: string;
  fromVersion?: string;
  toVersion?: string;
  startedAt: string;
  finishedAt?: string;
  status: string;
  reason?: string;
  poller?: string;
  details?: string;
  clusterId: string;
  reported?: boolean;
  intent?: string;
  recovered?: boolean;
}

type Keyed<T> = T & { partitionKey: string; rowKey: string };

/** History: one row per operation, pruned by housekeeping; spread over partitions `op.<bucket>` by id. */
const OP = 'op';
/**
 * Index: a copy of each operation from `start` until its outcome was reported (Starting, InProgress,
 * finished-but-unreported), so `inFlight`, `unreported` and `abandonStale` never scan history; spread over
 * partitions `active.<bucket>` by id.
 */
const ACTIVE = 'active';
const opPk = (id: string): string => spreadPartition(OP, id);
const activePk = (id: string): string => spreadPartition(ACTIVE, id);
/** Locks: one row per cluster held, spread over partitions `lock.<bucket>` by cluster. */
const lockPk = (rk: string): string => spreadPartition('lock', rk);
/** Where the lock of a cluster is stored. */
export const lockKeys = (clusterId: string): { partitionKey: string; rowKey: string } => ({
  partitionKey: lockPk(keyOf(clusterId)),
  rowKey: keyOf(clusterId),
});
const FINISHED = ['Succeeded', 'Failed'];

const toEntity = (
  r: NewOperation & {
    status: StoredStatus;
    finishedAt?: Date;
    reason?: string;
    poller?: string;
    reported?: boolean;
    intent?: OperationIntent;
    recovered?: boolean;
  },
  index = false,
): Keyed<OperationEntity> => ({
  partitionKey: index ? activePk(r.id) : opPk(r.id),
  rowKey: r.id,
  id: r.id,
  runId: r.runId,
  job: r.job,
  action: r.action,
  actor: r.actor,
  cluster: JSON.stringify(r.cluster),
  clusterId: r.cluster.id.toLowerCase(),
  nodePool: r.nodePool,
  fromVersion: r.fromVersion,
  toVersion: r.toVersion,
  startedAt: r.startedAt.toISOString(),
  finishedAt: r.finishedAt?.toISOString(),
  status: r.status,
  reason: r.reason,
  poller: r.poller,
  details: r.details ? JSON.stringify(r.details) : undefined,
  reported: r.reported,
  intent: r.intent ? JSON.stringify(r.intent) : undefined,
  recovered: r.recovered,
});

const fromEntity = (e: OperationEntity): OperationRecord => ({
  id: e.id,
  runId: e.runId,
  job: e.job as JobName,
  action: e.action,
  actor: e.actor as Actor,
  cluster: JSON.parse(e.cluster) as ClusterRef,
  nodePool: e.nodePool || undefined,
  fromVersion: e.fromVersion || undefined,
  toVersion: e.toVersion || undefined,
  startedAt: new Date(e.startedAt),
  finishedAt: e.finishedAt ? new Date(e.finishedAt) : undefined,
  status: e.status as OperationRecord['status'],
  reason: e.reason || undefined,
  poller: e.poller || undefined,
  details: e.details ? (JSON.parse(e.details) as Record<string, unknown>) : undefined,
  ...(typeof e.reported === 'boolean' ? { reported: e.reported } : {}),
  ...(e.intent ? { intent: JSON.parse(e.intent) as OperationIntent } : {}),
  ...(e.recovered ? { recovered: true } : {}),
});

const PENDING: readonly string[] = ['Starting', 'Submitting'];

const pendingOf = (e: OperationEntity): PendingOperation => {
  const {
    status: _s,
    finishedAt: _f,
    reason: _r,
    poller: _p,
    reported: _rep,
    recovered: _rec,
    ...rest
  } = fromEntity(e);
  return { ...rest, stage: e.status as PendingStage };
};

const ignoreGone = (err: unknown): void => {
  if (!isConflict(err) && !isNotFound(err)) throw err;
};

/** Attempts at taking a lock that vanishes or changes between our reads and writes. */
const LOCK_ATTEMPTS = 3;

/**
 * Operations in flight and their history. The in-flight record of a cluster is also its lock: at most
 * one aks-day2 operation runs on a cluster at a time (`start`). An operation is `Starting` from the lock
 * until AKS accepted it (`submitted`, with its poller), then `InProgress` until its outcome is recorded
 * once (`finish`): a late or repeated report (event, sweeper) never reverses a recorded outcome.
 */
export class OperationStore {
  constructor(private readonly tables: Tables) {}

  private async ops<T>(doing: string, fn: (t: TableClient) => Promise<T>): Promise<T> {
    await this.moveUnspread();
    return this.tables.use('operations', doing, fn);
  }
  private async locks<T>(doing: string, fn: (t: TableClient) => Promise<T>): Promise<T> {
    await this.moveUnspread();
    return this.tables.use('locks', doing, fn);
  }

  /**
   * Once per store, before its first use: rows an earlier version kept in the single partitions `op`,
   * `active` and `lock` move to their spread partitions, so an operation in flight across an upgrade of
   * the app is still settled and its cluster still held.
   */
  private readonly moveUnspread = onceRetrying(async () => {
    await this.tables.use('operations', 'move operations to spread partitions', async (t) => {
      await moveToSpread(t, OP, (r) => opPk(r.rowKey!));
      await moveToSpread(t, ACTIVE, (r) => activePk(r.rowKey!));
    });
    await this.tables.use('locks', 'move locks to spread partitions', (t) =>
      moveToSpread(t, 'lock', (r) => lockPk(r.rowKey!)),
    );
  });

  /**
   * Takes the cluster's lock for `op` (insert-if-absent; an expired lock is taken over) and records the
   * operation `Starting`. Returns undefined when another aks-day2 operation holds the cluster.
   */
  async start(op: NewOperation, lockTtlMs = 6 * 3_600_000): Promise<Claim | undefined> {
    if (!(await this.lock(op, lockTtlMs))) return undefined;
    const record = toEntity({ ...op, status: 'Starting' });
    try {
      return await this.ops(`record operation ${op.id} on ${op.cluster.name}`, async (t) => {
        await t.upsertEntity({ ...record, partitionKey: activePk(record.id) }, 'Replace');
        const r = await t.upsertEntity(record, 'Replace');
        return { op, etag: r.etag ?? '' };
      });
    } catch (err) {
      await this.unlock(op.id, op.cluster.id); // never leave a lock with no record behind
      throw err;
    }
  }

  private lock(op: NewOperation, lockTtlMs: number): Promise<boolean> {
    const rk = keyOf(op.cluster.id);
    const pk = lockPk(rk);
    const entity = {
      partitionKey: pk,
      rowKey: rk,
      operationId: op.id,
      takenAt: op.startedAt.toISOString(),
      expiresAt: new Date(op.startedAt.getTime() + lockTtlMs).toISOString(),
    };
    return this.locks(`take the lock of ${op.cluster.name}`, async (locks) => {
      for (let attempt = 0; attempt < LOCK_ATTEMPTS; attempt++) {
        try {
          await locks.createEntity(entity);
          return true;
        } catch (err) {
          if (!isConflict(err)) throw err;
        }
        const held = await getOrUndefined<{ operationId: string; expiresAt: string }>(locks, pk, rk);
        if (!held) continue; // released between the 409 and the read: insert again
        if (new Date(held.expiresAt) > op.startedAt) return false;
        try {
          await locks.updateEntity(entity, 'Replace', { etag: held.etag });
          return true;
        } catch (e) {
          if (isConflict(e)) return false; // another taker was first
          if (!isNotFound(e)) throw e; // deleted meanwhile: insert again
        }
      }
      return false;
    });
  }

  /**
   * AKS accepted the operation: `Starting` → `InProgress` with its serialized poller, only if the record
   * is still the one `start` wrote (ETag). Undefined when it is not (a sweeper abandoned it meanwhile).
   */
  async submitted(claim: Claim, poller: string): Promise<OperationRecord | undefined> {
    const record: OperationRecord = {
      ...claim.op,
      status: 'InProgress',
      poller,
      ...(claim.intent ? { intent: claim.intent } : {}),
    };
    return this.ops(`record operation ${claim.op.id} in progress`, async (t) => {
      try {
        await t.updateEntity(toEntity(record), 'Replace', { etag: claim.etag });
      } catch (err) {
        ignoreGone(err);
        return undefined;
      }
      await t.upsertEntity(toEntity(record, true), 'Replace');
      return record;
    });
  }

  /**
   * Records what is about to be asked of AKS, before the request is sent: `Starting` → `Submitting` with
   * `intent` (ETag-conditional). From here a dead holder's operation is found out from ARM, never assumed.
   * Undefined when the record changed meanwhile (given up by a recovery).
   */
  async intend(claim: Claim, intent: OperationIntent): Promise<Claim | undefined> {
    const record = toEntity({ ...claim.op, status: 'Submitting', intent });
    return this.ops(`record the intent of operation ${claim.op.id}`, async (t) => {
      let etag: string;
      try {
        etag = (await t.updateEntity(record, 'Replace', { etag: claim.etag })).etag ?? '';
      } catch (err) {
        ignoreGone(err);
        return undefined;
      }
      await t.upsertEntity({ ...record, partitionKey: activePk(record.id) }, 'Replace');
      return { op: claim.op, etag, stage: 'Submitting' as const, intent };
    });
  }

  /**
   * Records an operation AKS accepted whose record is no longer the one its claim wrote: given up while
   * AKS answered (re-created), or found by a recovery (the poller attached). Never reverses an outcome:
   * a finished record is returned as it is. `poller` absent: accepted, found from ARM (`recovered`).
   */
  async adopt(
    accepted: NewOperation & { intent?: OperationIntent; stage?: PendingStage },
    poller?: string,
  ): Promise<OperationRecord> {
    const { stage: _stage, ...op } = accepted;
    return this.ops(`record accepted operation ${op.id}`, async (t) => {
      for (let attempt = 0; attempt < LOCK_ATTEMPTS; attempt++) {
        const e = await getOrUndefined<OperationEntity>(t, opPk(op.id), op.id);
        if (e && FINISHED.includes(e.status)) return fromEntity(e);
        if (e?.status === 'InProgress' && (e.poller || !poller)) return fromEntity(e);
        const base = e ? fromEntity(e) : undefined;
        const record: OperationRecord = {
          ...op,
          ...(base?.intent ? { intent: base.intent } : {}),
          status: 'InProgress',
          ...(poller ? { poller } : { recovered: true }),
        };
        try {
          if (e) await t.updateEntity(toEntity(record), 'Replace', { etag: e.etag });
          else await t.createEntity(toEntity(record));
        } catch (err) {
          ignoreGone(err);
          continue; // changed meanwhile: read again
        }
        await t.upsertEntity(toEntity(record, true), 'Replace');
        return record;
      }
      throw new Error(`operation ${op.id} still contended after ${LOCK_ATTEMPTS} attempts`);
    });
  }

  async get(id: string): Promise<OperationRecord | undefined> {
    const e = await this.ops(`read operation ${id}`, (t) => getOrUndefined<OperationEntity>(t, opPk(id), id));
    return e && !PENDING.includes(e.status) ? fromEntity(e) : undefined;
  }

  /** The operation holding the cluster's lock, still before AKS's answer was recorded; undefined otherwise. */
  async pendingHolder(clusterId: string): Promise<PendingOperation | undefined> {
    const lock = await this.locks(`read the lock of ${clusterId}`, (l) =>
      getOrUndefined<{ operationId: string }>(l, lockPk(keyOf(clusterId)), keyOf(clusterId)),
    );
    if (!lock) return undefined;
    const e = await this.ops(`read operation ${lock.operationId}`, (t) =>
      getOrUndefined<OperationEntity>(t, opPk(lock.operationId), lock.operationId),
    );
    return e && PENDING.includes(e.status) ? pendingOf(e) : undefined;
  }

  /**
   * Frees a lock left behind by a crash: taken before `before` for an operation that has no record
   * (killed between the lock and the record) or a finished one (killed before the unlock). True when freed.
   */
  async breakOrphanLock(clusterId: string, before: Date): Promise<boolean> {
    const rk = keyOf(clusterId);
    const lock = await this.locks(`read the lock of ${clusterId}`, (l) =>
      getOrUndefined<{ operationId: string; takenAt?: string }>(l, lockPk(rk), rk),
    );
    if (!lock?.takenAt || new Date(lock.takenAt) >= before) return false;
    const e = await this.ops(`read operation ${lock.operationId}`, (t) =>
      getOrUndefined<OperationEntity>(t, opPk(lock.operationId), lock.operationId),
    );
    if (e && !FINISHED.includes(e.status)) return false;
    return this.locks(`free the orphaned lock of ${clusterId}`, async (l) => {
      try {
        await l.deleteEntity(lockPk(rk), rk, { etag: lock.etag });
        return true;
      } catch (err) {
        ignoreGone(err);
        return false;
      }
    });
  }

  /** Operations still `Starting` or `Submitting` that started before `before` (their holder is presumed dead). */
  async pending(before: Date): Promise<PendingOperation[]> {
    const rows = await this.active(
      `(status eq 'Starting' or status eq 'Submitting') and startedAt lt '${before.toISOString()}'`,
      'list operations not yet accepted',
    );
    const out: PendingOperation[] = [];
    for (const row of rows) {
      // The history row is authoritative: an index row a crash left behind is repaired, not recovered.
      const e = await this.ops(`read operation ${row.id}`, (t) =>
        getOrUndefined<OperationEntity>(t, opPk(row.id), row.id),
      );
      if (e && PENDING.includes(e.status)) out.push(pendingOf(e));
      else if (e)
        await this.ops(`repair the index row of operation ${row.id}`, (t) =>
          this.syncIndex(t, toEntity(fromEntity(e))),
        );
      else out.push(pendingOf(row)); // killed before the history row was written: released as never sent
    }
    return out;
  }

  /**
   * Replaces a record read earlier, only if its stored status is still the one read (ETag-conditional).
   * Returns false, changing nothing, when it changed meanwhile (finished, abandoned).
   */
  async update(op: OperationRecord): Promise<boolean> {
    return this.ops(`update operation ${op.id}`, async (t) => {
      const e = await getOrUndefined<OperationEntity>(t, opPk(op.id), op.id);
      if (e?.status !== op.status) return false;
      try {
        await t.updateEntity(toEntity(op), 'Replace', { etag: e.etag });
      } catch (err) {
        ignoreGone(err);
        return false;
      }
      await this.syncIndex(t, toEntity(op));
      return true;
    });
  }

  private async active(filter: string, doing: string): Promise<OperationEntity[]> {
    return this.ops(doing, async (t) => {
      const out: OperationEntity[] = [];
      for await (const e of t.listEntities<OperationEntity>({
        queryOptions: { filter: `${spreadRange(ACTIVE)} and (${filter})` },
      }))
        out.push(e);
      return out.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
    });
  }

  /** Operations AKS accepted whose outcome is not recorded yet (reads the index partition only). */
  async inFlight(): Promise<OperationRecord[]> {
    return (await this.active("status eq 'InProgress'", 'list operations in flight')).map(fromEntity);
  }

  /** Finished operations whose outcome no run has reported yet, finished before `before`. */
  async unreported(before: Date): Promise<FinishedOperation[]> {
    const rows = await this.active(
      `(status eq 'Succeeded' or status eq 'Failed') and finishedAt lt '${before.toISOString()}'`,
      'list unreported outcomes',
    );
    return rows.map(fromEntity) as FinishedOperation[];
  }

  /** The run that reported these operations' outcomes succeeded: they leave the index. Ids of unfinished ones are ignored. */
  async markReported(ids: readonly string[]): Promise<void> {
    for (const id of new Set(ids)) {
      await this.ops(`mark operation ${id} reported`, async (t) => {
        const e = await getOrUndefined<OperationEntity>(t, opPk(id), id);
        if (!e || !FINISHED.includes(e.status)) return;
        if (e.reported === false) {
          await t
            .updateEntity({ partitionKey: opPk(id), rowKey: id, reported: true }, 'Merge', { etag: e.etag })
            .catch(ignoreGone);
        }
        await t.deleteEntity(activePk(id), id).catch(ignoreGone);
      });
    }
  }

  async history(filter: { job?: JobName; since?: Date } = {}): Promise<OperationRecord[]> {
    const parts = [spreadRange(OP), "status ne 'Starting'", "status ne 'Submitting'"];
    if (filter.job) parts.push(`job eq '${filter.job}'`);
    if (filter.since) parts.push(`startedAt ge '${filter.since.toISOString()}'`);
    return this.ops('read operation history', async (t) => {
      const out: OperationRecord[] = [];
      for await (const e of t.listEntities<OperationEntity>({
        queryOptions: { filter: parts.join(' and ') },
      }))
        out.push(fromEntity(e));
      return out.sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime());
    });
  }

  /**
   * Gives up a lock taken with `start` for an operation never submitted to AKS (the re-read showed it
   * was not needed or not possible now, or AKS said to retry later): deletes its record and the lock.
   * A record AKS accepted (InProgress with a poller) or a finished one is left alone.
   */
  async release(op: Pick<OperationRecord, 'id' | 'cluster'>): Promise<void> {
    const released = await this.ops(`release operation ${op.id}`, async (t) => {
      const e = await getOrUndefined<OperationEntity>(t, opPk(op.id), op.id);
      if (e && !neverSubmitted(e)) return false; // accepted by AKS: its lock stays until its outcome
      if (e) await t.deleteEntity(opPk(op.id), op.id, { etag: e.etag }).catch(ignoreGone);
      await t.deleteEntity(activePk(op.id), op.id).catch(ignoreGone);
      return true;
    });
    if (released) await this.unlock(op.id, op.cluster.id);
  }

  /**
   * Releases operations that stayed `Starting` since before `before` (the instance crashed between the
   * lock and the submit, or its submit was never recorded): never an outcome, the cluster is free again.
   * Also repairs index rows left behind by a crash. Returns the released operations.
   */
  async abandonStale(before: Date): Promise<NewOperation[]> {
    const stale = await this.active(
      `status eq 'Starting' and startedAt lt '${before.toISOString()}'`,
      'list operations never submitted',
    );
    const out: NewOperation[] = [];
    for (const row of stale) {
      const op = fromEntity(row);
      const e = await this.ops(`read operation ${op.id}`, (t) =>
        getOrUndefined<OperationEntity>(t, opPk(op.id), op.id),
      );
      if (e && e.status !== 'Starting' && !neverSubmitted(e)) {
        await this.ops(`repair the index row of operation ${op.id}`, (t) =>
          this.syncIndex(t, toEntity(fromEntity(e))),
        );
        continue;
      }
      await this.release(op);
      out.push(op);
    }
    return out;
  }

  /**
   * Housekeeping: deletes finished, reported operations that ended before `before`, except those
   * `keep` says are still needed (the node-image ring gate's evidence), and locks that expired before
   * `before` (a lock is deleted when its operation ends; one left by a crash is taken over once
   * expired, so an old one holds nothing). In-flight and unreported operations are never touched.
   */
  async prune(
    before: Date,
    keep: (op: OperationRecord) => boolean = () => false,
  ): Promise<{ operations: number; locks: number }> {
    const cutoff = before.toISOString();
    const operations = await this.ops('prune operation history', async (t) => {
      const old: Array<Keyed<OperationEntity>> = [];
      for await (const e of t.listEntities<OperationEntity>({
        queryOptions: {
          filter: `${spreadRange(OP)} and finishedAt lt '${cutoff}' and (status eq 'Succeeded' or status eq 'Failed')`,
        },
      }))
        if (e.reported !== false) old.push(e as Keyed<OperationEntity>);
      return deleteRows(
        t,
        old.filter((e) => !keep(fromEntity(e))),
      );
    });
    const locks = await this.locks('prune expired locks', async (t) =>
      deleteRows(t, await rowsWhere(t, `expiresAt lt '${cutoff}'`)),
    );
    return { operations, locks };
  }

  private async unlock(operationId: string, clusterId: string): Promise<void> {
    await this.locks(`release the lock of ${clusterId}`, async (locks) => {
      const rk = keyOf(clusterId);
      const lock = await getOrUndefined<{ operationId: string }>(locks, lockPk(rk), rk);
      if (lock?.operationId !== operationId) return;
      await locks.deleteEntity(lockPk(rk), rk, { etag: lock.etag }).catch(ignoreGone);
    });
  }

  /** The index row follows the record: kept while not finished or not reported, deleted after. */
  private async syncIndex(t: TableClient, e: Keyed<OperationEntity>): Promise<void> {
    if (!FINISHED.includes(e.status) || e.reported === false)
      await t.upsertEntity({ ...e, partitionKey: activePk(e.id) }, 'Replace');
    else await t.deleteEntity(activePk(e.id), e.id).catch(ignoreGone);
  }

  /**
   * Records the outcome of an operation once (from `from`, ETag-conditional), marks it not yet reported,
   * and releases the cluster's lock. Undefined when it is not in state `from` (a repeat never reverses it).
   */
  private async complete(
    id: string,
    from: StoredStatus,
    status: 'Succeeded' | 'Failed',
    reason: string,
    at: Date,
    etag?: string,
  ): Promise<FinishedOperation | undefined> {
    const done = await this.ops(`record the outcome of operation ${id}`, async (t) => {
      const e = await getOrUndefined<OperationEntity>(t, opPk(id), id);
      if (!e || e.status !== from) {
        if (e && FINISHED.includes(e.status)) await this.syncIndex(t, toEntity(fromEntity(e))); // a crash may have left its index row behind
        return undefined;
      }
      const rec: FinishedOperation = { ...fromEntity(e), status, reason, finishedAt: at, reported: false };
      try {
        await t.updateEntity(toEntity(rec), 'Replace', { etag: etag ?? e.etag });
      } catch (err) {
        ignoreGone(err); // someone else recorded it first
        return undefined;
      }
      await this.syncIndex(t, toEntity(rec));
      return rec;
    });
    if (done) await this.unlock(id, done.cluster.id);
    return done;
  }

  /**
   * Records the outcome of an in-flight operation once and releases the cluster's lock. Returns the
   * finished record, or undefined when the outcome was already recorded (a repeat never reverses it).
   */
  finish(
    id: string,
    status: 'Succeeded' | 'Failed',
    reason: string,
    at: Date,
  ): Promise<FinishedOperation | undefined> {
    return this.complete(id, 'InProgress', status, reason, at);
  }

  /** AKS refused the operation when it was submitted: recorded Failed (kept in history), the lock released. */
  fail(claim: Claim, reason: string, at: Date): Promise<FinishedOperation | undefined> {
    return this.complete(claim.op.id, claim.stage ?? 'Starting', 'Failed', reason, at, claim.etag);
  }

  /** A dead holder's operation that AKS accepted and that has ended (found from ARM): its outcome, recorded once. */
  finishPending(
    op: PendingOperation,
    status: 'Succeeded' | 'Failed',
    reason: string,
    at: Date,
  ): Promise<FinishedOperation | undefined> {
    return this.complete(op.id, op.stage, status, reason, at);
  }
}

/**
 * Not accepted by AKS as far as the record says: `Starting`, `Submitting` (released only after ARM showed it
 * was not accepted), or a legacy `InProgress` record without a poller (neither recovered).
 */
function neverSubmitted(e: OperationEntity): boolean {
  return PENDING.includes(e.status) || (e.status === 'InProgress' && !e.poller && !e.recovered);
}
