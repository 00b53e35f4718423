import type { PreCheckResult } from '../model';
import { quotaCheck, subnetCheck } from './capacityChecks';
import type { CheckContext } from './context';
import { result } from './context';

/** Surge capacity checks; a node-image-only run needs the same surge nodes. */
export function capacityChecksOf(c: CheckContext): PreCheckResult[] {
  if (c.pools.length === 0)
    return [
      result('quota', 'pass', 'no-pools', false, 'no pool is upgraded: no surge nodes'),
      result('subnet', 'pass', 'no-pools', false, 'no pool is upgraded: no surge nodes'),
    ];
  return [quotaCheck(c), subnetCheck(c)];
}
