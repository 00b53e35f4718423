import { randomUUID } from 'node:crypto';
import { toDay2Error } from '../azure/azureError';
import type { Day2Error } from '../errors';
import { isBusy, toClusterSnapshot, type ClusterSnapshot } from '../fleet/cluster';
import type { OutcomeRecord } from '../records/outcome';
import type { NewOperation } from '../state/operationStore';
import type { PowerDecision } from './plan';
import { decisionOutcome, JOB, type Tick } from './tick';

const TARGET = { stop: 'Stopped', start: 'Running' } as const;

/** AKS will accept the change later: a 409 (another operation), or throttling / 5xx that outlived the SDK's retries. */
function retryLater(e: Day2Error): boolean {
  return e.code === 'Conflict' || e.code === 'Throttled' || e.code === 'AzureUnavailable';
}

async function reread(tick: Tick, d: PowerDecision): Promise<ClusterSnapshot> {
  const { resourceGroup, name, subscriptionId } = d.cluster;
  return toClusterSnapshot(
    await tick.deps.azure.aks(subscriptionId).managedClusters.get(resourceGroup, name),
  );
}

/** What the re-read says about the action: go ahead, or an outcome without calling AKS. */
function precheck(tick: Tick, d: PowerDecision, c: ClusterSnapshot): OutcomeRecord | undefined {
  if (isBusy(c)) {
    return decisionOutcome(
      tick,
      d,
      'Skipped',
      `deferred: an operation is in progress on the cluster (${c.provisioningState}); retrying next tick within the catch-up window (${d.reason})`,
      { deferred: true },
    );
  }
  if (c.powerState === TARGET[d.action]) {
    return decisionOutcome(
      tick,
      d,
      'Skipped',
      `already ${TARGET[d.action].toLowerCase()} when re-read before the change (${d.reason})`,
    );
  }
  return undefined;
}

/** Starts stop/start on AKS: waits for AKS to accept it (not for completion) and returns the serialized poller. */
async function submit(tick: Tick, d: PowerDecision): Promise<string> {
  const { resourceGroup, name, subscriptionId } = d.cluster;
  const clusters = tick.deps.azure.aks(subscriptionId).managedClusters;
  const poller =
    d.action === 'stop' ? clusters.stop(resourceGroup, name) : clusters.start(resourceGroup, name);
  await poller.submitted();
  return poller.serialize();
}

function failure(tick: Tick, d: PowerDecision, e: Day2Error): OutcomeRecord {
  const details = {
    errorCode: e.code,
    ...(e.azureCode ? { azureCode: e.azureCode } : {}),
    ...(e.statusCode ? { statusCode: e.statusCode } : {}),
  };
  if (retryLater(e)) {
    return decisionOutcome(
      tick,
      d,
      'Skipped',
      `deferred: ${e.message}; retrying next tick within the catch-up window (${d.reason})`,
      { deferred: true, ...details },
    );
  }
  return decisionOutcome(tick, d, 'Failed', e.message, details);
}

/**
 * Carries out one `act` decision of the plan. Dry run: the cluster is re-read and the outcome is
 * `Planned` (edges go to the dry-run edge store, never the real one). Otherwise: take the cluster's lock
 * (the operation is recorded `Starting`), re-read it, and call AKS; once AKS accepted it the operation is
 * recorded in flight with its serialized poller and a later tick records how it ended. The edge is
 * consumed unless the action is deferred (operation running, 409, throttled or unavailable), so it is
 * retried next tick. Never throws for an Azure failure (it becomes the outcome); storage failures propagate.
 */
export async function applyAction(tick: Tick, d: PowerDecision): Promise<OutcomeRecord> {
  const { deps } = tick;
  const consume = (): Promise<void> => tick.edges.markHandled(d.cluster.id, d.action, d.edge);
  // An upgrade run owns the cluster's power state until it ends (it starts and stops it again itself).
  const upgrading = await deps.state.upgradeRuns.activeFor(d.cluster);
  if (upgrading) {
    await consume();
    return decisionOutcome(
      tick,
      d,
      'Skipped',
      `upgrade run ${upgrading.id} (${upgrading.state}) is carrying the cluster; the schedule leaves it alone until the run ends (${d.reason})`,
      { upgradeRun: upgrading.id },
    );
  }
  if (tick.dryRun) {
    let o: OutcomeRecord;
    try {
      o =
        precheck(tick, d, await reread(tick, d)) ??
        decisionOutcome(tick, d, 'Planned', `dry run: would ${d.action} (${d.reason})`);
    } catch (err) {
      o = failure(tick, d, toDay2Error(err, { cluster: d.cluster.name, operation: d.action }));
    }
    if (o.details?.deferred !== true) await consume();
    return o;
  }
  const op: NewOperation = {
    id: randomUUID(),
    runId: tick.runId,
    job: JOB,
    action: d.action,
    actor: tick.actor,
    cluster: d.cluster,
    startedAt: deps.clock.now(),
    details: { edge: d.edge.toISOString(), edgeKey: d.edgeKey },
  };
  const claim = await deps.state.operations.start(op);
  if (!claim) {
    return decisionOutcome(
      tick,
      d,
      'Skipped',
      `deferred: another aks-day2 operation holds the cluster; retrying next tick (${d.reason})`,
      { deferred: true },
    );
  }
  let skip: OutcomeRecord | undefined;
  let error: Day2Error | undefined;
  let poller: string | undefined;
  try {
    skip = precheck(tick, d, await reread(tick, d));
    if (!skip) poller = await submit(tick, d);
  } catch (err) {
    error = toDay2Error(err, { cluster: d.cluster.name, operation: d.action });
  }
  if (skip) {
    await deps.state.operations.release(op);
    if (skip.details?.deferred !== true) await consume();
    return skip;
  }
  if (error || poller === undefined) {
    const e =
      error ??
      toDay2Error(new Error('AKS returned no operation to follow'), {
        cluster: d.cluster.name,
        operation: d.action,
      });
    const o = failure(tick, d, e);
    if (o.outcome === 'Failed') {
      await deps.state.operations.fail(claim, e.message, deps.clock.now());
      await consume();
      return { ...o, details: { ...o.details, operationId: op.id } };
    }
    await deps.state.operations.release(op);
    return o;
  }
  const recorded = await deps.state.operations.submitted(claim, poller);
  await consume();
  if (!recorded) {
    deps.log.error(
      `${JOB}: ${d.action} on ${d.cluster.name} was accepted by AKS, but operation ${op.id} was given up meanwhile (it stayed Starting too long); its end will not be recorded`,
    );
    return decisionOutcome(
      tick,
      d,
      'InProgress',
      `${d.action} accepted by AKS (${d.reason}); its end will not be recorded (the operation record was given up while AKS answered)`,
      { operationId: op.id, untracked: true },
    );
  }
  return decisionOutcome(
    tick,
    d,
    'InProgress',
    `${d.action} accepted by AKS (${d.reason}); the next tick records how it ends`,
    { operationId: op.id },
  );
}
