import type { UpgradePlan, UpgradeRun } from '../upgrades/api';
import { isTerminalRun } from '../upgrades/api';

/** Links of a run: where to read it, and what may be done with it now. */
function links(run: UpgradeRun): Record<string, string> {
  const self = `/api/upgrades/${run.id}`;
  return {
    self,
    ...(isTerminalRun(run.state) ? {} : { cancel: `${self}/cancel` }),
    ...(run.state === 'AwaitingApproval' ? { approve: `${self}/approve` } : {}),
  };
}

/**
 * A run as the API shows it: the engine's run without storage details (ETag, whether its end was
 * reported yet, the internal operation id of each step), plus links.
 */
export function runBody(run: UpgradeRun): Record<string, unknown> {
  const { etag: _etag, endReported: _reported, steps, ...rest } = run;
  return {
    ...rest,
    steps: steps.map(({ operationId: _op, ...s }) => s),
    links: links(run),
  };
}

/** A dry run: the plan with every pre-check and its evidence. */
export function planBody(plan: UpgradePlan): Record<string, unknown> {
  return { dryRun: true, ...plan };
}
