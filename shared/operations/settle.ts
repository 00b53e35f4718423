import type { ContainerServiceClient } from '@azure/arm-containerservice';
import { toDay2Error } from '../azure/azureError';
import type { Deps } from '../deps';
import { isBusy } from '../fleet/cluster';
import type { JobName, OutcomeRecord } from '../records/outcome';
import type { OperationRecord } from '../state/operationStore';
import { mapLimit } from '../util/mapLimit';
import { restoreOperation } from './restore';

/** In-flight operations checked at most this many at a time. */
export const SETTLE_CONCURRENCY = 8;

export interface SettleResult {
  /** Operations that ended since they were last checked, recorded once (Succeeded / Failed). */
  outcomes: OutcomeRecord[];
  /** Operations still running on AKS. */
  running: OperationRecord[];
}

type Ended = { status: 'Succeeded' | 'Failed'; reason: string; power?: string };
type Verdict =
  Ended | { status: 'running' } | { status: 'unknown'; reason: string } | { status: 'never-submitted' };

/**
 * An operation recorded but never accepted by AKS (no poller: the instance crashed between the lock and
 * the submit) is given up after this long: its lock is released, no outcome is recorded.
 */
export const NEVER_SUBMITTED_MS = 5 * 60_000;

interface Resource {
  provisioningState: string;
  powerState?: string;
}

const target = (op: OperationRecord): string =>
  op.nodePool ? `${op.cluster.name} pool ${op.nodePool}` : op.cluster.name;

async function readResource(client: ContainerServiceClient, op: OperationRecord): Promise<Resource> {
  const { resourceGroup: rg, name } = op.cluster;
  if (op.nodePool) {
    const p = await client.agentPools.get(rg, name, op.nodePool);
    return { provisioningState: p.provisioningState ?? 'Succeeded', powerState: p.powerState?.code };
  }
  const mc = await client.managedClusters.get(rg, name);
  return { provisioningState: mc.provisioningState ?? 'Succeeded', powerState: mc.powerState?.code };
}

/** The verdict from the resource alone (no poller stored, or its status could not be read). */
function fromResource(op: OperationRecord, r: Resource, note = ''): Ended {
  if (r.provisioningState === 'Succeeded')
    return { status: 'Succeeded', reason: `${op.action} completed${note}`, power: r.powerState };
  return {
    status: 'Failed',
    reason: `${op.action} on ${target(op)} ended in provisioningState ${r.provisioningState}${note}`,
  };
}

/**
 * What became of one operation. The resource is read first (one GET): while its provisioningState is not
 * terminal the operation runs. Once it is, the operation itself is asked (its serialized poller, restored):
 * a failed operation carries AKS's code and message, which become the reason.
 */
async function verdictOf(client: ContainerServiceClient, op: OperationRecord): Promise<Verdict> {
  let r: Resource;
  try {
    r = await readResource(client, op);
  } catch (err) {
    const e = toDay2Error(err, { cluster: target(op), operation: `check ${op.action}` });
    if (e.code === 'NotFound')
      return { status: 'Failed', reason: `${target(op)} no longer exists: ${e.message}` };
    return { status: 'unknown', reason: e.message };
  }
  if (isBusy(r)) return { status: 'running' };
  // No poller: AKS never accepted it, so the resource's state says nothing about it (never Succeeded).
  if (!op.poller) return { status: 'never-submitted' };
  const poller = restoreOperation(client, op.poller); // throws Internal for a poller it cannot restore
  try {
    await poller.poll();
  } catch (err) {
    const e = toDay2Error(err, { cluster: target(op), operation: op.action });
    if (e.code === 'OperationFailed') return { status: 'Failed', reason: e.message };
    return fromResource(op, r, ` (operation status unreadable: ${e.message})`);
  }
  if (!poller.isDone) return { status: 'running' };
  return { status: 'Succeeded', reason: `${op.action} completed`, power: r.powerState };
}

