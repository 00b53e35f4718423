import { parseVersion } from '../../versions/kubernetesVersion';
import { isUnavailable } from '../facts';
import { REMOVED_APIS } from '../facts/audit';
import type { PreCheckResult } from '../model';
import { result, type CheckContext } from './context';

const minorOf = (v: string): number | undefined => {
  const p = parseVersion(v);
  return p ? p.major * 1000 + p.minor : undefined;
};

/**
 * Deprecated APIs: requests in the last 7 days (audit logs) to APIs removed at or before the target
 * minor, i.e. that stop working with this leg. Named by API, user agent and count. AKS itself blocks
 * only on use within the last 12 hours, at upgrade time.
 */
export function deprecatedApiCheck(c: CheckContext): PreCheckResult {
  const from = minorOf(c.from);
  const to = minorOf(c.to);
  if (from !== undefined && to !== undefined && from === to)
    return result('deprecated-apis', 'pass', 'patch-only', false, 'a patch upgrade removes no API');
  const audit = c.facts.audit;
  if (isUnavailable(audit))
    return result(
      'deprecated-apis',
      'warn',
      'audit-unavailable',
      false,
      `the audit logs could not be read: ${audit.unavailable}`,
      [`removed-API table: ${REMOVED_APIS.source}`],
    );
  const removedByLeg = audit.uses.filter((u) => {
    const r = minorOf(u.removedIn);
    return r !== undefined && to !== undefined && from !== undefined && r > from && r <= to;
  });
  const unknownRemoval = audit.uses.filter((u) => u.source === 'none');
  const line = (u: (typeof audit.uses)[number]) =>
    `${u.api} (removed in ${u.removedIn || 'unknown'}, from ${u.source === 'annotation' ? 'the audit annotation' : u.source === 'table' ? 'the removed-API table' : 'nowhere'}): ${u.calls} request(s) by "${u.userAgent}"${u.lastSeen ? `, last ${u.lastSeen}` : ''}`;
  const base = [`workspace ${audit.workspaceId}, last ${audit.lookbackDays} days`];
  if (removedByLeg.length > 0)
    return result(
      'deprecated-apis',
      'fail',
      'removed-api-in-use',
      true,
      `${removedByLeg.length} API(s) in use are removed by ${c.to}: ${removedByLeg
        .slice(0, 3)
        .map((u) => `${u.api} by "${u.userAgent}" (${u.calls})`)
        .join(', ')}`,
      [...base, ...removedByLeg.map(line)],
    );
  if (unknownRemoval.length > 0)
    return result(
      'deprecated-apis',
      'warn',
      'deprecated-api-in-use',
      false,
      `${unknownRemoval.length} deprecated API(s) in use with no known removal release`,
      [...base, ...unknownRemoval.map(line)],
    );
  return result(
    'deprecated-apis',
    'pass',
    'none-in-use',
    false,
    `no request to an API removed by ${c.to}`,
    base,
  );
}

/** PDBs that would block a drain: disruptions allowed 0 for pods that exist. */
export function pdbCheck(c: CheckContext): PreCheckResult {
  const facts = c.facts.pdbs;
  if (isUnavailable(facts))
    return result(
      'pdbs',
      'warn',
      'pdbs-unavailable',
      false,
      `PDBs could not be listed: ${facts.unavailable}`,
    );
  const blocking = facts.pdbs.filter((p) => p.allowed <= 0 && (p.expectedPods ?? 1) > 0);
  const line = (p: (typeof facts.pdbs)[number]) =>
    `${p.namespace}/${p.name}: disruptionsAllowed ${p.allowed}${p.expectedPods !== undefined ? `, expectedPods ${p.expectedPods}, currentHealthy ${p.currentHealthy ?? '?'}, desiredHealthy ${p.desiredHealthy ?? '?'}` : ''}${p.current ? '' : ' (status not yet observed for the latest generation)'}`;
  if (blocking.length > 0)
    return result(
      'pdbs',
      'fail',
      'pdb-blocks-drain',
      true,
      `${blocking.length} PodDisruptionBudget(s) allow no disruption and would block the drain: ${blocking
        .slice(0, 3)
        .map((p) => `${p.namespace}/${p.name}`)
        .join(', ')}`,
      blocking.map(line),
    );
  return result(
    'pdbs',
    'pass',
    'pdbs-allow-drain',
    false,
    `${facts.pdbs.length} PDB(s), none blocks a drain`,
    facts.pdbs.map(line),
  );
}
