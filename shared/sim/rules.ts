/** AKS's refusals (docs/simulator.md): one operation at a time, stopped clusters, version rules. */
import {
  ArmError,
  anotherAgentPoolOperation,
  anotherOperation,
  clusterOpWhilePoolOp,
  poolVersionIncompatible,
  stateConflict,
  upgradeNotAllowed,
  versionNotSupported,
} from './errors';
import type { FleetLocation } from './fleet/schema';
import type { OperationEngine } from './operations';
import type { ClusterState, PoolState } from './state';
import {
  clusterUpgrades,
  compareVersions,
  isOffered,
  minorNumber,
  minorOf,
  resolveVersion,
} from './versions';

/** 409 while any operation runs on the cluster or one of its pools, worded for who asks. */
export function assertIdle(engine: OperationEngine, c: ClusterState, asker: 'cluster' | 'pool'): void {
  const op = engine.activeOn(c);
  if (!op) return;
  if (asker === 'pool')
    throw op.scope === 'pool' ? anotherAgentPoolOperation(op.displayName) : anotherOperation(op.displayName);
  throw op.scope === 'pool' && op.pool
    ? clusterOpWhilePoolOp(op.displayName, op.pool)
    : anotherOperation(op.displayName);
}

/** A stopped cluster accepts only start (and delete). */
export function assertRunning(c: ClusterState, verb: string): void {
  if (c.powerState === 'Stopped') throw stateConflict(c.provisioningState, c.powerState, verb);
}

/**
 * The control-plane version a PUT asks for: undefined when it asks for no change (absent, empty,
 * or the current `major.minor`). Throws AKS's refusal when the target is not allowed.
 */
export function clusterTarget(c: ClusterState, loc: FleetLocation, requested: unknown): string | undefined {
  if (typeof requested !== 'string' || requested.trim() === '') return undefined;
  const req = requested.trim();
  const current = c.currentKubernetesVersion;
  if (/^\d+\.\d+$/.test(req) && req === minorOf(current)) return undefined;
  const target = resolveVersion(loc, req);
  if (!target) throw versionNotSupported(req, c.location);
  if (target === current) return undefined;
  if (!isOffered(loc, target)) throw versionNotSupported(target, c.location);
  const allowed = clusterUpgrades(loc, current, c.supportPlan === 'AKSLongTermSupport').map(
    (u) => u.kubernetesVersion,
  );
  if (!allowed.includes(target)) {
    throw upgradeNotAllowed(
      current,
      target,
      allowed.slice().sort((a, b) => compareVersions(b, a)),
    );
  }
  for (const p of c.pools) {
    if (minorNumber(target) - minorNumber(p.currentOrchestratorVersion) > 3) {
      throw poolVersionIncompatible(
        p.currentOrchestratorVersion,
        target,
        "Minor version of node pool cannot be more than 3 versions less than control plane's version.",
      );
    }
  }
  return target;
}

/** The pool version a PUT asks for, checked against the control plane (`controlPlane` = after the PUT). */
export function poolTarget(
  c: ClusterState,
  p: PoolState,
  loc: FleetLocation,
  requested: unknown,
  controlPlane: string,
): string | undefined {
  if (typeof requested !== 'string' || requested.trim() === '') return undefined;
  const req = requested.trim();
  const current = p.currentOrchestratorVersion;
  if (/^\d+\.\d+$/.test(req) && req === minorOf(current)) return undefined;
  const target =
    /^\d+\.\d+$/.test(req) && req === minorOf(controlPlane) ? controlPlane : resolveVersion(loc, req);
  if (!target) throw versionNotSupported(req, c.location);
  if (target === current) return undefined;
  if (compareVersions(target, controlPlane) > 0) {
    throw poolVersionIncompatible(
      target,
      controlPlane,
      'Node pool version cannot be greater than control plane version.',
    );
  }
  if (target !== controlPlane && !isOffered(loc, target)) throw versionNotSupported(target, c.location);
  if (compareVersions(target, current) < 0) {
    throw new ArmError(
      400,
      'OperationNotAllowed',
      `Downgrading agent pool ${p.name} from ${current} to ${target} is not allowed.`,
    );
  }
  if (minorNumber(controlPlane) - minorNumber(target) > 3) {
    throw poolVersionIncompatible(
      target,
      controlPlane,
      "Minor version of node pool cannot be more than 3 versions less than control plane's version.",
    );
  }
  return target;
}
