/**
 * The one owner of an operation's life (stop, start, node-image upgrade, Kubernetes upgrade):
 *
 *   acquire ──► (the job re-reads the resource) ──► submit ──► settle ──► report
 *   Starting      lock + record                     Submitting (intent) → InProgress (poller)
 *                                                                        → Succeeded | Failed
 *
 * - `acquire` takes the cluster's lock and records the operation `Starting`. A lock whose holder died
 *   before AKS's answer was recorded is taken over once the holder's lease (`LEASE_MS`) ran out, after its
 *   fate was found out from ARM (`recoverPending`).
 * - `submit` records the intent (what is asked, what ARM shows once it took effect, what it showed
 *   before) and only then sends the request; once AKS accepted it, the serialized poller is stored before
 *   anything else happens. A lost answer (connection dropped, 409 to the SDK's own retry) is looked up
 *   in ARM, never assumed.
 * - `settle` reads an accepted operation in one order (resource, then the operation itself) and records
 *   its outcome once; `settleJob` does it for a job's operations and also recovers those whose holder
 *   died. `operationOutcome` builds the outcome row.
 * - An operation carrying a scheduled edge (`details.edge`, power schedule) consumes that edge as soon as
 *   AKS accepted or refused it, wherever that is learned (submit, recovery, settle).
 */
import { randomUUID } from 'node:crypto';
import { toDay2Error } from '../azure/azureError';
import type { Deps } from '../deps';
import { Day2Error } from '../errors';
import type { JobName, OutcomeRecord } from '../records/outcome';
import type {
  Claim,
  FinishedOperation,
  NewOperation,
  OperationRecord,
  PendingOperation,
} from '../state/operationStore';
import { mapLimit } from '../util/mapLimit';
import { fateOf } from './fate';
import type { Expectation, ObservedState, OperationIntent } from './intent';
import { operationOutcome } from './outcome';
import { readResource, targetLabel } from './resource';
import { describeVerdict, readVerdict } from './verdict';

export type { Claim, FinishedOperation, OperationRecord, PendingOperation } from '../state/operationStore';
export type { Expectation, ObservedState, OperationIntent } from './intent';
export { operationOutcome } from './outcome';
export { isTerminalState, TERMINAL_STATES } from './terminal';
export { edgeKey, handledEdgeKey } from './edgeKey';
export { readVerdict, type Verdict } from './verdict';
export { readOperationStatus, type OperationStatus } from './operationStatus';
export { readResource, type ResourceState } from './resource';

/**
 * How long a holder may take from `acquire` to recording AKS's answer. After that it is presumed dead:
 * the next tick or sweep finds its operation's fate from ARM and frees the cluster (shorter than the
 * power schedule's 5-minute tick, so a crash never delays a cluster by a whole tick).
 */
export const LEASE_MS = 3 * 60_000;

/** Operations checked at most this many at a time. */
export const SETTLE_CONCURRENCY = 8;

type LifecycleDeps = Pick<Deps, 'azure' | 'state' | 'clock' | 'log'>;

/** What a job asks for: the operation (id and start time default to a new id and now). */
export type OperationRequest = Omit<NewOperation, 'id' | 'startedAt'> & { id?: string; startedAt?: Date };

/**
 * Takes the cluster's lock and records the operation `Starting`. Undefined when another aks-day2
 * operation holds the cluster. A holder presumed dead (`LEASE_MS`) is recovered first (its fate found
 * from ARM); if that frees the cluster, the lock is taken.
 */
export async function acquire(deps: LifecycleDeps, req: OperationRequest): Promise<Claim | undefined> {
  const op: NewOperation = {
    ...req,
    id: req.id ?? randomUUID(),
    startedAt: req.startedAt ?? deps.clock.now(),
  };
  const claim = await deps.state.operations.start(op);
  if (claim) return claim;
  const store = deps.state.operations;
  const leaseEnd = new Date(op.startedAt.getTime() - LEASE_MS);
  const holder = await store.pendingHolder(op.cluster.id);
  if (!holder) {
    // A lock with no live operation behind it (killed between the lock and the record, or before the unlock).
    return (await store.breakOrphanLock(op.cluster.id, leaseEnd)) ? store.start(op) : undefined;
  }
  if (holder.startedAt >= leaseEnd) return undefined;
  const r = await recoverPending(deps, holder, `${op.job}:`);
  if (r.state !== 'released' && r.state !== 'finished') return undefined;
  return store.start(op);
}

