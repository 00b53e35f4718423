import type { ForceSpec, PreCheckResult } from '../model';
import { capacityChecksOf } from './capacitySet';
import { autoUpgradeCheck, stateCheck, windowCheck } from './clusterChecks';
import type { CheckContext } from './context';
import { skewCheck, targetCheck } from './versionChecks';
import { deprecatedApiCheck, pdbCheck } from './workloadChecks';

export type { CheckContext } from './context';

/**
 * Every pre-check of one leg, in a fixed order, each a pure function of the facts. `force` marks the
 * overridable failures it names (or all of them) as overridden.
 */
export function runPreChecks(c: CheckContext, force: ForceSpec | undefined): PreCheckResult[] {
  const results = [
    stateCheck(c),
    targetCheck(c),
    skewCheck(c),
    autoUpgradeCheck(c),
    deprecatedApiCheck(c),
    pdbCheck(c),
    ...capacityChecksOf(c),
    windowCheck(c),
  ].map((r) => ({ ...r, toVersion: c.to }));
  return applyForce(results, force);
}

export function applyForce(results: PreCheckResult[], force: ForceSpec | undefined): PreCheckResult[] {
  return results.map((r) =>
    r.status === 'fail' &&
    r.overridable &&
    (force === true || (Array.isArray(force) && force.includes(r.check)))
      ? { ...r, overridden: true }
      : r,
  );
}

/** Failures that stop the run: failed and not overridden. */
export function blockingChecks(results: readonly PreCheckResult[]): PreCheckResult[] {
  return results.filter((r) => r.status === 'fail' && !r.overridden);
}
