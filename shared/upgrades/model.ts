import { randomBytes } from 'node:crypto';
import type { ClusterRef } from '../fleet/cluster';
import type { Actor } from '../records/outcome';

/** The pre-checks a run makes, by name (the names `force` lists). */
export const PRECHECK_NAMES = [
  'state',
  'target',
  'skew',
  'auto-upgrade',
  'deprecated-apis',
  'pdbs',
  'quota',
  'subnet',
  'window',
] as const;
export type PreCheckName = (typeof PRECHECK_NAMES)[number];

export type PreCheckStatus = 'pass' | 'warn' | 'fail';

/**
 * One pre-check's result. `kind` is what was found, as data (e.g. `stopped`, `pdb-blocks-drain`,
 * `quota-short`): decisions read it, never `summary`. `overridable`: `force` may let a run go on despite it.
 */
export interface PreCheckResult {
  check: PreCheckName;
  status: PreCheckStatus;
  kind: string;
  overridable: boolean;
  summary: string;
  /** What the result rests on, one fact a line (API and count, PDB name, quota numbers, ...). */
  evidence: string[];
  /** For one leg of a multi-minor run: the version this check was made for. */
  toVersion?: string;
  /** `force` let the run go on despite this failure. */
  overridden?: boolean;
}

/** `force`: true overrides every overridable pre-check; a list names the ones to override. */
export type ForceSpec = boolean | PreCheckName[];

/** An upgrade asked for by a person (CLI, HTTP, ChatOps) or the unattended policy. */
export interface UpgradeRequest {
  /** Resource id, or a name unique in the subscriptions in scope. */
  cluster: string;
  /** `x.y.z`, `latest-patch` (default) or `next-minor`. A version more than one minor ahead runs as legs. */
  to?: string;
  /** Pools to upgrade (default: every pool); the control plane always goes first. */
  pools?: string[];
  /** `N` or `N%`; else each pool's own `upgradeSettings.maxSurge`, else AKS's default. */
  maxSurge?: string;
  drainTimeoutInMinutes?: number;
  nodeSoakDurationInMinutes?: number;
  undrainableNodeBehavior?: 'Cordon' | 'Schedule';
  /** A stopped cluster is started for the upgrade and stopped again after it. */
  wake?: boolean;
  force?: ForceSpec;
  dryRun?: boolean;
  /** Upgrade the pools' node images only (no Kubernetes version change). */
  nodeImageOnly?: boolean;
  /** Ask for a second person's approval even when the cluster is not prod. */
  requireApproval?: boolean;
  requestedBy: Actor;
  /** Set by the unattended policy: pre-checks then also require the maintenance window. */
  unattended?: boolean;
  /** The unattended wave this run belongs to (ring gating). */
  ring?: number;
}

/** Where a run is. Terminal: Succeeded, Failed, Halted, Cancelled. */
export type RunState =
  | 'Planned'
  | 'PreChecks'
  | 'AwaitingApproval'
  | 'Starting'
  | 'ControlPlane'
  | 'NodePools'
  | 'PostChecks'
  | 'Stopping'
  | 'Succeeded'
  | 'Failed'
  | 'Halted'
  | 'Cancelled';

export const TERMINAL_RUN_STATES: readonly RunState[] = ['Succeeded', 'Failed', 'Halted', 'Cancelled'];
export const isTerminalRun = (s: RunState): boolean => TERMINAL_RUN_STATES.includes(s);

/** `R-<UTC start to the ms>-<8 hex>`: sorts by creation, a valid Table key. */
export function newUpgradeRunId(at: Date): string {
  return `R-${at.toISOString().replace(/[-:.]/g, '')}-${randomBytes(4).toString('hex')}`;
}

/** When the run was created, read from its id (`newUpgradeRunId`); undefined for an id not of that form. */
export function upgradeRunCreatedAt(id: string): Date | undefined {
  const m = /^R-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z-/.exec(id);
  const t = m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!, +m[7]!) : NaN;
  return Number.isFinite(t) ? new Date(t) : undefined;
}

export type StepKind =
  | 'wake' // start a stopped cluster
  | 'pre-checks'
  | 'approval'
  | 'control-plane'
  | 'pool'
  | 'node-image'
  | 'post-checks'
  | 'sleep'; // stop it again

export type StepStatus = 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Skipped';

export interface PoolUpgradeSettings {
  maxSurge?: string;
  drainTimeoutInMinutes?: number;
  nodeSoakDurationInMinutes?: number;
  undrainableNodeBehavior?: string;
}

export interface UpgradeStep {
  kind: StepKind;
  /** Leg (one minor each), 0-based; steps outside legs (wake, approval, post-checks, sleep) carry the leg they precede/follow. */
  leg: number;
  toVersion?: string;
  pool?: string;
  /** Surge and drain settings sent with a pool step, and where maxSurge came from. */
  upgradeSettings?: PoolUpgradeSettings;
  surgeSource?: 'request' | 'pool' | 'aks-default';
  status: StepStatus;
  /**
   * The aks-day2 operation of this step. Written to the run BEFORE the lock is taken and the PUT sent:
   * a resumed run finds it and never submits the step a second time.
   */
  operationId?: string;
  startedAt?: string;
  finishedAt?: string;
  reason?: string;
  /** AKS's error code when the step failed (e.g. UpgradeFailed), and the PDB debug info of a drain failure. */
  azureCode?: string;
  /** Nodes done / total of a pool step, from NodePoolRolling* events and the sweeper. */
  progress?: { nodesDone: number; nodesTotal: number };
}

export interface UpgradeRun {
  /** `R-<UTC start>-<8 hex>`. */
  id: string;
  cluster: ClusterRef;
  state: RunState;
  request: Omit<UpgradeRequest, 'dryRun'>;
  fromVersion: string;
  toVersion: string;
  /** One minor per leg: e.g. ['1.33.5', '1.34.2'] for 1.32 → 1.34. */
  legs: string[];
  steps: UpgradeStep[];
  /** The latest pre-check results (every leg's, in order). */
  prechecks: PreCheckResult[];
  /** The pool rolling now, with nodes done / total when known. */
  progress?: { pool?: string; nodesDone?: number; nodesTotal?: number; step: number; steps: number };
  requestedBy: Actor;
  approvalRequired: boolean;
  approvedBy?: Actor;
  cancelledBy?: Actor;
  /** The cluster was stopped and the run starts it (and stops it again at the end). */
  woke?: boolean;
  createdAt: string;
  updatedAt: string;
  finishedAt?: string;
  /** The run stopped early (Failed, Halted, Cancelled) but still stops the cluster it started: the state it ends in. */
  ending?: RunState;
  /** Why the run ended as it did (AKS's reason for a failed step). */
  reason?: string;
  /**
   * False from the write that ended the run until its end was reported (card and rows): a process that
   * dies in between leaves it false, and the next advance (the sweeper's) reports it. Absent: reported.
   */
  endReported?: boolean;
  /** ETag of the stored row this copy was read from (optimistic concurrency). */
  etag?: string;
}

/** What `requestUpgrade` returns for a dry run: the plan and every pre-check. */
export interface UpgradePlan {
  cluster: ClusterRef;
  fromVersion: string;
  toVersion: string;
  legs: string[];
  steps: UpgradeStep[];
  prechecks: PreCheckResult[];
  approvalRequired: boolean;
  /** False when a pre-check failed that `force` does not override (see `blocking`). */
  wouldStart: boolean;
  blocking: PreCheckResult[];
}
