import type { KubernetesVersion } from '@azure/arm-containerservice';
import { compareVersions, formatVersion, minorKey, parseVersion } from './kubernetesVersion';
import { COMMUNITY_PLAN, latestPatch, LTS_PLAN, offeredMinors, offersPlan } from './regionVersions';

/** Why a requested target cannot be used. */
export type TargetErrorCode =
  | 'bad-version' // not x.y.z / latest-patch / next-minor, or the current version does not parse
  | 'unknown-version' // the region does not offer it
  | 'preview' // only offered as a preview
  | 'skips-minor' // AKS upgrades one minor at a time
  | 'downgrade'
  | 'same-version'
  | 'no-newer-minor'
  | 'not-an-upgrade-path'; // AKS's own upgrade list for the current patch does not contain it

export type TargetResult = { target: string } | { error: string; code: TargetErrorCode };

/** `POST /api/upgrades` `to`: `x.y.z`, `latest-patch` or `next-minor`. */
export type UpgradeRequestTarget = 'latest-patch' | 'next-minor' | (string & {});

export interface ResolveTargetOptions {
  /** ManagedCluster.supportPlan; minors offered only under AKSLongTermSupport count only for LTS clusters. */
  supportPlan?: string;
}

/**
 * Resolves an on-demand upgrade target against what the region offers
 * (`listKubernetesVersions(location).values`). Pure; errors say why in one sentence.
 */
export function resolveTarget(
  current: string,
  to: UpgradeRequestTarget,
  regionVersions: readonly KubernetesVersion[],
  opts: ResolveTargetOptions = {},
): TargetResult {
  const cur = parseVersion(current);
  if (!cur || cur.patch === undefined)
    return {
      code: 'bad-version',
      error: `the cluster's version "${current}" is not a major.minor.patch version`,
    };
  const all = offeredMinors(regionVersions);
  const lts = opts.supportPlan === LTS_PLAN;
  const ga = all.filter(
    (m) =>
      !m.isPreview &&
      m.patches.length > 0 &&
      (offersPlan(m, COMMUNITY_PLAN) || (lts && offersPlan(m, LTS_PLAN))),
  );
  const curMinor = minorKey(cur);
  const gaMinorOf = (major: number, minor: number) => ga.find((m) => m.major === major && m.minor === minor);
  const previewMinorOf = (major: number, minor: number) =>
    all.find((m) => m.isPreview && m.major === major && m.minor === minor);
  const offeredList = ga.map((m) => m.key).join(', ') || 'none';

  if (to === 'latest-patch') {
    const mine = gaMinorOf(cur.major, cur.minor);
    if (!mine) {
      if (previewMinorOf(cur.major, cur.minor))
        return { code: 'preview', error: `${curMinor} is only offered as a preview in this region` };
      return {
        code: 'unknown-version',
        error: `${curMinor} is no longer offered in this region (offered: ${offeredList}); use next-minor or an explicit version`,
      };
    }
    const top = latestPatch(mine) as string;
    const cmp = compareVersions(parseVersion(top)!, cur);
    if (cmp === 0)
      return { code: 'same-version', error: `${current} is already the latest patch of ${curMinor}` };
    if (cmp < 0)
      return {
        code: 'downgrade',
        error: `the latest offered patch of ${curMinor} is ${top}, older than ${current}`,
      };
    return { target: top };
  }

  if (to === 'next-minor') {
    const lowest = ga[0];
    const onSupportedMinor = gaMinorOf(cur.major, cur.minor) !== undefined;
    if (
      !onSupportedMinor &&
      lowest &&
      (lowest.major > cur.major || (lowest.major === cur.major && lowest.minor > cur.minor))
    ) {
      return { target: latestPatch(lowest) as string }; // from an unsupported minor, straight into the lowest supported one
    }
    const next = gaMinorOf(cur.major, cur.minor + 1);
    if (next) return { target: latestPatch(next) as string };
    if (previewMinorOf(cur.major, cur.minor + 1)) {
      return {
        code: 'preview',
        error: `${cur.major}.${cur.minor + 1} is only offered as a preview in this region`,
      };
    }
    return {
      code: 'no-newer-minor',
      error: `no minor newer than ${curMinor} is offered in this region (offered: ${offeredList})`,
    };
  }

  const want = parseVersion(to);
  if (!want || want.patch === undefined) {
    return {
      code: 'bad-version',
      error: `"${to}" is not a version: expected major.minor.patch (e.g. 1.33.2), "latest-patch" or "next-minor"`,
    };
  }
  const target = formatVersion(want);
  const cmp = compareVersions(want, cur);
  if (cmp === 0) return { code: 'same-version', error: `the cluster already runs ${current}` };
  if (cmp < 0)
    return {
      code: 'downgrade',
      error: `${target} is older than ${current}: AKS does not downgrade Kubernetes`,
    };
  if (want.major !== cur.major)
    return { code: 'skips-minor', error: `${target} changes the major version of ${current}` };
  const wantMinor = gaMinorOf(want.major, want.minor);
  if (!wantMinor) {
    if (previewMinorOf(want.major, want.minor))
      return {
        code: 'preview',
        error: `${minorKey(want)} is only offered as a preview; aks-day2 does not upgrade to previews`,
      };
    return {
      code: 'unknown-version',
      error: `${minorKey(want)} is not offered in this region (offered: ${offeredList})`,
    };
  }
  if (!wantMinor.patches.includes(target)) {
    return {
      code: 'unknown-version',
      error: `${target} is not offered in this region (patches of ${wantMinor.key}: ${wantMinor.patches.join(', ')})`,
    };
  }
  const onSupportedMinor = gaMinorOf(cur.major, cur.minor) !== undefined;
  const lowest = ga[0];
  if (!onSupportedMinor && lowest && lowest.minor > cur.minor) {
    if (want.minor > lowest.minor) {
      return {
        code: 'skips-minor',
        error: `${current} is below every supported minor: AKS allows going to ${lowest.key} (the lowest supported) first, e.g. ${latestPatch(lowest)}`,
      };
    }
  } else if (want.minor > cur.minor + 1) {
    const step = gaMinorOf(cur.major, cur.minor + 1);
    const hint = step ? `; go to ${latestPatch(step)} first` : '';
    return {
      code: 'skips-minor',
      error: `${current} → ${target} skips ${cur.major}.${cur.minor + 1}: AKS upgrades one minor at a time${hint}`,
    };
  }
  const curMinorOffered = gaMinorOf(cur.major, cur.minor);
  const legal = curMinorOffered?.upgrades[formatVersion(cur)];
  if (legal && legal.length > 0 && !legal.includes(target)) {
    return {
      code: 'not-an-upgrade-path',
      error: `AKS does not list ${target} as an upgrade of ${current} (it lists ${legal.join(', ')})`,
    };
  }
  return { target };
}