/** Gives the lock back for an operation never sent to AKS (not needed, or not possible now): no record stays. */
export async function release(
  deps: Pick<Deps, 'state'>,
  op: Claim | Pick<NewOperation, 'id' | 'cluster'>,
): Promise<void> {
  await deps.state.operations.release('op' in op ? op.op : op);
}

/** An SDK poller (`managedClusters.stop(...)`, `agentPools.createOrUpdate(...)`, …), not awaited. */
export interface StartedPoller {
  submitted(): Promise<void>;
  serialize(): Promise<string>;
}

export interface SubmitOptions {
  /** What ARM shows once the operation took effect (e.g. `{ powerState: 'Stopped' }`). */
  expect?: Expectation;
  /** The provisioningStates the resource shows while this operation runs (e.g. `['Stopping']`). */
  during?: readonly string[];
  /** The resource as the job's re-read showed it just before (what the operation changes from). */
  observed?: ObservedState;
  /** Sends the request: returns the SDK's poller without awaiting it. */
  send: () => StartedPoller;
}

export type SubmitResult =
  /** AKS accepted it; `tracked` false when its poller was lost and ARM showed it accepted (settled from the resource). */
  | { state: 'accepted'; op: OperationRecord; tracked: boolean }
  /** AKS cannot take it now (409 busy, throttled, unavailable) and ARM shows it did not: released, nothing recorded. */
  | { state: 'later'; error: Day2Error }
  /** AKS refused it (400, 403, …): recorded Failed (kept in history), the lock released. */
  | { state: 'refused'; error: Day2Error; op?: FinishedOperation };

/** AKS will accept the change later: a 409 (another operation), or throttling / 5xx / network that outlived the SDK's retries. */
export function retryLater(e: Day2Error): boolean {
  return e.code === 'Conflict' || e.code === 'Throttled' || e.code === 'AzureUnavailable';
}

/** The scheduled edge an operation carries out (`details.edge`), if any. */
function edgeOf(op: Pick<NewOperation, 'details'>): Date | undefined {
  const e = op.details?.edge;
  return typeof e === 'string' ? new Date(e) : undefined;
}

/** AKS accepted or refused the operation: its scheduled edge (if any) is handled. Idempotent. */
async function consumeEdge(
  deps: Pick<Deps, 'state'>,
  op: Pick<NewOperation, 'cluster' | 'action' | 'details'>,
) {
  const edge = edgeOf(op);
  if (edge) await deps.state.edges.markHandled(op.cluster.id, op.action, edge);
}

/**
 * Records the intent, sends the request, and records AKS's answer: the serialized poller first (nothing
 * else happens before it is stored). A request whose answer was lost is looked up in ARM (see `fateOf`).
 * Never throws for an Azure failure; storage failures propagate.
 */
export async function submit(deps: LifecycleDeps, claim: Claim, opts: SubmitOptions): Promise<SubmitResult> {
  const { op } = claim;
  const store = deps.state.operations;
  const intent: OperationIntent = {
    ...(opts.expect ? { expect: opts.expect } : {}),
    ...(opts.observed ? { before: opts.observed } : {}),
    ...(opts.during ? { during: [...opts.during] } : {}),
  };
  const intended = await store.intend(claim, intent);
  if (!intended) {
    return {
      state: 'later',
      error: new Day2Error(
        'Conflict',
        `operation ${op.id} was given up before it was sent (its lease ran out)`,
        {
          cluster: op.cluster.name,
          operation: op.action,
        },
      ),
    };
  }
  let serialized: string;
  try {
    const poller = opts.send();
    await poller.submitted();
    serialized = await poller.serialize();
  } catch (err) {
    const error = toDay2Error(err, { cluster: op.cluster.name, operation: op.action });
    if (!retryLater(error)) {
      const failed = await store.fail(intended, error.message, deps.clock.now());
      await consumeEdge(deps, op);
      return { state: 'refused', error, ...(failed ? { op: failed } : {}) };
    }
    // The answer may have been lost after AKS accepted it (the SDK retried into a 409): ask ARM.
    const found = await lostAnswer(deps, { ...op, stage: 'Submitting', intent });
    if (found) return { state: 'accepted', op: found, tracked: false };
    await store.release(op);
    return { state: 'later', error };
  }
  const recorded =
    (await store.submitted(intended, serialized)) ?? (await store.adopt({ ...op, intent }, serialized));
  await consumeEdge(deps, op);
  return { state: 'accepted', op: recorded, tracked: true };
}

