import { toDay2Error } from '../azure/azureError';
import type { Deps } from '../deps';
import type { Day2Error } from '../errors';
import { isBusy, toClusterSnapshot, type ClusterRef, type ClusterSnapshot } from '../fleet/cluster';
import { acquire, release, retryLater, submit } from '../operations/lifecycle';
import type { Actor, OutcomeRecord } from '../records/outcome';
import type { PowerAction } from './plan';
import { JOB, POWER_DURING, POWER_TARGET } from './tick';

const errorDetails = (e: Day2Error): Record<string, unknown> => ({
  errorCode: e.code,
  ...(e.azureCode ? { azureCode: e.azureCode } : {}),
});

/**
 * Stop or start a cluster now, on a person's request (ChatOps), through the operation lifecycle like the
 * schedule's actions: the cluster's lock (a holder whose lease ran out is recovered from ARM first), a
 * re-read, the intent recorded before the request, then AKS's answer (its poller), so the power
 * schedule's next tick or the sweeper records how it ends. A lost answer is looked up in ARM; AKS busy
 * (409), throttling or unavailable is a Skipped outcome with nothing recorded. Schedule edges are left
 * alone. Returns the outcome to report; an Azure refusal is the outcome, storage failures propagate.
 */
export async function powerNow(
  deps: Deps,
  req: { action: PowerAction; cluster: ClusterRef; actor: Actor; runId: string },
): Promise<OutcomeRecord> {
  const { action, cluster } = req;
  const outcome = (o: OutcomeRecord['outcome'], reason: string, details: Record<string, unknown> = {}) => ({
    action,
    outcome: o,
    cluster,
    reason,
    at: deps.clock.now(),
    details: { requestedBy: req.actor, ...details },
  });
  const later = (e: Day2Error) =>
    outcome('Skipped', `AKS cannot take it now (${e.message}); try again later`, errorDetails(e));
  const upgrading = await deps.state.upgradeRuns.activeFor(cluster);
  if (upgrading)
    return outcome('Skipped', `upgrade run ${upgrading.id} (${upgrading.state}) is carrying the cluster`, {
      upgradeRun: upgrading.id,
    });
  const claim = await acquire(deps, {
    runId: req.runId,
    job: JOB,
    action,
    actor: req.actor,
    cluster,
    details: { manual: true },
  });
  if (!claim) return outcome('Skipped', 'another aks-day2 operation holds the cluster; try again later');
  const operationId = claim.op.id;
  const aks = deps.azure.aks(cluster.subscriptionId).managedClusters;

  // The re-read: the cluster as ARM shows it now, before anything is asked of AKS.
  let now: ClusterSnapshot;
  try {
    now = toClusterSnapshot(await aks.get(cluster.resourceGroup, cluster.name));
  } catch (err) {
    const e = toDay2Error(err, { cluster: cluster.name, operation: action });
    if (retryLater(e)) {
      await release(deps, claim);
      return later(e);
    }
    await deps.state.operations.fail(claim, e.message, deps.clock.now());
    return outcome('Failed', e.message, { ...errorDetails(e), operationId });
  }
  const skip = isBusy(now)
    ? `an operation is in progress on the cluster (${now.provisioningState})`
    : now.powerState === POWER_TARGET[action]
      ? `already ${POWER_TARGET[action].toLowerCase()}`
      : undefined;
  if (skip) {
    await release(deps, claim);
    return outcome('Skipped', skip);
  }

  const r = await submit(deps, claim, {
    expect: { powerState: POWER_TARGET[action] },
    during: [POWER_DURING[action]],
    observed: { provisioningState: now.provisioningState, powerState: now.powerState },
    send: () =>
      action === 'stop'
        ? aks.stop(cluster.resourceGroup, cluster.name)
        : aks.start(cluster.resourceGroup, cluster.name),
  });
  if (r.state === 'later') return later(r.error);
  if (r.state === 'refused')
    return outcome('Failed', r.error.message, { ...errorDetails(r.error), operationId });
  if (!r.tracked)
    return outcome(
      'InProgress',
      `${action} accepted by AKS; its answer was lost on the way, ARM shows it running; the power schedule's next tick records how it ends`,
      { operationId, recovered: true },
    );
  return outcome(
    'InProgress',
    `${action} accepted by AKS; the power schedule's next tick records how it ends`,
    {
      operationId,
    },
  );
}
