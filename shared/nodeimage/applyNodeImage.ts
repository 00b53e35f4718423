import { randomUUID } from 'node:crypto';
import { toDay2Error } from '../azure/azureError';
import type { Deps } from '../deps';
import type { Actor, OutcomeRecord } from '../records/outcome';
import type { OperationRecord } from '../state/operationStore';
import type { NodeImageOpDetails } from './history';
import type { NodeImageDecision } from './plan';

const TERMINAL = ['Succeeded', 'Failed', 'Canceled'];

/** Poll interval of the SDK poller if anything ever waits on it (nothing in this job does). */
export const POLL_INTERVAL_MS = 5_000;

/** Gives the cluster's lock back for an operation that never reached AKS (no record of it stays). */
async function abandonOperation(deps: Pick<Deps, 'state' | 'log'>, op: OperationRecord, reason: string): Promise<void> {
  deps.log.info(`node-image: ${op.cluster.name}/${op.nodePool ?? ''} not started: ${reason}`);
  await deps.state.operations.release(op);
}

/**
 * Applies one `upgrade` decision: takes the cluster's lock, re-reads the pool from ARM, and submits
 * `agentPools.upgradeNodeImageVersion` without waiting for it (events and the sweeper record the end).
 * The serialized poller is stored with the operation for `restorePoller`.
 */
export async function applyNodeImageUpgrade(
  deps: Deps,
  d: NodeImageDecision,
  ctx: { runId: string; actor: Actor },
): Promise<OutcomeRecord> {
  const now = deps.clock.now();
  const details: NodeImageOpDetails = { ring: d.ring, osKey: d.osKey, imageVersion: d.to };
  const base = { action: 'node-image-upgrade', cluster: d.cluster, nodePool: d.pool, fromVersion: d.from, toVersion: d.to, details: { ...details } };
  const outcome = (o: OutcomeRecord['outcome'], reason: string): OutcomeRecord => ({ ...base, outcome: o, reason, at: deps.clock.now() });
  if (deps.settings.dryRun) return outcome('Planned', d.reason);

  const op: OperationRecord = {
    id: randomUUID(),
    runId: ctx.runId,
    job: 'node-image',
    action: 'node-image-upgrade',
    actor: ctx.actor,
    cluster: d.cluster,
    nodePool: d.pool,
    fromVersion: d.from,
    toVersion: d.to,
    startedAt: now,
    status: 'InProgress',
    details: { ...details },
  };
  if (!(await deps.state.operations.start(op))) {
    return outcome('Skipped', 'another aks-day2 operation holds the cluster; the next run tries again');
  }
  const { resourceGroup, name } = d.cluster;
  const client = deps.azure.aks(d.cluster.subscriptionId);
  try {
    const pool = await client.agentPools.get(resourceGroup, name, d.pool);
    const state = pool.provisioningState ?? 'Succeeded';
    if (!TERMINAL.includes(state)) {
      await abandonOperation(deps, op, `pool busy (provisioningState ${state})`);
      return outcome('Skipped', `pool busy: provisioningState ${state}; waiting for the next run`);
    }
    if (pool.nodeImageVersion === d.to) {
      await abandonOperation(deps, op, `pool already runs ${d.to}`);
      return outcome('Skipped', `pool already runs ${d.to}`);
    }
    const poller = client.agentPools.upgradeNodeImageVersion(resourceGroup, name, d.pool, { updateIntervalInMs: POLL_INTERVAL_MS });
    await poller.submitted();
    const serialized = await poller.serialize();
    await deps.state.operations.update({ ...op, poller: serialized });
    deps.log.info(`node-image: ${name}/${d.pool} upgrading ${d.from} → ${d.to} (ring ${d.ring})`);
    return { ...outcome('InProgress', `started: ${d.reason}`), details: { ...details, operationId: op.id } };
  } catch (err) {
    const error = toDay2Error(err, { cluster: name, operation: 'node-image upgrade' });
    await abandonOperation(deps, op, error.message);
    if (error.code === 'Conflict') {
      deps.log.warn(`node-image: ${name}/${d.pool}: AKS is busy, waiting for the next run: ${error.message}`);
      return outcome('Skipped', `AKS is busy (another operation is in progress); the next run tries again: ${error.message}`);
    }
    deps.log.error(`node-image: ${name}/${d.pool}: ${error.message}`);
    return { ...outcome('Failed', error.message), details: { ...details, errorCode: error.code, ...(error.azureCode ? { azureCode: error.azureCode } : {}) } };
  }
}
