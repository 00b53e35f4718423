/**
 * The long-running-operation engine. An operation is a list of steps on the virtual clock (wait,
 * control plane, pool roll in surge batches); it is evaluated lazily on every request and on a timer,
 * applying each step's effect when virtual now passes its end and emitting the AKS node-pool events.
 */
import { randomUUID } from 'node:crypto';
import type { SimClock } from './clock';
import { pdbDrainFailure, type ArmErrorDetail } from './errors';
import { clusterKey, type ClusterState, type PoolState, type SimState } from './state';
import { poolLatestNodeImage } from './versions';
import { surgeCount } from './capacity';

export type OperationKind =
  'stop' | 'start' | 'clusterUpdate' | 'clusterCreate' | 'poolUpdate' | 'poolCreate' | 'nodeImageUpgrade';
/** Names used by `operationFailure` faults. */
export type FaultableOperation = 'upgrade' | 'nodeImageUpgrade' | 'stop' | 'start' | 'update';

export type AksEventType =
  | 'NodePoolRollingStarted'
  | 'NodePoolRollingSucceeded'
  | 'NodePoolRollingFailed'
  | 'ClusterSupportEnding'
  | 'ClusterSupportEnded'
  | 'NewKubernetesVersionAvailable';

export type EmitEvent = (
  type: AksEventType,
  cluster: ClusterState,
  data: Record<string, string>,
  atMs: number,
) => void;

export interface InjectedFailure {
  code: string;
  message?: string;
  afterSeconds?: number;
  pool?: string;
}

export type FailureSource = (
  cluster: ClusterState,
  op: FaultableOperation,
  pools: string[],
) => InjectedFailure | undefined;

interface Step {
  kind: 'wait' | 'controlPlane' | 'poolRoll';
  pool?: string;
  nodeImage?: boolean;
  targetVersion?: string;
  targetImage?: string;
  batches?: number;
  /** Pool size, surge nodes per batch and virtual ms per batch (progress of a roll). */
  nodes?: number;
  surge?: number;
  perBatchMs?: number;
  /** A PodDisruptionBudget blocks the drain: no batch ever finishes. */
  blockedByPdb?: boolean;
  startMs: number;
  endMs: number;
  failAtMs?: number;
  failure?: ArmErrorDetail;
  started: boolean;
  done: boolean;
}

export interface SimOperation {
  id: string;
  kind: OperationKind;
  /** AKS's name of it in 409 messages: `Upgrading`, or `nodepool1 - Upgrading` for a pool operation. */
  displayName: string;
  /** provisioningState shown while it runs. */
  state: string;
  scope: 'cluster' | 'pool';
  pool?: string;
  clusterKey: string;
  subscriptionId: string;
  location: string;
  startMs: number;
  endMs: number;
  endedMs?: number;
  status: 'InProgress' | 'Succeeded' | 'Failed' | 'Canceled';
  error?: ArmErrorDetail;
  steps: Step[];
  /** Pools whose provisioningState this operation drives. */
  pools: string[];
  finalPowerState?: 'Running' | 'Stopped';
}

export interface PoolChange {
  pool: string;
  targetVersion?: string;
  nodeImage?: boolean;
  /** Fails the roll before its first batch (e.g. QuotaExceeded for the surge nodes). */
  failWith?: ArmErrorDetail;
}

export interface OperationSpec {
  kind: OperationKind;
  state: string;
  scope: 'cluster' | 'pool';
  pool?: string;
  controlPlaneTo?: string;
  poolChanges?: PoolChange[];
  /** A plain wait of this many virtual seconds (stop, start, update, create). */
  waitSeconds?: number;
  finalPowerState?: 'Running' | 'Stopped';
}

/** Surge nodes per batch: integer or percent of count, rounded up; default 10%; at least 1, at most the pool size. */
export const surgeNodes = surgeCount;

export interface PoolProgress {
  pool: string;
  nodesUpgraded: number;
  nodesTotal: number;
  surgeNodes: number;
  state: 'pending' | 'rolling' | 'done' | 'failed';
}