/** After a submit error: the operation as accepted (recorded, edge consumed) when ARM shows AKS took it; else undefined. */
async function lostAnswer(deps: LifecycleDeps, p: PendingOperation): Promise<OperationRecord | undefined> {
  let fate;
  try {
    fate = fateOf(p, await readResource(deps.azure.aks(p.cluster.subscriptionId), p));
  } catch {
    return undefined; // ARM cannot be read either: nothing was recorded as accepted; the next run re-reads
  }
  if (fate.fate !== 'running' && fate.fate !== 'ended') return undefined;
  deps.log.warn(
    `${p.job}: ${p.action} on ${targetLabel(p)} (operation ${p.id}): AKS's answer was lost, but ARM shows it accepted (${fate.reason}); followed from the resource`,
  );
  const rec = await deps.state.operations.adopt(p);
  await consumeEdge(deps, p);
  return rec;
}

export type RecoverResult =
  | { state: 'released'; reason: string }
  | { state: 'running'; op: OperationRecord }
  | { state: 'finished'; op: FinishedOperation }
  | { state: 'unknown'; reason: string };

/**
 * The fate of an operation whose holder died before recording AKS's answer, found out from ARM and its
 * intent (`fateOf`): never sent or not accepted → released (no outcome); accepted and running →
 * recorded in flight (settled from the resource); accepted and ended → its outcome recorded once. Its
 * edge is consumed when AKS accepted it. ARM unreadable → `unknown`, left as it is for the next pass.
 */
export async function recoverPending(
  deps: LifecycleDeps,
  p: PendingOperation,
  logPrefix: string,
): Promise<RecoverResult> {
  const store = deps.state.operations;
  const where = `${logPrefix} ${p.action} on ${p.cluster.name}${p.nodePool ? `/${p.nodePool}` : ''} (operation ${p.id})`;
  let fate;
  if (p.stage === 'Starting') fate = fateOf(p, { provisioningState: 'Succeeded' });
  else {
    try {
      fate = fateOf(p, await readResource(deps.azure.aks(p.cluster.subscriptionId), p));
    } catch (err) {
      const e = toDay2Error(err, { cluster: p.cluster.name, operation: `recover ${p.action}` });
      if (e.code !== 'NotFound') {
        deps.log.warn(`${where}: its fate could not be read from ARM (${e.message}); retried next pass`);
        return { state: 'unknown', reason: e.message };
      }
      fate = { fate: 'not-accepted' as const, reason: `${targetLabel(p)} no longer exists` };
    }
  }
  if (fate.fate === 'not-sent' || fate.fate === 'not-accepted') {
    await store.release(p);
    const why =
      fate.fate === 'not-sent' ? 'was never submitted to AKS' : `was not accepted by AKS (${fate.reason})`;
    deps.log.warn(`${where} ${why}; its lock is released, no outcome recorded`);
    return { state: 'released', reason: why };
  }
  await consumeEdge(deps, p);
  if (fate.fate === 'running') {
    const op = await store.adopt(p);
    deps.log.warn(
      `${where}: its holder died after AKS accepted it; ${fate.reason}, followed from the resource`,
    );
    return { state: 'running', op };
  }
  const done = await store.finishPending(p, fate.status, fate.reason, deps.clock.now());
  if (!done) return { state: 'unknown', reason: 'recorded by someone else meanwhile' };
  const line = `${where} ${fate.status}: ${fate.reason}`;
  if (fate.status === 'Failed') deps.log.error(line);
  else deps.log.info(line);
  return { state: 'finished', op: done };
}

