import { toDay2Error } from '../azure/azureError';
import type { Deps } from '../deps';
import { toClusterSnapshot, type ClusterRef } from '../fleet/cluster';
import type { OutcomeRecord } from '../records/outcome';
import { SUPPORT_CALENDAR, type SupportCalendar } from './calendar';
import { versionOutcome } from './runVersionSupport';
import { assessVersionSupport } from './support';

/**
 * The version support of one cluster, as the daily job would give it (`versionOutcome`): a GET of that
 * cluster and `listKubernetesVersions` of its region; two reads, never the fleet. What a
 * NewKubernetesVersionAvailable event re-checks. A cluster that no longer exists is a Skipped outcome;
 * any other error is thrown as a Day2Error (the caller tells transient from permanent).
 */
export async function checkClusterVersion(
  deps: Pick<Deps, 'azure' | 'clock' | 'settings'>,
  ref: ClusterRef,
  opts: { calendar?: SupportCalendar } = {},
): Promise<OutcomeRecord> {
  const client = deps.azure.aks(ref.subscriptionId);
  let cluster;
  try {
    cluster = toClusterSnapshot(await client.managedClusters.get(ref.resourceGroup, ref.name));
  } catch (err) {
    const error = toDay2Error(err, { cluster: ref.name, operation: 'read cluster' });
    if (error.code !== 'NotFound') throw error;
    return {
      action: 'version-check',
      outcome: 'Skipped',
      cluster: ref,
      reason: `the cluster no longer exists: ${error.message}`,
      at: deps.clock.now(),
    };
  }
  let regionVersions;
  try {
    regionVersions = (await client.managedClusters.listKubernetesVersions(cluster.location)).values ?? [];
  } catch (err) {
    throw toDay2Error(err, {
      operation: 'list Kubernetes versions',
      cluster: `${cluster.location} (subscription ${cluster.subscriptionId})`,
    });
  }
  const now = deps.clock.now();
  const a = assessVersionSupport({
    cluster,
    regionVersions,
    calendar: opts.calendar ?? SUPPORT_CALENDAR,
    now,
    warnDays: deps.settings.supportWarnDays,
  });
  const { id, name, subscriptionId, resourceGroup } = cluster;
  return versionOutcome(a, { id, name, subscriptionId, resourceGroup }, now);
}
