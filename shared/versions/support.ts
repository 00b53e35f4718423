import type { KubernetesVersion } from '@azure/arm-containerservice';
import type { ClusterRef, ClusterSnapshot } from '../fleet/cluster';
import { calendarDate, calendarRow, type SupportCalendar } from './calendar';
import { compareVersions, minorKey, parseVersion, type ParsedVersion } from './kubernetesVersion';
import {
  COMMUNITY_PLAN,
  latestPatch,
  LTS_PLAN,
  offeredMinors,
  offersPlan,
  type OfferedMinor,
} from './regionVersions';

/** Worst first: `unsupported` > `ending` > `behind-patch` > `current`. */
export type SupportStatus = 'unsupported' | 'ending' | 'behind-patch' | 'current';

export interface VersionAssessment {
  cluster: Pick<ClusterRef, 'id' | 'name'>;
  /** The version the cluster runs. */
  version: string;
  status: SupportStatus;
  /** `major.minor` of `version` ('' when it does not parse). */
  minor: string;
  /** The cluster is on the AKSLongTermSupport plan and its minor has LTS. */
  isLts: boolean;
  /** Newest non-preview patch of the cluster's minor in the region; null when the region no longer offers the minor. */
  latestPatchOfMinor: string | null;
  /** Last day of support (00:00 UTC of that day) from the calendar (LTS end for LTS clusters); null = unknown. */
  endOfSupport: Date | null;
  /** Whole days from today (UTC) to `endOfSupport`: 0 on the last day, negative after; null = unknown. */
  daysLeft: number | null;
  /** Minor-by-minor hops to the newest supported non-preview version, each the latest patch of its minor. */
  path: string[];
  /** One sentence a person reads in Teams. */
  reason: string;
}

export interface AssessVersionInput {
  /** `supportPlan` is ManagedCluster.supportPlan (`KubernetesOfficial` | `AKSLongTermSupport`); absent = KubernetesOfficial. */
  cluster: ClusterSnapshot & { supportPlan?: string };
  /** `managedClusters.listKubernetesVersions(cluster.location)).values`. */
  regionVersions: readonly KubernetesVersion[];
  calendar: SupportCalendar;
  now: Date;
  /** `DAY2_SUPPORT_WARN_DAYS`. */
  warnDays: number;
}

const DAY_MS = 86_400_000;
const SEVERITY: Record<SupportStatus, number> = { unsupported: 0, ending: 1, 'behind-patch': 2, current: 3 };

function dayString(d: Date): string {
  return d.toISOString().slice(0, 10);
}

function daysUntil(end: Date, now: Date): number {
  const today = Math.floor(now.getTime() / DAY_MS);
  return Math.floor(end.getTime() / DAY_MS) - today;
}

function endPhrase(end: Date | null, daysLeft: number | null, lts: boolean): string {
  const what = lts ? 'long-term support' : 'support';
  if (end === null || daysLeft === null) return `end of ${what} unknown (not in the AKS release calendar)`;
  if (daysLeft < 0) return `${what} ended on ${dayString(end)}`;
  if (daysLeft === 0) return `${what} ends today (${dayString(end)})`;
  return `${what} ends on ${dayString(end)} (${daysLeft} day${daysLeft === 1 ? '' : 's'} left)`;
}

/**
 * Hops from `from` to the newest supported version. From a supported minor, AKS goes one minor at a time;
 * from a minor below every supported one, AKS allows going straight into the lowest supported minor.
 */
export function upgradePath(from: ParsedVersion, supported: readonly OfferedMinor[]): string[] {
  const newest = supported[supported.length - 1];
  if (!newest) return [];
  const hops: string[] = [];
  for (const m of supported) {
    if (m.major !== from.major) continue;
    const top = latestPatch(m);
    if (!top) continue;
    if (m.minor > from.minor) hops.push(top);
  }
  if (hops.length === 0 && newest.minor === from.minor && newest.major === from.major) {
    const top = latestPatch(newest);
    const topV = top ? parseVersion(top) : undefined;
    if (top && topV && compareVersions(topV, from) > 0) return [top];
  }
  return hops;
}

