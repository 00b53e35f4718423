/**
 * Kubernetes versions as AKS offers them per region: the regional list, upgrade edges (newer patches
 * of the same minor + the next minor), legal targets of a cluster, node-image families.
 */
import type { FleetLocation } from './fleet/schema';

export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

export function minorOf(v: string): string {
  return v.split('.').slice(0, 2).join('.');
}

export function minorNumber(v: string): number {
  return Number(v.split('.')[1] ?? 0);
}

export interface OfferedPatch {
  version: string;
  minor: string;
  isPreview: boolean;
  ltsOnly: boolean;
  lts: boolean;
}

export function offeredPatches(loc: FleetLocation): OfferedPatch[] {
  const out: OfferedPatch[] = [];
  for (const mv of loc.kubernetesVersions) {
    const lts = mv.supportPlan.includes('AKSLongTermSupport');
    const ltsOnly = lts && !mv.supportPlan.includes('KubernetesOfficial');
    for (const p of mv.patches)
      out.push({ version: p, minor: mv.version, isPreview: mv.isPreview ?? false, ltsOnly, lts });
  }
  return out.sort((a, b) => compareVersions(a.version, b.version));
}

/** Upgrade edges of the regional list: newer patches of the same minor, then patches of the next minor. */
export function regionalUpgrades(loc: FleetLocation, from: string): string[] {
  const all = offeredPatches(loc);
  return all
    .filter(
      (p) =>
        compareVersions(p.version, from) > 0 &&
        (p.minor === minorOf(from) || minorNumber(p.version) === minorNumber(from) + 1),
    )
    .map((p) => p.version);
}

export interface UpgradeTarget {
  kubernetesVersion: string;
  isPreview?: boolean;
}

/**
 * Legal targets for a cluster on `current`: newer patches of its minor and the next minor; a cluster
 * whose minor is no longer offered may jump to the lowest offered minor above it (back into support);
 * LTS clusters may also move to any higher LTS minor. LTS-only minors are for LTS clusters only.
 */
export function clusterUpgrades(loc: FleetLocation, current: string, isLts: boolean): UpgradeTarget[] {
  const all = offeredPatches(loc).filter((p) => isLts || !p.ltsOnly);
  const cur = minorNumber(current);
  const offeredMinor = all.some((p) => p.minor === minorOf(current));
  let allowed = new Set<number>([cur, cur + 1]);
  if (!offeredMinor) {
    const above = [...new Set(all.map((p) => minorNumber(p.version)).filter((m) => m > cur))].sort(
      (a, b) => a - b,
    );
    if (above[0] !== undefined) allowed = new Set([above[0]]);
  }
  return all
    .filter((p) => compareVersions(p.version, current) > 0)
    .filter((p) => allowed.has(minorNumber(p.version)) || (isLts && p.lts))
    .map((p) =>
      p.isPreview ? { kubernetesVersion: p.version, isPreview: true } : { kubernetesVersion: p.version },
    );
}

/** `major.minor` -> the newest GA patch of that minor offered in the region; full versions unchanged. */
export function resolveVersion(loc: FleetLocation, requested: string): string | undefined {
  if (/^\d+\.\d+\.\d+$/.test(requested)) return requested;
  if (!/^\d+\.\d+$/.test(requested)) return undefined;
  const patches = offeredPatches(loc).filter((p) => p.minor === requested);
  const ga = patches.filter((p) => !p.isPreview);
  const pick = (ga.length ? ga : patches).at(-1);
  return pick?.version;
}

export function isOffered(loc: FleetLocation, version: string): boolean {
  return offeredPatches(loc).some((p) => p.version === version);
}

/** Node image family: the part before the last `-` (`AKSUbuntu-2204gen2containerd-202610.07.0`). */
export function imageFamily(nodeImageVersion: string): string {
  const i = nodeImageVersion.lastIndexOf('-');
  return i > 0 ? nodeImageVersion.slice(0, i) : nodeImageVersion;
}

/** The latest node image a pool is offered: its own override, else its region's latest of its family. */
export function poolLatestNodeImage(
  loc: FleetLocation,
  p: { nodeImageVersion: string; latestNodeImageVersion?: string },
): string {
  return p.latestNodeImageVersion ?? latestNodeImage(loc, p.nodeImageVersion);
}

export function latestNodeImage(loc: FleetLocation, current: string): string {
  const fam = imageFamily(current);
  return loc.latestNodeImages.find((v) => imageFamily(v) === fam) ?? current;
}

/** The regional list as ARM serves it (`values`, KubernetesVersions_List.json). */
export function kubernetesVersionList(loc: FleetLocation): { values: unknown[] } {
  const values = loc.kubernetesVersions
    .slice()
    .sort((a, b) => compareVersions(`${a.version}.0`, `${b.version}.0`))
    .map((mv) => {
      const patchVersions: Record<string, { upgrades: string[] }> = {};
      for (const p of mv.patches.slice().sort(compareVersions))
        patchVersions[p] = { upgrades: regionalUpgrades(loc, p) };
      return {
        version: mv.version,
        capabilities: { supportPlan: [...mv.supportPlan] },
        ...(mv.isDefault ? { isDefault: true } : {}),
        ...(mv.isPreview ? { isPreview: true } : {}),
        patchVersions,
      };
    });
  return { values };
}
