import type { AgentPool } from '@azure/arm-containerservice';
import type { PoolUpgradeSettings, UpgradeRequest } from './model';

/** AKS's default `maxSurge` when neither the request nor the pool sets one (as AKS serves it on pools). */
export const AKS_DEFAULT_MAX_SURGE = '10%';

export interface PoolSurge {
  settings: PoolUpgradeSettings;
  source: 'request' | 'pool' | 'aks-default';
  /** Surge nodes AKS adds at a time for this pool. */
  surgeNodes: number;
}

/** Nodes a `maxSurge` value means for a pool of `count` nodes: N, or N% of the pool rounded up; at least 1 unless 0; at most the pool. */
export function surgeNodes(maxSurge: string, count: number): number {
  const pct = maxSurge.endsWith('%');
  const n = Number(pct ? maxSurge.slice(0, -1) : maxSurge);
  if (!Number.isFinite(n) || n <= 0 || count <= 0) return 0;
  const nodes = pct ? Math.ceil((count * n) / 100) : n;
  return Math.max(1, Math.min(nodes, count));
}

/**
 * The surge of one pool: the request's `maxSurge`, else the pool's own `upgradeSettings.maxSurge`, else
 * AKS's default (then nothing is sent and AKS applies its default). Drain timeout, soak and undrainable
 * behaviour are passed through when the request gives them.
 */
export function poolSurge(
  req: Pick<
    UpgradeRequest,
    'maxSurge' | 'drainTimeoutInMinutes' | 'nodeSoakDurationInMinutes' | 'undrainableNodeBehavior'
  >,
  pool: Pick<AgentPool, 'count' | 'upgradeSettings'>,
): PoolSurge {
  const count = pool.count ?? 0;
  const own = pool.upgradeSettings?.maxSurge;
  const source = req.maxSurge ? 'request' : own ? 'pool' : 'aks-default';
  const maxSurge = req.maxSurge ?? own;
  const settings: PoolUpgradeSettings = {
    ...(maxSurge ? { maxSurge } : {}),
    ...(req.drainTimeoutInMinutes !== undefined ? { drainTimeoutInMinutes: req.drainTimeoutInMinutes } : {}),
    ...(req.nodeSoakDurationInMinutes !== undefined
      ? { nodeSoakDurationInMinutes: req.nodeSoakDurationInMinutes }
      : {}),
    ...(req.undrainableNodeBehavior ? { undrainableNodeBehavior: req.undrainableNodeBehavior } : {}),
  };
  const unavailableOnly = !maxSurge && Number(pool.upgradeSettings?.maxUnavailable ?? 0) > 0;
  return {
    settings,
    source,
    surgeNodes: unavailableOnly ? 0 : surgeNodes(maxSurge ?? AKS_DEFAULT_MAX_SURGE, count),
  };
}

/** vCPUs and quota family of a VM size, from its name (e.g. Standard_D4s_v5 → 4, standardDSv5Family). */
export function vmSizeInfo(vmSize: string): { vcpus: number; family: string } | undefined {
  const m = /^Standard_([A-Z]+)(\d+)(-\d+)?([a-z]*)(?:_(?!v\d+$)([A-Za-z0-9]+))?(?:_v(\d+))?$/.exec(
    vmSize.trim(),
  );
  if (!m) return undefined;
  const [, letters, cpus, constrained, suffix, , version] = m;
  const vcpus = constrained ? Number(constrained.slice(1)) : Number(cpus);
  const suffixFamily = (suffix ?? '').replace(/[^a-z]/g, '').toUpperCase();
  const family = `standard${letters}${suffixFamily}${version ? `v${version}` : ''}Family`;
  return vcpus > 0 ? { vcpus, family } : undefined;
}
