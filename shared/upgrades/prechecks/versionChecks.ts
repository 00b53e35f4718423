import { parseVersion } from '../../versions/kubernetesVersion';
import type { PreCheckResult } from '../model';
import { result, type CheckContext } from './context';

/** AKS allows the control plane at most this many minors ahead of any pool. */
export const MAX_POOL_SKEW = 3;

/** Target: offered in the region and by the cluster's upgrade profile, no minor skipped, not a preview. */
export function targetCheck(c: CheckContext): PreCheckResult {
  if (c.targetError)
    return result('target', 'fail', c.targetError.code, false, c.targetError.error, [
      `from ${c.from}`,
      `asked: ${c.request.to ?? 'latest-patch'}`,
    ]);
  if (c.request.nodeImageOnly)
    return result(
      'target',
      'pass',
      'node-image-only',
      false,
      `node images only: the version stays ${c.from}`,
      [`version ${c.from}`],
    );
  const ev = [`${c.from} → ${c.to}`];
  const fromNow = c.from === c.facts.cluster.kubernetesVersion;
  if (fromNow && c.facts.offeredUpgrades.length > 0) {
    const offered = c.facts.offeredUpgrades.find((u) => u.kubernetesVersion === c.to);
    ev.push(
      `upgrade profile offers: ${c.facts.offeredUpgrades.map((u) => `${u.kubernetesVersion}${u.isPreview ? ' (preview)' : ''}`).join(', ')}`,
    );
    if (!offered)
      return result(
        'target',
        'fail',
        'not-offered',
        false,
        `the cluster's upgrade profile does not offer ${c.to}`,
        ev,
      );
    if (offered.isPreview)
      return result('target', 'fail', 'preview', false, `${c.to} is offered only as a preview`, ev);
  }
  return result('target', 'pass', 'offered', false, `${c.to} is offered and one minor at most ahead`, ev);
}

/** Skew: pools this run leaves alone stay within 3 minors of the control plane; no pool newer than it. */
export function skewCheck(c: CheckContext): PreCheckResult {
  const to = parseVersion(c.to);
  const chosen = new Set(c.pools.map((p) => p.pool.name));
  const ev: string[] = [];
  const bad: string[] = [];
  for (const p of c.facts.cluster.pools) {
    const v = parseVersion(p.currentOrchestratorVersion ?? p.orchestratorVersion ?? '');
    const upgraded = chosen.has(p.name);
    ev.push(
      `pool ${p.name} ${p.currentOrchestratorVersion ?? p.orchestratorVersion ?? '?'}${upgraded ? ` → ${c.to}` : ' (left as is)'}`,
    );
    if (!to || !v || upgraded) continue;
    if (v.major !== to.major || to.minor - v.minor > MAX_POOL_SKEW)
      bad.push(`${p.name} (${p.currentOrchestratorVersion ?? p.orchestratorVersion})`);
  }
  if (bad.length > 0)
    return result(
      'skew',
      'fail',
      'skew-too-wide',
      false,
      `pools left as they are would be more than ${MAX_POOL_SKEW} minors behind the control plane at ${c.to}: ${bad.join(', ')}; include them`,
      ev,
    );
  return result(
    'skew',
    'pass',
    'within-skew',
    false,
    `every pool stays within ${MAX_POOL_SKEW} minors of the control plane`,
    ev,
  );
}