export type SettleResult =
  /** Still running on AKS: nothing recorded. */
  | { state: 'running'; reason: string }
  /** The outcome was recorded now. */
  | { state: 'finished'; record: FinishedOperation }
  /** Finished on AKS, but an event (or another sweep) had already recorded it. */
  | { state: 'already-recorded' };

/**
 * Settles one operation AKS accepted (`readVerdict`: one defined order): when it ended, records the
 * outcome once (a later event or sweep cannot reverse it) and releases the cluster's lock. Throws when
 * ARM cannot be read (it stays in flight).
 */
export async function settle(deps: LifecycleDeps, op: OperationRecord): Promise<SettleResult> {
  await consumeEdge(deps, op);
  const v = await readVerdict(deps, op);
  if (v.status === 'running') return { state: 'running', reason: v.reason };
  const now = deps.clock.now();
  const record = await deps.state.operations.finish(op.id, v.status, describeVerdict(op, v, now), now);
  return record ? { state: 'finished', record } : { state: 'already-recorded' };
}

export interface SettleJobResult {
  /** Operations that ended since they were last checked, recorded once (Succeeded / Failed). */
  outcomes: OutcomeRecord[];
  /** Operations still running on AKS (or that could not be checked). */
  running: OperationRecord[];
}

/**
 * Settles a job's operations started by earlier runs: first those whose holder died before recording
 * AKS's answer (`recoverPending`, after `LEASE_MS`), then every operation in flight. Each one that
 * ended is recorded once and returned as an outcome for the current run. One bad record never stops
 * the others. `logPrefix` defaults to `${job}:`.
 */
export async function settleJob(
  deps: LifecycleDeps,
  job: JobName,
  opts: { logPrefix?: string; note?: string } = {},
): Promise<SettleJobResult> {
  const prefix = opts.logPrefix ?? `${job}:`;
  const now = deps.clock.now();
  const outcomes: OutcomeRecord[] = [];
  const running: OperationRecord[] = [];
  const pending = (await deps.state.operations.pending(new Date(now.getTime() - LEASE_MS))).filter(
    (p) => p.job === job,
  );
  for (const p of pending) {
    try {
      const r = await recoverPending(deps, p, prefix);
      if (r.state === 'finished') outcomes.push(operationOutcome(r.op, { at: now, note: opts.note }));
    } catch (err) {
      const e = toDay2Error(err, { cluster: p.cluster.name, operation: `recover ${p.action}` });
      deps.log.error(
        `${prefix} ${p.action} on ${targetLabel(p)} (operation ${p.id}) not recovered: ${e.code}: ${e.message}`,
      );
    }
  }
  const ops = (await deps.state.operations.inFlight()).filter((o) => o.job === job);
  await mapLimit(ops, SETTLE_CONCURRENCY, async (op) => {
    try {
      const r = await settle(deps, op);
      if (r.state === 'running') running.push(op);
      if (r.state !== 'finished') return;
      const line = `${prefix} ${op.action} on ${targetLabel(op)} ${r.record.status}: ${r.record.reason ?? ''}`;
      if (r.record.status === 'Failed') deps.log.error(line);
      else deps.log.info(line);
      outcomes.push(operationOutcome(r.record, { at: deps.clock.now(), note: opts.note }));
    } catch (err) {
      // One bad record (a poller that cannot be restored, ARM or storage unreadable) never stops the others.
      const e = toDay2Error(err, { cluster: op.cluster.name, operation: `settle ${op.action}` });
      deps.log.error(
        `${prefix} ${op.action} on ${targetLabel(op)} (operation ${op.id}) still counted in flight; settling it failed: ${e.code}: ${e.message}`,
      );
      running.push(op);
    }
  });
  outcomes.sort(
    (a, b) =>
      a.cluster.name.localeCompare(b.cluster.name) ||
      (a.nodePool ?? '').localeCompare(b.nodePool ?? '') ||
      a.action.localeCompare(b.action),
  );
  return { outcomes, running };
}
