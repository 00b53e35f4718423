import type { KubernetesVersion } from '@azure/arm-containerservice';
import { toDay2Error } from '../azure/azureError';
import type { Deps } from '../deps';
import type { Day2Error } from '../errors';
import { regionKey, sameId, type ClusterSnapshot } from '../fleet/cluster';
import { discoverFleet } from '../fleet/inventory';
import { mapLimit } from '../util/mapLimit';
import { SUPPORT_CALENDAR, type SupportCalendar } from './calendar';
import { assessVersionSupport, worstFirst, type VersionAssessment } from './support';

/** What the version-support plan reads: no state, no notifier (so `plan` can run it anywhere). */
export type VersionPlanDeps = Pick<Deps, 'settings' | 'azure' | 'clock' | 'log'>;

export interface VersionPlanOptions {
  /** Only these clusters (resource ids, compared case-insensitively); default: the whole fleet. */
  clusterIds?: readonly string[];
  calendar?: SupportCalendar;
}

/** A check that could not be made: a subscription not listed, a region whose versions could not be read. */
export interface VersionCheckFailure {
  /** The clusters it concerns (empty for a subscription that could not be listed). */
  clusters: ClusterSnapshot[];
  subscriptionId: string;
  error: Day2Error;
}

export interface VersionPlan {
  now: Date;
  /** Worst first (see `worstFirst`). */
  assessments: VersionAssessment[];
  /** The snapshot behind each assessment, by lower-cased cluster id. */
  clusters: Map<string, ClusterSnapshot>;
  failures: VersionCheckFailure[];
  /** Requested cluster ids that the fleet does not hold. */
  missing: string[];
  /** The versions read, by `regionKey`: what a caller may reuse in the same run. */
  regionVersions: Map<string, KubernetesVersion[]>;
}

/** Regions read in parallel at most this many at a time. */
const REGION_CONCURRENCY = 4;

/**
 * The facts and the decision of the version-support job: the fleet, `listKubernetesVersions` once per
 * (subscription, region), and one assessment per cluster, worst first. Reads only.
 */
export async function planVersionSupport(
  deps: VersionPlanDeps,
  opts: VersionPlanOptions = {},
): Promise<VersionPlan> {
  const now = deps.clock.now();
  const inv = await discoverFleet(deps.azure, deps.settings.subscriptions, deps.log, deps.clock);
  const wanted = opts.clusterIds;
  const clusters = wanted ? inv.clusters.filter((c) => wanted.some((id) => sameId(id, c.id))) : inv.clusters;
  const missing = wanted ? wanted.filter((id) => !clusters.some((c) => sameId(id, c.id))) : [];

  const regions = new Map<
    string,
    { subscriptionId: string; location: string; clusters: ClusterSnapshot[] }
  >();
  for (const c of clusters) {
    const key = regionKey(c.subscriptionId, c.location);
    const r = regions.get(key) ?? { subscriptionId: c.subscriptionId, location: c.location, clusters: [] };
    r.clusters.push(c);
    regions.set(key, r);
  }
  const failures: VersionCheckFailure[] = inv.failures.map((f) => ({
    clusters: [],
    subscriptionId: f.subscriptionId,
    error: f.error,
  }));
  const calendar = opts.calendar ?? SUPPORT_CALENDAR;
  const regionVersions = new Map<string, KubernetesVersion[]>();
  const assessed = await mapLimit([...regions.entries()], REGION_CONCURRENCY, async ([key, r]) => {
    let values: KubernetesVersion[];
    try {
      values =
        (await deps.azure.aks(r.subscriptionId).managedClusters.listKubernetesVersions(r.location)).values ??
        [];
    } catch (err) {
      const error = toDay2Error(err, {
        operation: 'list Kubernetes versions',
        cluster: `${r.location} (subscription ${r.subscriptionId})`,
      });
      deps.log.error(`version-support: ${error.message}`);
      failures.push({ clusters: r.clusters, subscriptionId: r.subscriptionId, error });
      return [];
    }
    regionVersions.set(key, values);
    return r.clusters.map((cluster) =>
      assessVersionSupport({
        cluster,
        regionVersions: values,
        calendar,
        now,
        warnDays: deps.settings.supportWarnDays,
      }),
    );
  });
  return {
    now,
    assessments: assessed.flat().sort(worstFirst),
    clusters: new Map(clusters.map((c) => [c.id.toLowerCase(), c])),
    failures,
    missing,
    regionVersions,
  };
}