/** Support status of one cluster against what its region offers and the release calendar. Pure. */
export function assessVersionSupport(input: AssessVersionInput): VersionAssessment {
  const { cluster, calendar, now, warnDays } = input;
  const base = { cluster: { id: cluster.id, name: cluster.name }, version: cluster.kubernetesVersion };
  const v = parseVersion(cluster.kubernetesVersion);
  if (!v) {
    return {
      ...base,
      status: 'unsupported',
      minor: '',
      isLts: false,
      latestPatchOfMinor: null,
      endOfSupport: null,
      daysLeft: null,
      path: [],
      reason: `Cannot read the Kubernetes version "${cluster.kubernetesVersion}" of ${cluster.name}.`,
    };
  }
  const minor = minorKey(v);
  const wantsLts = cluster.supportPlan === LTS_PLAN;
  const offered = offeredMinors(input.regionVersions).filter((m) => !m.isPreview);
  const community = offered.filter((m) => offersPlan(m, COMMUNITY_PLAN));
  const supported = offered.filter(
    (m) => offersPlan(m, COMMUNITY_PLAN) || (wantsLts && offersPlan(m, LTS_PLAN)),
  );
  const mine = supported.find((m) => m.major === v.major && m.minor === v.minor);
  const row = calendarRow(calendar, minor);
  const isLts = wantsLts && (row?.ltsEndOfLife != null || (mine !== undefined && offersPlan(mine, LTS_PLAN)));
  const endOfSupport = calendarDate((isLts ? row?.ltsEndOfLife : row?.endOfLife) ?? null);
  const daysLeft = endOfSupport ? daysUntil(endOfSupport, now) : null;
  const latest = mine ? (latestPatch(mine) ?? null) : null;
  const path = upgradePath(v, supported);
  const result = { ...base, minor, isLts, latestPatchOfMinor: latest, endOfSupport, daysLeft, path };
  const where = cluster.location ? ` in ${cluster.location}` : '';
  const next = path[0] ? `; next step ${path[0]}` : '';

  if (!mine) {
    const listed = offeredMinors(input.regionVersions).filter(
      (m) => m.major === v.major && m.minor === v.minor,
    );
    const list = supported.map((m) => m.key).join(', ') || 'none';
    const why = listed.some((m) => m.isPreview)
      ? `is offered only as a preview${where}`
      : listed.length > 0
        ? `is offered${where} only with long-term support (AKSLongTermSupport), which this cluster does not have`
        : `is not offered${where} (supported minors: ${list})`;
    const ended = endOfSupport ? `; ${endPhrase(endOfSupport, daysLeft, isLts)}` : '';
    return {
      ...result,
      status: 'unsupported',
      reason: `${cluster.kubernetesVersion}: Kubernetes ${minor} ${why}${ended}${next}.`,
    };
  }

  const lowestCommunity = community[0];
  const isLowest = !isLts && lowestCommunity !== undefined && lowestCommunity.key === mine.key;
  const soon = daysLeft !== null && daysLeft <= warnDays;
  if (isLowest || soon) {
    const lowest = isLowest ? `${minor} is the oldest supported minor${where}; ` : '';
    return {
      ...result,
      status: 'ending',
      reason: `${cluster.kubernetesVersion}: ${lowest}${endPhrase(endOfSupport, daysLeft, isLts)}${next}.`,
    };
  }

  const latestV = latest ? parseVersion(latest) : undefined;
  if (latest && latestV && compareVersions(v, latestV) < 0) {
    return {
      ...result,
      status: 'behind-patch',
      reason: `${cluster.kubernetesVersion} is behind ${latest}, the latest patch of ${minor}; ${endPhrase(endOfSupport, daysLeft, isLts)}.`,
    };
  }
  return {
    ...result,
    status: 'current',
    reason: `${cluster.kubernetesVersion} is the latest patch of ${minor}${isLts ? ' (LTS)' : ''}; ${endPhrase(endOfSupport, daysLeft, isLts)}.`,
  };
}

/** Sort comparator: worst status first, then the fewest days left (unknown last), then by name and id. */
export function worstFirst(a: VersionAssessment, b: VersionAssessment): number {
  return (
    SEVERITY[a.status] - SEVERITY[b.status] ||
    (a.daysLeft ?? Number.POSITIVE_INFINITY) - (b.daysLeft ?? Number.POSITIVE_INFINITY) ||
    a.cluster.name.localeCompare(b.cluster.name) ||
    a.cluster.id.localeCompare(b.cluster.id)
  );
}
