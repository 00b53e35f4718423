import type { TableClient } from '@azure/data-tables';
import type { ClusterRef } from '../fleet/cluster';
import type { Actor, JobName } from '../records/outcome';
import { getOrUndefined, isConflict, isNotFound, keyOf, Tables } from './tables';

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
}

interface OperationEntity {
  id: string; runId: string; job: string; action: string; actor: string; cluster: string; nodePool?: string;
  fromVersion?: string; toVersion?: string; startedAt: string; finishedAt?: string; status: string; reason?: string;
  poller?: string; details?: string; clusterId: string;
}

const toEntity = (r: OperationRecord): OperationEntity & { partitionKey: string; rowKey: string } => ({
  partitionKey: 'op',
  rowKey: r.id,
  id: r.id, runId: r.runId, job: r.job, action: r.action, actor: r.actor, cluster: JSON.stringify(r.cluster),
  clusterId: r.cluster.id.toLowerCase(), nodePool: r.nodePool, fromVersion: r.fromVersion, toVersion: r.toVersion,
  startedAt: r.startedAt.toISOString(), finishedAt: r.finishedAt?.toISOString(), status: r.status, reason: r.reason,
  poller: r.poller, details: r.details ? JSON.stringify(r.details) : undefined,
});

const fromEntity = (e: OperationEntity): OperationRecord => ({
  id: e.id, runId: e.runId, job: e.job as JobName, action: e.action, actor: e.actor as Actor,
  cluster: JSON.parse(e.cluster) as ClusterRef, nodePool: e.nodePool || undefined, fromVersion: e.fromVersion || undefined,
  toVersion: e.toVersion || undefined, startedAt: new Date(e.startedAt), finishedAt: e.finishedAt ? new Date(e.finishedAt) : undefined,
  status: e.status as OperationRecord['status'], reason: e.reason || undefined, poller: e.poller || undefined,
  details: e.details ? (JSON.parse(e.details) as Record<string, unknown>) : undefined,
});

/**
 * Operations in flight and their history. The in-flight record of a cluster is also its lock: at most
 * one aks-day2 operation runs on a cluster at a time (`claimCluster`). Outcomes are recorded once: a late
 * or repeated report (event, sweeper) never reverses a recorded outcome.
 */
export class OperationStore {
  constructor(private readonly tables: Tables) {}

  private ops(): Promise<TableClient> { return this.tables.table('operations'); }
  private locks(): Promise<TableClient> { return this.tables.table('locks'); }

  /**
   * Takes the cluster's lock for `op` (insert-if-absent) and records the operation in flight.
   * Returns false when another aks-day2 operation holds the cluster (lock not expired).
   */
  async start(op: OperationRecord, lockTtlMs = 6 * 3_600_000): Promise<boolean> {
    const locks = await this.locks();
    const pk = 'lock';
    const rk = keyOf(op.cluster.id);
    const entity = { partitionKey: pk, rowKey: rk, operationId: op.id, expiresAt: new Date(op.startedAt.getTime() + lockTtlMs).toISOString() };
    try {
      await locks.createEntity(entity);
    } catch (err) {
      if (!isConflict(err)) throw err;
      const held = await getOrUndefined<{ operationId: string; expiresAt: string }>(locks, pk, rk);
      if (held && new Date(held.expiresAt) > op.startedAt) return false;
      try {
        await locks.updateEntity(entity, 'Replace', { etag: held?.etag ?? '*' });
      } catch (e) {
        if (isConflict(e)) return false;
        throw e;
      }
    }
    await (await this.ops()).upsertEntity(toEntity(op), 'Replace');
    return true;
  }

  async get(id: string): Promise<OperationRecord | undefined> {
    const e = await getOrUndefined<OperationEntity>(await this.ops(), 'op', id);
    return e ? fromEntity(e) : undefined;
  }

  async update(op: OperationRecord): Promise<void> {
    await (await this.ops()).upsertEntity(toEntity(op), 'Replace');
  }

  async inFlight(): Promise<OperationRecord[]> {
    const out: OperationRecord[] = [];
    for await (const e of (await this.ops()).listEntities<OperationEntity>({ queryOptions: { filter: "PartitionKey eq 'op' and status eq 'InProgress'" } })) out.push(fromEntity(e));
    return out.sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime());
  }

  async history(filter: { job?: JobName; since?: Date } = {}): Promise<OperationRecord[]> {
    const parts = ["PartitionKey eq 'op'"];
    if (filter.job) parts.push(`job eq '${filter.job}'`);
    if (filter.since) parts.push(`startedAt ge '${filter.since.toISOString()}'`);
    const out: OperationRecord[] = [];
    for await (const e of (await this.ops()).listEntities<OperationEntity>({ queryOptions: { filter: parts.join(' and ') } })) out.push(fromEntity(e));
    return out.sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime());
  }

  /**
   * Gives up a lock taken with `start` for an operation that was never started on AKS (the re-read showed
   * it was not needed or not possible now): deletes its in-flight record and the lock it holds.
   */
  async release(op: Pick<OperationRecord, 'id' | 'cluster'>): Promise<void> {
    const ops = await this.ops();
    const e = await getOrUndefined<OperationEntity>(ops, 'op', op.id);
    if (e?.status === 'InProgress') {
      await ops.deleteEntity('op', op.id, { etag: e.etag }).catch((err: unknown) => { if (!isConflict(err) && !isNotFound(err)) throw err; });
    }
    await this.unlock(op.id, op.cluster.id);
  }

  private async unlock(operationId: string, clusterId: string): Promise<void> {
    const locks = await this.locks();
    const lock = await getOrUndefined<{ operationId: string }>(locks, 'lock', keyOf(clusterId));
    if (lock?.operationId !== operationId) return;
    await locks.deleteEntity('lock', keyOf(clusterId), { etag: lock.etag }).catch((err: unknown) => { if (!isConflict(err) && !isNotFound(err)) throw err; });
  }

  /**
   * Records the outcome of an in-flight operation once and releases the cluster's lock. Returns the
   * finished record, or undefined when the outcome was already recorded (a repeat never reverses it).
   */
  async finish(id: string, status: 'Succeeded' | 'Failed', reason: string, at: Date): Promise<OperationRecord | undefined> {
    const ops = await this.ops();
    const e = await getOrUndefined<OperationEntity>(ops, 'op', id);
    if (!e || e.status !== 'InProgress') return undefined;
    const done: OperationRecord = { ...fromEntity(e), status, reason, finishedAt: at };
    try {
      await ops.updateEntity(toEntity(done), 'Replace', { etag: e.etag });
    } catch (err) {
      if (isConflict(err)) return undefined; // someone else recorded it first
      throw err;
    }
    await this.unlock(id, done.cluster.id);
    return done;
  }
}
