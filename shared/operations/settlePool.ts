import { toDay2Error } from '../azure/azureError';
import type { Deps } from '../deps';
import type { OperationRecord } from '../state/operationStore';
import { restoreOperation } from './restore';
import { NEVER_SUBMITTED_MS } from './settle';

/** What ARM says about a pool operation aks-day2 started (node-image upgrade, pool version upgrade). */
export type PoolOperationState =
  { status: 'InProgress'; reason: string } | { status: 'Succeeded' | 'Failed'; reason: string };

export type SettleResult =
  /** Still running on AKS: nothing recorded. */
  | { state: 'running'; reason: string }
  /** The outcome was recorded now. */
  | { state: 'finished'; record: OperationRecord }
  /** Finished on AKS, but an event (or another sweep) had already recorded it. */
  | { state: 'already-recorded' }
  /** Never submitted to AKS (no poller) for longer than `NEVER_SUBMITTED_MS`: lock released, no outcome. */
  | { state: 'abandoned' };

const TERMINAL = ['Succeeded', 'Failed', 'Canceled'];

/** True for an operation on one pool (the ones this module settles). */
export function isPoolOperation(op: OperationRecord): boolean {
  return op.nodePool !== undefined && op.nodePool !== '';
}

/** One poll of the stored SDK poller (`restorePoller`); undefined when its status cannot be read. */
async function pollStored(
  deps: Pick<Deps, 'azure' | 'log'>,
  op: OperationRecord,
): Promise<PoolOperationState | undefined> {
  if (!op.poller) return undefined;
  const client = deps.azure.aks(op.cluster.subscriptionId);
  const where = `${op.cluster.name}/${op.nodePool ?? ''}`;
  try {
    // Never awaited itself (a PollerLike is thenable and would poll to completion): one poll only.
    const poller = restoreOperation(client, op.poller);
    const state = await poller.poll();
    if (state.status === 'succeeded')
      return { status: 'Succeeded', reason: `AKS reports the ${op.action} of ${where} succeeded` };
    return { status: 'InProgress', reason: `AKS reports the ${op.action} of ${where} ${state.status}` };
  } catch (err) {
    const error = toDay2Error(err, { cluster: op.cluster.name, operation: op.action });
    if (error.code === 'OperationFailed') return { status: 'Failed', reason: error.message };
    deps.log.warn(
      `settle: cannot read the operation status of ${where} (${error.message}); reading the pool instead`,
    );
    return undefined;
  }
}

/** The pool's own state from ARM: busy, or the terminal provisioningState it ended in. */
async function readPool(deps: Pick<Deps, 'azure'>, op: OperationRecord): Promise<PoolOperationState> {
  const where = `${op.cluster.name}/${op.nodePool ?? ''}`;
  try {
    const pool = await deps.azure
      .aks(op.cluster.subscriptionId)
      .agentPools.get(op.cluster.resourceGroup, op.cluster.name, op.nodePool ?? '');
    const state = pool.provisioningState ?? 'Succeeded';
    if (!TERMINAL.includes(state)) return { status: 'InProgress', reason: `pool ${where} is ${state}` };
    const image = pool.nodeImageVersion ? `, node image ${pool.nodeImageVersion}` : '';
    return state === 'Succeeded'
      ? { status: 'Succeeded', reason: `pool ${where} ended Succeeded${image}` }
      : { status: 'Failed', reason: `pool ${where} ended ${state}${image}` };
  } catch (err) {
    const error = toDay2Error(err, { cluster: op.cluster.name, operation: `read pool ${op.nodePool ?? ''}` });
    if (error.code === 'NotFound')
      return { status: 'Failed', reason: `pool ${where} no longer exists: ${error.message}` };
    throw error;
  }
}

/**
 * Reads a pool operation's state from ARM: the stored poller's operation status first (it carries AKS's
 * error code and message, e.g. the PDB that blocked the drain), else the pool's provisioningState.
 */
export async function readPoolOperation(
  deps: Pick<Deps, 'azure' | 'log'>,
  op: OperationRecord,
): Promise<PoolOperationState> {
  return (await pollStored(deps, op)) ?? (await readPool(deps, op));
}

/**
 * Settles an in-flight pool operation: when ARM says it ended, records the outcome once (a later event
 * or sweep cannot reverse it) and releases the cluster's lock.
 */
export async function settlePoolOperation(
  deps: Pick<Deps, 'azure' | 'log' | 'state' | 'clock'>,
  op: OperationRecord,
): Promise<SettleResult> {
  if (!op.poller) {
    // AKS never accepted it: the pool's state says nothing about it (never Succeeded).
    if (deps.clock.now().getTime() - op.startedAt.getTime() < NEVER_SUBMITTED_MS)
      return { state: 'running', reason: 'not submitted to AKS yet' };
    await deps.state.operations.release(op);
    deps.log.warn(
      `settle: ${op.action} of ${op.cluster.name}/${op.nodePool ?? ''} (operation ${op.id}) was never submitted to AKS; its lock is released, no outcome recorded`,
    );
    return { state: 'abandoned' };
  }
  const s = await readPoolOperation(deps, op);
  if (s.status === 'InProgress') return { state: 'running', reason: s.reason };
  const record = await deps.state.operations.finish(op.id, s.status, s.reason, deps.clock.now());
  return record ? { state: 'finished', record } : { state: 'already-recorded' };
}
