import { randomUUID } from 'node:crypto';
import { toDay2Error } from '../azure/azureError';
import type { Deps } from '../deps';
import type { Actor, OutcomeRecord } from '../records/outcome';
import type { Day2Error } from '../errors';
import type { PoolSnapshot } from '../fleet/cluster';
import type { NewOperation } from '../state/operationStore';
import type { NodeImageOpDetails } from './history';
import type { NodeImageDecision } from './plan';

const TERMINAL = ['Succeeded', 'Failed', 'Canceled'];

/** Poll interval of the SDK poller if anything ever waits on it (nothing in this job does). */
export const POLL_INTERVAL_MS = 5_000;

/** AKS will accept the upgrade later: another operation runs (409), or throttling / 5xx outlived the SDK's retries. */
function retryLater(e: Day2Error): boolean {
  return e.code === 'Conflict' || e.code === 'Throttled' || e.code === 'AzureUnavailable';
}

/** Gives the cluster's lock back for an operation that never reached AKS (no record of it stays). */
async function abandonOperation(
  deps: Pick<Deps, 'state' | 'log'>,
  op: NewOperation,
  reason: string,
): Promise<void> {
  deps.log.info(`node-image: ${op.cluster.name}/${op.nodePool ?? ''} not started: ${reason}`);
  await deps.state.operations.release(op);
}

/**
 * Applies one `upgrade` decision: takes the cluster's lock (the operation is recorded `Starting`),
 * re-reads the pool from ARM (or, given `listed`, takes the pool from a listing still fresh enough to act
 * on, see `listingIsFresh`), and submits `agentPools.upgradeNodeImageVersion` without waiting for it
 * (events and the sweeper record the end). Once AKS accepted it, the operation is recorded in flight with
 * its serialized poller for `restorePoller`. AKS busy, throttling or unavailable: skipped, no record, the
 * next run retries. Any other refusal is recorded Failed (kept in history, so later rings halt).
 */
export async function applyNodeImageUpgrade(
  deps: Deps,
  d: NodeImageDecision,
  ctx: { runId: string; actor: Actor },
  listed?: Pick<PoolSnapshot, 'provisioningState' | 'nodeImageVersion'>,
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

  const op: NewOperation = {
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
    details: { ...details },
  };
  const claim = await deps.state.operations.start(op);
  if (!claim) {
    return outcome('Skipped', 'another aks-day2 operation holds the cluster; the next run tries again');
  }
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
  const later = async (error: Day2Error): Promise<OutcomeRecord> => {
    await abandonOperation(deps, op, error.message);
    deps.log.warn(
      `node-image: ${name}/${d.pool}: AKS cannot take it now (${error.code}), waiting for the next run: ${error.message}`,
    );
    const why =
      error.code === 'Conflict'
        ? 'AKS is busy (another operation is in progress)'
        : `AKS is ${error.code === 'Throttled' ? 'throttling requests' : 'unavailable'}`;
    return outcome('Skipped', `${why}; the next run tries again: ${error.message}`);
  };
  try {
    // A fresh listing stands in for the re-read (AKS's 409 still refuses a pool that became busy since).
    const pool = listed ?? (await client.agentPools.get(resourceGroup, name, d.pool));
    const state = pool.provisioningState ?? 'Succeeded';
    if (!TERMINAL.includes(state)) {
      await abandonOperation(deps, op, `pool busy (provisioningState ${state})`);
      return outcome('Skipped', `pool busy: provisioningState ${state}; waiting for the next run`);
    }
    if (pool.nodeImageVersion === d.to) {
      await abandonOperation(deps, op, `pool already runs ${d.to}`);
      return outcome('Skipped', `pool already runs ${d.to}`);
    }
  } catch (err) {
    // The re-read failed: nothing was asked of AKS, no record stays.
    const error = toDay2Error(err, { cluster: name, operation: `read pool ${d.pool}` });
    if (retryLater(error)) return later(error);
    await abandonOperation(deps, op, error.message);
    return failed(error);
  }
  let serialized: string;
  try {
    const poller = client.agentPools.upgradeNodeImageVersion(resourceGroup, name, d.pool, {
      updateIntervalInMs: POLL_INTERVAL_MS,
    });
    await poller.submitted();
    serialized = await poller.serialize();
  } catch (err) {
    const error = toDay2Error(err, { cluster: name, operation: 'node-image upgrade' });
    if (retryLater(error)) return later(error);
    // AKS refused it (400, 403, ...): recorded Failed and kept in history, so the ring gate halts later rings
    // and the next run does not retry it.
    await deps.state.operations.fail(claim, error.message, deps.clock.now());
    const o = failed(error);
    return { ...o, details: { ...o.details, operationId: op.id } };
  }
  const recorded = await deps.state.operations.submitted(claim, serialized);
  if (!recorded) {
    deps.log.error(
      `node-image: ${name}/${d.pool}: the upgrade was accepted by AKS, but operation ${op.id} was given up meanwhile (it stayed Starting too long); its end will not be recorded`,
    );
  } else {
    deps.log.info(`node-image: ${name}/${d.pool} upgrading ${d.from} → ${d.to} (ring ${d.ring})`);
  }
  return {
    ...outcome('InProgress', `started: ${d.reason}`),
    details: { ...details, operationId: op.id, ...(recorded ? {} : { untracked: true }) },
  };
}