function describe(op: OperationRecord, v: Ended, now: Date): string {
  const minutes = Math.max(0, Math.round((now.getTime() - op.startedAt.getTime()) / 60_000));
  if (v.status === 'Failed') return v.reason;
  return `${v.reason} after ${minutes} min${v.power ? `; ${target(op)} is ${v.power}` : ''}`;
}

function outcomeOf(op: OperationRecord, done: OperationRecord, now: Date): OutcomeRecord {
  return {
    action: op.action,
    outcome: done.status,
    cluster: op.cluster,
    ...(op.nodePool ? { nodePool: op.nodePool } : {}),
    ...(op.fromVersion ? { fromVersion: op.fromVersion } : {}),
    ...(op.toVersion ? { toVersion: op.toVersion } : {}),
    reason: done.reason ?? done.status,
    at: now,
    durationMs: now.getTime() - op.startedAt.getTime(),
    details: { ...op.details, operationId: op.id, startedByRun: op.runId },
  };
}

/** One operation: recorded when it ended; `running` when not (or when it could not be checked). */
async function settleOne(
  deps: Pick<Deps, 'azure' | 'state' | 'clock' | 'log'>,
  job: JobName,
  op: OperationRecord,
): Promise<OutcomeRecord | 'running' | 'gone'> {
  const v = await verdictOf(deps.azure.aks(op.cluster.subscriptionId), op);
  const now = deps.clock.now();
  if (v.status === 'never-submitted') {
    if (now.getTime() - op.startedAt.getTime() < NEVER_SUBMITTED_MS) return 'running';
    await deps.state.operations.release(op);
    deps.log.warn(
      `${job}: ${op.action} on ${target(op)} (operation ${op.id}) was never submitted to AKS; its lock is released, no outcome recorded`,
    );
    return 'gone';
  }
  if (v.status === 'running' || v.status === 'unknown') {
    if (v.status === 'unknown')
      deps.log.warn(
        `${job}: ${op.action} on ${target(op)} still counted in flight; could not check it: ${v.reason}`,
      );
    return 'running';
  }
  const reason = describe(op, v, now);
  const done = await deps.state.operations.finish(op.id, v.status, reason, now);
  if (!done) return 'gone'; // recorded by someone else first
  const message = `${job}: ${op.action} on ${target(op)} ${v.status}: ${reason}`;
  if (v.status === 'Failed') deps.log.error(message);
  else deps.log.info(message);
  return outcomeOf(op, done, now);
}

/**
 * Settles a job's operations started by earlier runs (power schedule ticks, upgrade runs): each one that
 * ended is recorded once in the OperationStore (which releases the cluster's lock) and returned as an
 * outcome for the current run. Generic over jobs: the sweeper uses it for upgrades.
 */
export async function settleOperations(
  deps: Pick<Deps, 'azure' | 'state' | 'clock' | 'log'>,
  job: JobName,
): Promise<SettleResult> {
  const ops = (await deps.state.operations.inFlight()).filter((o) => o.job === job);
  const outcomes: OutcomeRecord[] = [];
  const running: OperationRecord[] = [];
  await mapLimit(ops, SETTLE_CONCURRENCY, async (op) => {
    try {
      const r = await settleOne(deps, job, op);
      if (r === 'running') running.push(op);
      else if (r !== 'gone') outcomes.push(r);
    } catch (err) {
      // One bad record (a poller that cannot be restored, a storage failure) never stops the others.
      const e = toDay2Error(err, { cluster: op.cluster.name, operation: `settle ${op.action}` });
      deps.log.error(
        `${job}: ${op.action} on ${target(op)} (operation ${op.id}) still counted in flight; settling it failed: ${e.code}: ${e.message}`,
      );
      running.push(op);
    }
  });
  outcomes.sort((a, b) => a.cluster.name.localeCompare(b.cluster.name) || a.action.localeCompare(b.action));
  return { outcomes, running };
}
