import { toDay2Error } from '../azure/azureError';
import type { Deps } from '../deps';
import { parseClusterId, sameId, type ClusterRef } from '../fleet/cluster';
import { operationOutcome, readVerdict, type Verdict } from '../operations/lifecycle';
import type { OutcomeRecord } from '../records/outcome';
import type { OperationRecord } from '../state/operationStore';
import type { AksEvent } from './parse';
import { isTransient } from './transient';

type PoolEvent = Extract<
  AksEvent,
  { type: 'NodePoolRollingStarted' | 'NodePoolRollingSucceeded' | 'NodePoolRollingFailed' }
>;

/** An event older than the operation (by more than clock skew) belongs to an earlier roll of the pool. */
const SKEW_MS = 5 * 60_000;

export function clusterRefOf(e: Pick<AksEvent, 'clusterId' | 'clusterName'>): ClusterRef {
  return (
    parseClusterId(e.clusterId) ?? {
      id: e.clusterId,
      name: e.clusterName,
      subscriptionId: '',
      resourceGroup: '',
    }
  );
}

async function operationsFor(deps: Pick<Deps, 'state'>, e: PoolEvent): Promise<OperationRecord[]> {
  return (await deps.state.operations.inFlight()).filter(
    (o) => sameId(o.cluster.id, e.clusterId) && o.nodePool === e.data.nodePoolName,
  );
}

function finishedOutcome(op: OperationRecord, e: PoolEvent): OutcomeRecord {
  return operationOutcome(op, { at: op.finishedAt ?? e.time, details: { eventId: e.id } });
}

const isStale = (op: OperationRecord, e: PoolEvent): boolean =>
  e.time.getTime() < op.startedAt.getTime() - SKEW_MS;
const endTime = (op: OperationRecord, e: PoolEvent): Date =>
  new Date(Math.max(e.time.getTime(), op.startedAt.getTime()));

/**
 * NodePoolRolling* (docs/functions.md, Event Grid): Started is progress (logged); Succeeded records the in-flight pool
 * operation of that cluster and pool as Succeeded; Failed reads the operation and the pool from ARM for
 * AKS's reason and records it Failed, unless ARM says the operation is still in progress (then it stays in
 * flight and the sweeper records its end). Outcomes are recorded once: a late or repeated event changes nothing.
 */
export async function handlePoolRolling(deps: Deps, e: PoolEvent): Promise<OutcomeRecord[]> {
  const where = `${e.clusterName}/${e.data.nodePoolName}`;
  if (e.type === 'NodePoolRollingStarted') {
    deps.log.info(`events: ${where} started rolling at ${e.time.toISOString()}`);
    return [];
  }
  const ops = (await operationsFor(deps, e)).filter((op) => {
    if (!isStale(op, e)) return true;
    deps.log.warn(
      `events: ${e.type} for ${where} at ${e.time.toISOString()} predates operation ${op.id}; ignored`,
    );
    return false;
  });
  if (ops.length === 0) {
    const pending = await deps.state.operations.pendingHolder(e.clusterId);
    if (pending?.nodePool === e.data.nodePoolName) {
      // Ours, but AKS's answer to its submit is not recorded yet: its holder or, after a crash, the sweeper records it.
      deps.log.info(
        `events: ${e.type} for ${where}: operation ${pending.id} is not recorded as accepted yet; its outcome is recorded from ARM`,
      );
      return [];
    }
    return notOurs(deps, e);
  }
  const out: OutcomeRecord[] = [];
  for (const op of ops) {
    let status: 'Succeeded' | 'Failed' = e.type === 'NodePoolRollingSucceeded' ? 'Succeeded' : 'Failed';
    let reason = `AKS reported ${e.type} at ${e.time.toISOString()}`;
    if (status === 'Failed') {
      let s: Verdict;
      try {
        s = await readVerdict(deps, op);
      } catch (err) {
        const error = toDay2Error(err, {
          cluster: e.clusterName,
          operation: `read pool ${e.data.nodePoolName}`,
        });
        if (isTransient(error)) throw error; // Event Grid redelivers; nothing recorded yet
        s = {
          status: 'Failed' as const,
          reason: `${reason}; the reason could not be read from ARM: ${error.message}`,
        };
      }
      if (s.status === 'running') {
        // AKS may report a failed attempt while it still rolls the pool: the lock stays, the sweeper records the end.
        deps.log.warn(
          `events: ${where}: AKS reported ${e.type}, but ARM says operation ${op.id} is still in progress (${s.reason}); left in flight, the sweeper records how it ends`,
        );
        continue;
      }
      if (s.status === 'Succeeded')
        deps.log.warn(
          `events: ${where}: AKS reported ${e.type}, but ARM says the operation succeeded; recording what ARM says`,
        );
      status = s.status;
      reason = s.reason;
    }
    const done = await deps.state.operations.finish(op.id, status, reason, endTime(op, e));
    if (!done) {
      deps.log.info(`events: ${where}: the outcome of operation ${op.id} was already recorded`);
      continue;
    }
    if (status === 'Failed') deps.log.error(`events: ${where} ${op.action} Failed: ${reason}`);
    else deps.log.info(`events: ${where} ${op.action} Succeeded: ${reason}`);
    out.push(finishedOutcome(done, e));
  }
  return out;
}

/**
 * An end of a roll that no in-flight aks-day2 operation waits for: one aks-day2 already recorded (the
 * sweeper was first, or this is a repeat) is only logged; a failure of a roll aks-day2 did not start
 * (AKS's own upgrade, a manual one) is reported with the pool's state.
 */
async function notOurs(deps: Deps, e: PoolEvent): Promise<OutcomeRecord[]> {
  const where = `${e.clusterName}/${e.data.nodePoolName}`;
  const recent = (
    await deps.state.operations.history({ since: new Date(e.time.getTime() - 24 * 3_600_000) })
  ).filter((o) => sameId(o.cluster.id, e.clusterId) && o.nodePool === e.data.nodePoolName);
  if (recent.length > 0 || e.type === 'NodePoolRollingSucceeded') {
    deps.log.info(
      `events: ${e.type} for ${where}: no aks-day2 operation waits for it${recent.length ? ' (already recorded)' : ''}`,
    );
    return [];
  }
  const cluster = clusterRefOf(e);
  let state: string;
  try {
    const pool = await deps.azure
      .aks(cluster.subscriptionId)
      .agentPools.get(cluster.resourceGroup, cluster.name, e.data.nodePoolName);
    state = `pool provisioningState ${pool.provisioningState ?? 'unknown'}, node image ${pool.nodeImageVersion ?? 'unknown'}`;
  } catch (err) {
    state = `the pool could not be read from ARM: ${toDay2Error(err, { cluster: cluster.name, operation: `read pool ${e.data.nodePoolName}` }).message}`;
  }
  deps.log.error(`events: ${where} failed rolling (not an aks-day2 operation): ${state}`);
  return [
    {
      action: 'node-pool-rolling',
      outcome: 'Failed',
      cluster,
      nodePool: e.data.nodePoolName,
      reason: `AKS reported NodePoolRollingFailed for a roll aks-day2 did not start; ${state}`,
      at: e.time,
      details: { eventId: e.id },
    },
  ];
}
