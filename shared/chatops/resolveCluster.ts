import { sameId, type ClusterSnapshot } from '../fleet/cluster';

export type Resolution =
  | { kind: 'one'; cluster: ClusterSnapshot }
  | { kind: 'ambiguous'; candidates: ClusterSnapshot[] }
  | { kind: 'unknown' };

/** Candidates listed in a reply at most. */
export const MAX_CANDIDATES = 10;

/**
 * A cluster named in a message: its resource id; else its exact name (case-insensitive); else the one
 * cluster whose name starts with what was typed. Two clusters of that exact name (other subscriptions or
 * resource groups), or several names starting with it, are ambiguous: the candidates are listed.
 */
export function resolveCluster(clusters: readonly ClusterSnapshot[], typed: string): Resolution {
  if (typed.startsWith('/')) {
    const c = clusters.find((x) => sameId(x.id, typed));
    return c ? { kind: 'one', cluster: c } : { kind: 'unknown' };
  }
  const t = typed.toLowerCase();
  const exact = clusters.filter((c) => c.name.toLowerCase() === t);
  if (exact.length === 1) return { kind: 'one', cluster: exact[0]! };
  if (exact.length > 1) return { kind: 'ambiguous', candidates: exact };
  const prefix = clusters.filter((c) => c.name.toLowerCase().startsWith(t));
  if (prefix.length === 1) return { kind: 'one', cluster: prefix[0]! };
  if (prefix.length > 1) return { kind: 'ambiguous', candidates: prefix };
  return { kind: 'unknown' };
}

/** `aks-dev-weu-01 (rg-aks-dev-weu, sub 6f1c2a3b)` for a candidate list. */
export function candidateLabel(c: ClusterSnapshot): string {
  return `${c.name} (${c.resourceGroup}, subscription ${c.subscriptionId.slice(0, 8)})`;
}
