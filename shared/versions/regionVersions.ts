import type { KubernetesVersion } from '@azure/arm-containerservice';
import { compareVersions, parseVersion, type ParsedVersion } from './kubernetesVersion';

/**
 * One minor as `managedClusters.listKubernetesVersions(location)` offers it (its `values`), normalised:
 * patches parsed and sorted, unparseable entries dropped.
 */
export interface OfferedMinor {
  key: string;
  major: number;
  minor: number;
  isPreview: boolean;
  /** `capabilities.supportPlan`; empty when AKS did not say (then treated as KubernetesOfficial). */
  supportPlans: string[];
  /** Patch versions, oldest first. */
  patches: string[];
  /** `patchVersions[patch].upgrades`: the legal targets AKS lists for each patch. */
  upgrades: Record<string, string[]>;
}

export const COMMUNITY_PLAN = 'KubernetesOfficial';
export const LTS_PLAN = 'AKSLongTermSupport';

/** Every minor the region lists (preview included), oldest first. */
export function offeredMinors(regionVersions: readonly KubernetesVersion[]): OfferedMinor[] {
  const out: OfferedMinor[] = [];
  for (const kv of regionVersions) {
    const v = kv.version ? parseVersion(kv.version) : undefined;
    if (!v) continue;
    const parsed = Object.keys(kv.patchVersions ?? {})
      .map((p) => ({ text: p, v: parseVersion(p) }))
      .filter(
        (p): p is { text: string; v: ParsedVersion & { patch: number } } =>
          p.v !== undefined && p.v.patch !== undefined && p.v.major === v.major && p.v.minor === v.minor,
      )
      .sort((a, b) => compareVersions(a.v, b.v));
    const upgrades: Record<string, string[]> = {};
    for (const p of parsed) upgrades[p.text] = [...(kv.patchVersions?.[p.text]?.upgrades ?? [])];
    out.push({
      key: `${v.major}.${v.minor}`,
      major: v.major,
      minor: v.minor,
      isPreview: kv.isPreview === true,
      supportPlans: [...(kv.capabilities?.supportPlan ?? [])],
      patches: parsed.map((p) => p.text),
      upgrades,
    });
  }
  return out.sort((a, b) => a.major - b.major || a.minor - b.minor);
}

/** True when the minor is offered under `plan` (a minor that lists no plan counts as KubernetesOfficial). */
export function offersPlan(m: OfferedMinor, plan: string): boolean {
  return m.supportPlans.length === 0 ? plan === COMMUNITY_PLAN : m.supportPlans.includes(plan);
}

export function latestPatch(m: OfferedMinor): string | undefined {
  return m.patches[m.patches.length - 1];
}
