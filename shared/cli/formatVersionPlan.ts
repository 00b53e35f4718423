import { renderTable } from './table';
import type { VersionPlan } from '../versions/planVersionSupport';

/** `aks-day2 plan --job version-support`: cluster, version, status, days left, path; worst first. */
export function formatVersionPlan(plan: VersionPlan): string {
  const rows = plan.assessments.map((a) => [
    a.cluster.name,
    a.version + (a.isLts ? ' (LTS)' : ''),
    a.status,
    a.daysLeft === null ? 'unknown' : String(a.daysLeft),
    a.endOfSupport ? a.endOfSupport.toISOString().slice(0, 10) : 'unknown',
    a.path.length > 0 ? a.path.join(' → ') : '–',
  ]);
  const out = [
    `Version support on ${plan.now.toISOString().slice(0, 10)}: ${plan.assessments.length} clusters, worst first`,
    '',
    renderTable(['CLUSTER', 'VERSION', 'STATUS', 'DAYS LEFT', 'END OF SUPPORT', 'UPGRADE PATH'], rows),
  ];
  for (const f of plan.failures) out.push('', `Check failed: ${f.error.message}`);
  for (const id of plan.missing) out.push('', `Not in the fleet: ${id}`);
  out.push(
    '',
    'End-of-support dates: the AKS release calendar (shared/versions/calendar.json, learn.microsoft.com/azure/aks/supported-kubernetes-versions).',
  );
  return out.join('\n');
}