/** Nodes done per pool roll of an operation at virtual `nowMs` (a batch counts when it has finished). */
export function poolProgress(op: SimOperation, nowMs: number): PoolProgress[] {
  return op.steps
    .filter((s) => s.kind === 'poolRoll' && s.pool)
    .map((s) => {
      const total = s.nodes ?? 0;
      const surge = s.surge ?? 1;
      const at = s.failAtMs !== undefined && op.status === 'Failed' ? Math.min(nowMs, s.failAtMs) : nowMs;
      const batchesDone =
        s.perBatchMs && s.perBatchMs > 0 ? Math.floor(Math.max(0, at - s.startMs) / s.perBatchMs) : 0;
      // A drain blocked by a PodDisruptionBudget never finishes its first batch.
      const upgraded = s.done ? total : s.blockedByPdb ? 0 : Math.min(total, batchesDone * surge);
      const failed = op.status === 'Failed' && op.error === s.failure && s.failure !== undefined;
      return {
        pool: s.pool!,
        nodesUpgraded: upgraded,
        nodesTotal: total,
        surgeNodes: surge,
        state: failed ? 'failed' : s.done ? 'done' : s.started ? 'rolling' : 'pending',
      };
    });
}

/** Share of an operation's virtual duration that has passed, 0-100 (ARM's `percentComplete`). */
export function percentComplete(op: SimOperation, nowMs: number): number {
  if (op.status !== 'InProgress') return 100;
  const span = op.endMs - op.startMs;
  if (span <= 0) return 0;
  return Math.min(99, Math.max(0, Math.floor(((nowMs - op.startMs) / span) * 100)));
}

export function batchesOf(p: PoolState): number {
  return Math.max(1, Math.ceil(p.count / surgeNodes(p)));
}

function faultableOf(spec: OperationSpec): FaultableOperation {
  if (spec.kind === 'stop' || spec.kind === 'start' || spec.kind === 'nodeImageUpgrade') return spec.kind;
  if (spec.controlPlaneTo || spec.poolChanges?.some((c) => c.targetVersion)) return 'upgrade';
  return 'update';
}

/** Told of every change an operation makes to a cluster, before it and after it with its virtual time. */
export interface ChangeObserver {
  before(key: string, c: ClusterState): void;
  after(key: string, c: ClusterState, atMs: number): void;
}

const NO_OBSERVER: ChangeObserver = { before: () => undefined, after: () => undefined };

export class OperationEngine {
  readonly operations = new Map<string, SimOperation>();
  /** The operations still `InProgress`: what `evaluate` walks on every request (not every one ever run). */
  private readonly inFlight = new Map<string, SimOperation>();
  private timer?: NodeJS.Timeout;
  private closed = false;

  constructor(
    private readonly state: SimState,
    private readonly clock: SimClock,
    private readonly emit: EmitEvent,
    private readonly failures: FailureSource,
    private readonly observer: ChangeObserver = NO_OBSERVER,
  ) {}

  active(): SimOperation[] {
    return [...this.inFlight.values()].filter((o) => o.status === 'InProgress');
  }

  activeOn(c: ClusterState): SimOperation | undefined {
    const op = c.activeOperationId ? this.operations.get(c.activeOperationId) : undefined;
    return op?.status === 'InProgress' ? op : undefined;
  }

