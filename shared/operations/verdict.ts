import { toDay2Error } from '../azure/azureError';
import type { Deps } from '../deps';
import type { OperationRecord } from '../state/operationStore';
import { isRunning, readResource, showsEffect, targetLabel, type ResourceState } from './resource';
import { readOperationStatus, type OperationStatus } from './operationStatus';

/** What ARM says about an operation AKS accepted. */
export type Verdict =
  { status: 'running'; reason: string } | { status: 'Succeeded' | 'Failed'; reason: string; power?: string };

const poolLabel = (op: OperationRecord): string => `${op.cluster.name}/${op.nodePool ?? ''}`;

/** The verdict from the resource alone: no poller (found from ARM after a crash), or its status unreadable. */
function fromResource(op: OperationRecord, r: ResourceState, note = ''): Verdict {
  if (op.nodePool) {
    const image = r.nodeImageVersion ? `, node image ${r.nodeImageVersion}` : '';
    const tail = `${image}${r.error ? `: ${r.error}` : ''}${note}`;
    return r.provisioningState === 'Succeeded'
      ? { status: 'Succeeded', reason: `pool ${poolLabel(op)} ended Succeeded${tail}` }
      : { status: 'Failed', reason: `pool ${poolLabel(op)} ended ${r.provisioningState}${tail}` };
  }
  if (r.provisioningState === 'Succeeded')
    return { status: 'Succeeded', reason: `${op.action} completed${note}`, power: r.powerState };
  return {
    status: 'Failed',
    reason: `${op.action} on ${targetLabel(op)} ended in provisioningState ${r.provisioningState}${r.error ? ` (${r.error})` : ''}${note}`,
  };
}

/**
 * The one settle order. The resource is read first (one GET): while its provisioningState is not
 * terminal the operation runs (the operation-status endpoint, throttled apart, is not polled). Once it
 * is terminal and shows the effect the operation was sent for (its intent's `expect`, not shown before),
 * it succeeded. Otherwise the operation itself is asked once (`readOperationStatus`: its status URL, no
 * second read of the resource): a failed operation carries AKS's code and message (e.g. the PDB that
 * blocked a drain), which become the reason. Without a poller, or when its status cannot be read, the
 * resource's terminal state decides.
 *
 * The resource gone is a Failed verdict; any other failure to read it is thrown (a Day2Error): nothing
 * is known, the operation stays in flight.
 */
export async function readVerdict(deps: Pick<Deps, 'azure' | 'log'>, op: OperationRecord): Promise<Verdict> {
  const client = deps.azure.aks(op.cluster.subscriptionId);
  let r: ResourceState;
  try {
    r = await readResource(client, op);
  } catch (err) {
    const e = toDay2Error(err, {
      cluster: op.cluster.name,
      operation: op.nodePool ? `read pool ${op.nodePool}` : `check ${op.action}`,
    });
    if (e.code === 'NotFound')
      return {
        status: 'Failed',
        reason: op.nodePool
          ? `pool ${poolLabel(op)} no longer exists: ${e.message}`
          : `${targetLabel(op)} no longer exists: ${e.message}`,
      };
    throw e;
  }
  if (isRunning(r))
    return {
      status: 'running',
      reason: `${op.nodePool ? `pool ${poolLabel(op)}` : targetLabel(op)} is ${r.provisioningState}`,
    };
  if (!op.poller) return fromResource(op, r, op.recovered ? ' (found from ARM: its answer was lost)' : '');
  if (showsItsEffect(op, r)) return succeeded(op, r);
  let status: OperationStatus;
  try {
    status = await readOperationStatus(client, op.poller, { cluster: op.cluster.name, operation: op.action });
  } catch (err) {
    const e = toDay2Error(err, { cluster: op.cluster.name, operation: op.action });
    // A stored poller that cannot be restored is a defect of the record: thrown (logged, left in flight).
    if (e.code === 'Internal') throw e;
    deps.log.warn(
      `settle: cannot read the operation status of ${targetLabel(op)} (${e.message}); its resource decides`,
    );
    return fromResource(op, r, ` (operation status unreadable: ${e.message})`);
  }
  if (status.state === 'Failed') return { status: 'Failed', reason: status.error.message };
  if (status.state === 'running')
    return { status: 'running', reason: `AKS reports the ${op.action} of ${targetLabel(op)} still running` };
  return succeeded(op, r);
}

/**
 * The resource at rest (`Succeeded`) showing what the operation was sent for (its intent's `expect`),
 * which it did not show before: that is AKS's answer, and its status needs no read of its own.
 */
function showsItsEffect(op: OperationRecord, r: ResourceState): boolean {
  const expect = op.intent?.expect;
  const before = op.intent?.before;
  return (
    r.provisioningState === 'Succeeded' && showsEffect(r, expect) && !(before && showsEffect(before, expect))
  );
}

function succeeded(op: OperationRecord, r: ResourceState): Verdict {
  if (op.nodePool)
    return { status: 'Succeeded', reason: `AKS reports the ${op.action} of ${poolLabel(op)} succeeded` };
  return { status: 'Succeeded', reason: `${op.action} completed`, power: r.powerState };
}

/** The reason recorded for a cluster operation: how long it took and the state it left (pools: as is). */
export function describeVerdict(
  op: OperationRecord,
  v: Extract<Verdict, { status: 'Succeeded' | 'Failed' }>,
  now: Date,
): string {
  if (v.status === 'Failed' || op.nodePool) return v.reason;
  const minutes = Math.max(0, Math.round((now.getTime() - op.startedAt.getTime()) / 60_000));
  return `${v.reason} after ${minutes} min${v.power ? `; ${targetLabel(op)} is ${v.power}` : ''}`;
}
