import { toDay2Error } from '../azure/azureError';
import type { Deps } from '../deps';
import type { Actor, OutcomeRecord } from '../records/outcome';
import type { Day2Error } from '../errors';
import {
  acquire,
  isTerminalState,
  release,
  retryLater,
  submit,
  type ObservedState,
} from '../operations/lifecycle';
import type { NewOperation } from '../state/operationStore';
import type { NodeImageOpDetails } from './history';
import type { NodeImageDecision } from './plan';

/** Poll interval of the SDK poller if anything ever waits on it (nothing in this job does). */
export const POLL_INTERVAL_MS = 5_000;

/** Gives the cluster's lock back for an operation that never reached AKS (no record of it stays). */
async function abandonOperation(
  deps: Pick<Deps, 'state' | 'log'>,
  op: NewOperation,
  reason: string,
): Promise<void> {
  deps.log.info(`node-image: ${op.cluster.name}/${op.nodePool ?? ''} not started: ${reason}`);
  await release(deps, op);
}

/**
 * Applies one `upgrade` decision through the operation lifecycle: acquires the cluster's lock, re-reads
 * the pool from ARM (its own step), and submits `agentPools.upgradeNodeImageVersion` without waiting for it
 * (events and the sweeper record the end). Once AKS accepted it, the operation is recorded in flight with
 * its serialized poller for `restorePoller`. AKS busy, throttling or unavailable: skipped, no record, the
 * next run retries. Any other refusal is recorded Failed (kept in history, so later rings halt).
 */
export async function applyNodeImageUpgrade(
  deps: Deps,
  d: NodeImageDecision,
  ctx: { runId: string; actor: Actor },
): Promise<OutcomeRecord> {
  const now = deps.clock.now();
  const details: NodeImageOpDetails = { ring: d.ring, osKey: d.osKey, imageVersion: d.to };
  const base = {
    action: 'node-image-upgrade',
    cluster: d.cluster,
    nodePool: d.pool,
    fromVersion: d.from,
    toVersion: d.to,
    details: { ...details },
  };
  const outcome = (o: OutcomeRecord['outcome'], reason: string): OutcomeRecord => ({
    ...base,
    outcome: o,
    reason,
    at: deps.clock.now(),
  });
  if (deps.settings.dryRun) return outcome('Planned', d.reason);

  const claim = await acquire(deps, {
    runId: ctx.runId,
    job: 'node-image',
    action: 'node-image-upgrade',
    actor: ctx.actor,
    cluster: d.cluster,
    nodePool: d.pool,
    fromVersion: d.from,
    toVersion: d.to,
    startedAt: now,
    details: { ...details },
  });
  if (!claim) {
    return outcome('Skipped', 'another aks-day2 operation holds the cluster; the next run tries again');
  }
  const op = claim.op;
  const { resourceGroup, name } = d.cluster;
  const client = deps.azure.aks(d.cluster.subscriptionId);
  const failed = (error: Day2Error): OutcomeRecord => {
    deps.log.error(`node-image: ${name}/${d.pool}: ${error.message}`);
    return {
      ...outcome('Failed', error.message),
      details: {
        ...details,
        errorCode: error.code,
        ...(error.azureCode ? { azureCode: error.azureCode } : {}),
      },
    };
  };
  const later = (error: Day2Error): OutcomeRecord => {
    deps.log.warn(
      `node-image: ${name}/${d.pool}: AKS cannot take it now (${error.code}), waiting for the next run: ${error.message}`,
    );
    const why =
      error.code === 'Conflict'
        ? 'AKS is busy (another operation is in progress)'
        : `AKS is ${error.code === 'Throttled' ? 'throttling requests' : 'unavailable'}`;
    return outcome('Skipped', `${why}; the next run tries again: ${error.message}`);
  };

  // The re-read: the pool as ARM shows it now, before anything is asked of AKS.
  let observed: ObservedState;
  try {
    const pool = await client.agentPools.get(resourceGroup, name, d.pool);
    observed = {
      provisioningState: pool.provisioningState ?? 'Succeeded',
      nodeImageVersion: pool.nodeImageVersion,
    };
  } catch (err) {
    // The re-read failed: nothing was asked of AKS, no record stays.
    const error = toDay2Error(err, { cluster: name, operation: `read pool ${d.pool}` });
    await abandonOperation(deps, op, error.message);
    return retryLater(error) ? later(error) : failed(error);
  }
  if (!isTerminalState(observed.provisioningState)) {
    await abandonOperation(deps, op, `pool busy (provisioningState ${observed.provisioningState})`);
    return outcome(
      'Skipped',
      `pool busy: provisioningState ${observed.provisioningState}; waiting for the next run`,
    );
  }
  if (observed.nodeImageVersion === d.to) {
    await abandonOperation(deps, op, `pool already runs ${d.to}`);
    return outcome('Skipped', `pool already runs ${d.to}`);
  }

  const r = await submit(deps, claim, {
    expect: { nodeImageVersion: d.to },
    during: ['UpgradingNodeImageVersion'],
    observed,
    send: () =>
      client.agentPools.upgradeNodeImageVersion(resourceGroup, name, d.pool, {
        updateIntervalInMs: POLL_INTERVAL_MS,
      }),
  });
  if (r.state === 'later') {
    deps.log.info(`node-image: ${name}/${d.pool} not started: ${r.error.message}`);
    return later(r.error);
  }
  if (r.state === 'refused') {
    // AKS refused it (400, 403, ...): recorded Failed and kept in history, so the ring gate halts later rings
    // and the next run does not retry it.
    const o = failed(r.error);
    return { ...o, details: { ...o.details, operationId: op.id } };
  }
  deps.log.info(`node-image: ${name}/${d.pool} upgrading ${d.from} → ${d.to} (ring ${d.ring})`);
  return {
    ...outcome('InProgress', `started: ${d.reason}`),
    details: { ...details, operationId: op.id, ...(r.tracked ? {} : { recovered: true }) },
  };
}