  begin(c: ClusterState, spec: OperationSpec): SimOperation {
    const now = this.clock.nowMs();
    const t = this.state.timings;
    const loc = this.state.location(c.location);
    const steps: Step[] = [];
    let at = now;
    const push = (s: Omit<Step, 'started' | 'done' | 'startMs' | 'endMs'>, seconds: number): Step => {
      const step: Step = { ...s, startMs: at, endMs: at + seconds * 1000, started: false, done: false };
      at = step.endMs;
      steps.push(step);
      return step;
    };
    if (spec.waitSeconds !== undefined) push({ kind: 'wait' }, spec.waitSeconds);
    if (spec.controlPlaneTo)
      push({ kind: 'controlPlane', targetVersion: spec.controlPlaneTo }, t.controlPlaneUpgradeSeconds);
    for (const ch of spec.poolChanges ?? []) {
      const p = c.pools.find((x) => x.name === ch.pool);
      if (!p) continue;
      const batches = batchesOf(p);
      const soak = (p.upgradeSettings?.nodeSoakDurationInMinutes ?? 0) * 60;
      const perBatch = (ch.nodeImage ? t.nodeImagePerBatchSeconds : t.perBatchSeconds) + soak;
      const targetImage = loc ? poolLatestNodeImage(loc, p) : p.nodeImageVersion;
      const step = push(
        {
          kind: 'poolRoll',
          pool: p.name,
          nodeImage: ch.nodeImage,
          targetVersion: ch.targetVersion,
          targetImage,
          batches,
          nodes: p.count,
          surge: surgeNodes(p),
          perBatchMs: perBatch * 1000,
        },
        p.count === 0 ? t.updateSeconds : batches * perBatch,
      );
      const pdb = c.pdbs.find((d) => d.blocksDrain && (!d.pools || d.pools.includes(p.name)));
      if (ch.failWith) {
        step.failAtMs = step.startMs + 15_000;
        step.failure = ch.failWith;
      } else if (pdb && p.count > 0) {
        step.blockedByPdb = true;
        step.failAtMs = step.startMs + (p.upgradeSettings?.drainTimeoutInMinutes ?? 30) * 60_000;
        step.failure = pdbDrainFailure(
          p.name,
          0,
          pdb.namespace,
          pdb.pod ?? `${pdb.name.replace(/-pdb$/, '')}-7d9c5b6f4-x2k8q`,
          pdb.name,
        );
        // A blocked drain never finishes: the step lasts until the drain timeout fails it.
        step.endMs = Math.max(step.endMs, step.failAtMs);
        at = step.endMs;
      }
    }
    if (steps.length === 0) push({ kind: 'wait' }, t.updateSeconds);

    const pools =
      spec.scope === 'pool' && spec.pool
        ? [spec.pool]
        : spec.kind === 'stop' || spec.kind === 'start'
          ? c.pools.map((p) => p.name)
          : (spec.poolChanges ?? []).map((x) => x.pool);
    const injected = this.failures(c, faultableOf(spec), pools);
    if (injected) {
      const target =
        steps.find((s) => s.kind === 'poolRoll' && (!injected.pool || s.pool === injected.pool)) ??
        steps[steps.length - 1]!;
      const failAt =
        target.startMs +
        (injected.afterSeconds !== undefined
          ? injected.afterSeconds * 1000
          : (target.endMs - target.startMs) / 2);
      if (target.failAtMs === undefined || failAt < target.failAtMs) {
        target.failAtMs = failAt;
        target.failure = {
          code: injected.code,
          message:
            injected.message ??
            (target.pool && injected.code === 'UpgradeFailed'
              ? pdbDrainFailure(target.pool, 1, 'default', 'app-7d9c5b6f4-x2k8q', 'app-pdb').message
              : `The operation failed with code ${injected.code} (injected by the simulator).`),
        };
      }
    }

    const op: SimOperation = {
      id: randomUUID(),
      kind: spec.kind,
      displayName: spec.scope === 'pool' && spec.pool ? `${spec.pool} - ${spec.state}` : spec.state,
      state: spec.state,
      scope: spec.scope,
      pool: spec.pool,
      clusterKey: clusterKey(c.subscriptionId, c.resourceGroup, c.name),
      subscriptionId: c.subscriptionId,
      location: c.location,
      startMs: now,
      endMs: at,
      status: 'InProgress',
      steps,
      pools,
      finalPowerState: spec.finalPowerState,
    };
    this.operations.set(op.id, op);
    this.inFlight.set(op.id, op);
    this.changing(c);
    c.activeOperationId = op.id;
    c.lastOperation = { name: spec.state, startedAt: now };
    c.provisioningState = spec.state;
    for (const name of pools) {
      const p = c.pools.find((x) => x.name === name);
      if (p) p.provisioningState = spec.state;
    }
    this.changed(c, now);
    this.evaluate();
    return op;
  }

