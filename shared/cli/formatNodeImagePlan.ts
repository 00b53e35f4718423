import { formatTagError } from '../policy/tags';
import { renderTable } from './table';
import type { NodeImagePlanResult } from '../nodeimage/runNodeImage';

const short = (image: string): string => image.slice(image.lastIndexOf('-') + 1) || image;

/** `aks-day2 plan --job node-image`: each pool behind on its node image and what the job would do, ring order. */
export function formatNodeImagePlan({ facts, decisions }: NodeImagePlanResult): string {
  const rows = decisions.map((d) => [
    String(d.ring),
    d.cluster.name,
    d.pool,
    d.kind,
    d.to ? `${short(d.from)} → ${short(d.to)}` : short(d.from),
    d.osKey,
    d.reason,
  ]);
  const out = [
    `Node images at ${facts.now.toISOString()}: ${decisions.length} pools behind, ${decisions.filter((d) => d.kind === 'upgrade').length} would be upgraded now`,
    '',
    renderTable(['RING', 'CLUSTER', 'POOL', 'DECISION', 'IMAGE', 'FAMILY', 'WHY'], rows),
  ];
  for (const f of facts.readFailures) out.push('', `Could not read ${f.cluster.name}: ${f.error.message}`);
  for (const t of facts.tagErrors) out.push('', `${t.cluster.name}: tag ${formatTagError(t.error)}`);
  return out.join('\n');
}
