import { randomUUID } from 'node:crypto';
import { toDay2Error } from '../azure/azureError';
import type { Deps } from '../deps';
import { isBusy, toClusterSnapshot, type ClusterRef } from '../fleet/cluster';
import type { Actor, OutcomeRecord } from '../records/outcome';
import type { PowerAction } from './plan';
import { JOB } from './tick';

const TARGET = { stop: 'Stopped', start: 'Running' } as const;

/**
 * Stop or start a cluster now, on a person's request (ChatOps): the same lifecycle as the schedule's
 * actions (the cluster's lock, a re-read, the call to AKS, the operation recorded in flight with its
 * poller), so the power schedule's next tick records how it ends. Schedule edges are left alone.
 * Returns the outcome to report; an Azure refusal is the outcome, storage failures propagate.
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
  const upgrading = await deps.state.upgradeRuns.activeFor(cluster);
  if (upgrading)
    return outcome('Skipped', `upgrade run ${upgrading.id} (${upgrading.state}) is carrying the cluster`, {
      upgradeRun: upgrading.id,
    });
  const claim = await deps.state.operations.start({
    id: randomUUID(),
    runId: req.runId,
    job: JOB,
    action,
    actor: req.actor,
    cluster,
    startedAt: deps.clock.now(),
    details: { manual: true },
  });
  if (!claim) return outcome('Skipped', 'another aks-day2 operation holds the cluster; try again later');
  const aks = deps.azure.aks(cluster.subscriptionId).managedClusters;
  let poller: string;
  try {
    const now = toClusterSnapshot(await aks.get(cluster.resourceGroup, cluster.name));
    const skip = isBusy(now)
      ? `an operation is in progress on the cluster (${now.provisioningState})`
      : now.powerState === TARGET[action]
        ? `already ${TARGET[action].toLowerCase()}`
        : undefined;
    if (skip) {
      await deps.state.operations.release(claim.op);
      return outcome('Skipped', skip);
    }
    const p =
      action === 'stop'
        ? aks.stop(cluster.resourceGroup, cluster.name)
        : aks.start(cluster.resourceGroup, cluster.name);
    await p.submitted();
    poller = await p.serialize();
  } catch (err) {
    const e = toDay2Error(err, { cluster: cluster.name, operation: action });
    await deps.state.operations.fail(claim, e.message, deps.clock.now());
    return outcome('Failed', e.message, {
      errorCode: e.code,
      ...(e.azureCode ? { azureCode: e.azureCode } : {}),
    });
  }
  await deps.state.operations.submitted(claim, poller);
  return outcome(
    'InProgress',
    `${action} accepted by AKS; the power schedule's next tick records how it ends`,
    {
      operationId: claim.op.id,
    },
  );
}