  /** Applies everything virtual now has passed. Cheap when nothing runs. */
  evaluate(): void {
    const now = this.clock.nowMs();
    for (const op of this.inFlight.values()) {
      if (op.status !== 'InProgress') {
        this.inFlight.delete(op.id); // ended (failed, canceled, succeeded) since the last pass
        continue;
      }
      const c = this.state.clusters.get(op.clusterKey);
      if (!c) {
        op.status = 'Canceled';
        this.inFlight.delete(op.id);
        continue;
      }
      for (const step of op.steps) {
        if (now < step.startMs) break;
        if (!step.started) {
          step.started = true;
          if (step.kind === 'poolRoll' && step.pool)
            this.emit('NodePoolRollingStarted', c, { nodePoolName: step.pool }, step.startMs);
        }
        if (step.failAtMs !== undefined && step.failure && now >= step.failAtMs) {
          this.fail(op, c, step, step.failAtMs);
          break;
        }
        if (now < step.endMs) break;
        if (!step.done) this.complete(c, step);
      }
      if (op.status === 'InProgress' && op.steps.every((s) => s.done)) this.succeed(op, c);
      if (op.status !== 'InProgress') this.inFlight.delete(op.id);
    }
    this.schedule();
  }

  private complete(c: ClusterState, step: Step): void {
    this.changing(c);
    step.done = true;
    if (step.kind === 'controlPlane' && step.targetVersion) {
      c.currentKubernetesVersion = step.targetVersion;
      c.kubernetesVersion = step.targetVersion;
    }
    if (step.kind === 'poolRoll' && step.pool) {
      const p = c.pools.find((x) => x.name === step.pool);
      if (p) {
        if (step.targetVersion) {
          p.currentOrchestratorVersion = step.targetVersion;
          p.orchestratorVersion = step.targetVersion;
        }
        if (step.targetImage) p.nodeImageVersion = step.targetImage;
        p.provisioningState = 'Succeeded';
      }
      this.emit('NodePoolRollingSucceeded', c, { nodePoolName: step.pool }, step.endMs);
    }
    this.changed(c, step.endMs);
  }

  /** Before a change of the cluster: the Resource Graph index keeps its row as it was. */
  private changing(c: ClusterState): void {
    this.observer.before(clusterKey(c.subscriptionId, c.resourceGroup, c.name), c);
  }

  /** After a change of the cluster that took effect at virtual `atMs`. */
  private changed(c: ClusterState, atMs: number): void {
    this.observer.after(clusterKey(c.subscriptionId, c.resourceGroup, c.name), c, atMs);
  }

  private fail(op: SimOperation, c: ClusterState, step: Step, atMs: number): void {
    this.changing(c);
    op.status = 'Failed';
    op.error = step.failure;
    op.endedMs = atMs;
    c.provisioningState = 'Failed';
    c.activeOperationId = undefined;
    for (const name of op.pools) {
      const p = c.pools.find((x) => x.name === name);
      if (p && p.provisioningState !== 'Succeeded')
        p.provisioningState = name === step.pool ? 'Failed' : 'Succeeded';
    }
    this.changed(c, atMs);
    if (step.kind === 'poolRoll' && step.pool)
      this.emit('NodePoolRollingFailed', c, { nodePoolName: step.pool }, atMs);
  }

  /** Abort (`POST .../abort`): the operation ends Canceled; cluster and unfinished pools show Canceled. */
  cancel(op: SimOperation, c: ClusterState): void {
    this.evaluate();
    if (op.status !== 'InProgress') return;
    this.changing(c);
    op.status = 'Canceled';
    op.error = { code: 'OperationCanceled', message: 'The operation was canceled by an abort request.' };
    op.endedMs = this.clock.nowMs();
    c.provisioningState = 'Canceled';
    c.activeOperationId = undefined;
    for (const name of op.pools) {
      const p = c.pools.find((x) => x.name === name);
      if (p && p.provisioningState !== 'Succeeded') p.provisioningState = 'Canceled';
    }
    this.changed(c, op.endedMs ?? this.clock.nowMs());
  }

  private succeed(op: SimOperation, c: ClusterState): void {
    this.changing(c);
    op.status = 'Succeeded';
    op.endedMs = op.endMs;
    c.provisioningState = 'Succeeded';
    c.activeOperationId = undefined;
    if (op.finalPowerState) c.powerState = op.finalPowerState;
    for (const name of op.pools) {
      const p = c.pools.find((x) => x.name === name);
      if (!p) continue;
      p.provisioningState = 'Succeeded';
      if (op.finalPowerState) p.powerState = op.finalPowerState;
    }
    this.changed(c, op.endMs);
  }

  /** A real timer so that operations finish (and events are pushed) without requests. */
  private schedule(): void {
    if (this.closed || this.timer || this.inFlight.size === 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.evaluate();
    }, 50);
    this.timer.unref();
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
