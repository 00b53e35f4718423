import type { AgentPool } from '@azure/arm-containerservice';
import type { Settings } from '../../config/settings';
import type { UpgradeFacts } from '../facts';
import type { PreCheckName, PreCheckResult, PreCheckStatus, UpgradeRequest } from '../model';
import type { PoolSurge } from '../surge';

/** What one leg's pre-checks look at: the facts, the leg, the pools it upgrades and their surge. */
export interface CheckContext {
  facts: UpgradeFacts;
  request: UpgradeRequest;
  settings: Pick<Settings, 'maintenanceWindow' | 'defaultTimezone'>;
  /** The version the cluster's control plane runs when this leg starts. */
  from: string;
  to: string;
  /** Target resolution error of this leg, if any (kind = TargetErrorCode). */
  targetError?: { code: string; error: string };
  /** Pools this run upgrades, and their surge. */
  pools: Array<{ pool: AgentPool; surge: PoolSurge }>;
  /** The run starts the cluster first (`wake`). */
  wakes: boolean;
}

export function result(
  check: PreCheckName,
  status: PreCheckStatus,
  kind: string,
  overridable: boolean,
  summary: string,
  evidence: string[] = [],
): PreCheckResult {
  return {
    check,
    status,
    kind,
    overridable: status === 'fail' ? overridable : false,
    summary,
    evidence: evidence.slice(0, 25).map((e) => (e.length > 400 ? `${e.slice(0, 397)}...` : e)),
  };
}
