import { toDay2Error } from '../azure/azureError';
import type { Day2Error } from '../errors';
import { isBusy, toClusterSnapshot, type ClusterSnapshot } from '../fleet/cluster';
import type { OutcomeRecord } from '../records/outcome';
import { acquire, release, retryLater, submit } from '../operations/lifecycle';
import type { PowerDecision } from './plan';
import { decisionOutcome, JOB, POWER_DURING, POWER_TARGET, type Tick } from './tick';

async function reread(tick: Tick, d: PowerDecision): Promise<ClusterSnapshot> {
  const { resourceGroup, name, subscriptionId } = d.cluster;
  return toClusterSnapshot(
    await tick.deps.azure.aks(subscriptionId).managedClusters.get(resourceGroup, name),
  );
}

/** What the cluster as last read says about the action: go ahead, or an outcome without calling AKS. */
function precheck(
  tick: Tick,
  d: PowerDecision,
  c: ClusterSnapshot,
  fromListing = false,
): OutcomeRecord | undefined {
  if (isBusy(c)) {
    return decisionOutcome(
      tick,
      d,
      'Skipped',
      `deferred: an operation is in progress on the cluster (${c.provisioningState}); retrying next tick within the catch-up window (${d.reason})`,
      { deferred: true },
    );
  }
  if (c.powerState === POWER_TARGET[d.action]) {
    return decisionOutcome(
      tick,
      d,
      'Skipped',
      `already ${POWER_TARGET[d.action].toLowerCase()} when ${fromListing ? 'listed' : 're-read before the change'} (${d.reason})`,
    );
  }
  return undefined;
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
 * Carries out one `act` decision of the plan. `listed`: the cluster from a listing still fresh enough to
 * act on (see `listingIsFresh`), which then stands in for the re-read; without it the cluster is read
 * again first. Dry run: the cluster is checked and the outcome is
 * `Planned` (edges go to the dry-run edge store, never the real one). Otherwise, through the operation
 * lifecycle: acquire the cluster's lock, re-read the cluster (its own step; skipped for a fresh
 * listing, AKS's 409 still refusing a cluster that became busy), and submit; once AKS
 * accepted it the operation is in flight with its serialized poller and a later tick records how it
 * ended. The edge is consumed unless the action is deferred (operation running, 409, throttled or
 * unavailable), so it is retried next tick. Never throws for an Azure failure (it becomes the outcome);
 * storage failures propagate.
 */
export async function applyAction(
  tick: Tick,
  d: PowerDecision,
  listed?: ClusterSnapshot,
): Promise<OutcomeRecord> {
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
        (listed ? precheck(tick, d, listed, true) : precheck(tick, d, await reread(tick, d))) ??
        decisionOutcome(tick, d, 'Planned', `dry run: would ${d.action} (${d.reason})`);
    } catch (err) {
      o = failure(tick, d, toDay2Error(err, { cluster: d.cluster.name, operation: d.action }));
    }
    if (o.details?.deferred !== true) await consume();
    return o;
  }
  const claim = await acquire(deps, {
    runId: tick.runId,
    job: JOB,
    action: d.action,
    actor: tick.actor,
    cluster: d.cluster,
    details: { edge: d.edge.toISOString(), edgeKey: d.edgeKey },
  });
  if (!claim) {
    return decisionOutcome(
      tick,
      d,
      'Skipped',
      `deferred: another aks-day2 operation holds the cluster; retrying next tick (${d.reason})`,
      { deferred: true },
    );
  }
  const operationId = claim.op.id;

  // The re-read: the cluster as ARM shows it now, before anything is asked of AKS (a fresh listing stands in).
  let observed: ClusterSnapshot;
  try {
    observed = listed ?? (await reread(tick, d));
  } catch (err) {
    const e = toDay2Error(err, { cluster: d.cluster.name, operation: d.action });
    const o = failure(tick, d, e);
    if (o.outcome !== 'Failed') {
      await release(deps, claim);
      return o;
    }
    await deps.state.operations.fail(claim, e.message, deps.clock.now());
    await consume();
    return { ...o, details: { ...o.details, operationId } };
  }
  const skip = precheck(tick, d, observed, listed !== undefined);
  if (skip) {
    await release(deps, claim);
    if (skip.details?.deferred !== true) await consume();
    return skip;
  }

  const { resourceGroup, name, subscriptionId } = d.cluster;
  const clusters = deps.azure.aks(subscriptionId).managedClusters;
  const r = await submit(deps, claim, {
    expect: { powerState: POWER_TARGET[d.action] },
    during: [POWER_DURING[d.action]],
    observed: { provisioningState: observed.provisioningState, powerState: observed.powerState },
    send: () =>
      d.action === 'stop' ? clusters.stop(resourceGroup, name) : clusters.start(resourceGroup, name),
  });
  if (r.state === 'later') return failure(tick, d, r.error);
  if (r.state === 'refused') {
    const o = failure(tick, d, r.error);
    return { ...o, details: { ...o.details, operationId } };
  }
  if (!r.tracked) {
    return decisionOutcome(
      tick,
      d,
      'InProgress',
      `${d.action} accepted by AKS (${d.reason}); its answer was lost on the way, ARM shows it running; the next tick records how it ends`,
      { operationId, recovered: true },
    );
  }
  return decisionOutcome(
    tick,
    d,
    'InProgress',
    `${d.action} accepted by AKS (${d.reason}); the next tick records how it ends`,
    { operationId },
  );
}
