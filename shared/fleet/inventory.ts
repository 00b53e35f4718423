import type { AzureClients } from '../azure/clients';
import { toDay2Error } from '../azure/azureError';
import type { Day2Error } from '../errors';
import type { Logger } from '../log';
import { mapLimit } from '../util/mapLimit';
import { toClusterSnapshot, type ClusterSnapshot } from './cluster';

export interface Inventory {
  subscriptions: string[];
  clusters: ClusterSnapshot[];
  /** Subscriptions whose clusters could not be listed; the run goes on with the others and reports these. */
  failures: Array<{ subscriptionId: string; error: Day2Error }>;
}

/** Subscriptions listed in parallel at most this many at a time (ARM throttles per subscription). */
export const LIST_CONCURRENCY = 8;

/** The subscriptions in scope: DAY2_SUBSCRIPTIONS, else every one the identity can list (one call). */
export async function subscriptionsInScope(
  azure: AzureClients,
  configured: readonly string[],
): Promise<string[]> {
  if (configured.length > 0) return [...configured];
  const ids: string[] = [];
  try {
    for await (const s of azure.subscriptions().subscriptions.list()) {
      if (s.subscriptionId && (s.state === undefined || s.state === 'Enabled')) ids.push(s.subscriptionId);
    }
  } catch (err) {
    throw toDay2Error(err, { operation: 'list subscriptions' });
  }
  return ids;
}

/**
 * The fleet at the request floor: subscriptions listed once, then one paged ManagedClusters list per
 * subscription (bounded concurrency). No per-cluster GET: the list carries pools, versions and tags.
 */
export async function discoverFleet(
  azure: AzureClients,
  configuredSubscriptions: readonly string[],
  log: Logger,
): Promise<Inventory> {
  const subscriptions = await subscriptionsInScope(azure, configuredSubscriptions);
  const failures: Inventory['failures'] = [];
  const perSub = await mapLimit(subscriptions, LIST_CONCURRENCY, async (subscriptionId) => {
    const found: ClusterSnapshot[] = [];
    try {
      for await (const mc of azure.aks(subscriptionId).managedClusters.list())
        found.push(toClusterSnapshot(mc));
      return found;
    } catch (err) {
      const error = toDay2Error(err, {
        operation: 'list clusters',
        cluster: `subscription ${subscriptionId}`,
      });
      log.error(`inventory: could not list clusters of subscription ${subscriptionId}: ${error.message}`);
      failures.push({ subscriptionId, error });
      return [];
    }
  });
  const clusters = perSub.flat().sort((a, b) => a.id.toLowerCase().localeCompare(b.id.toLowerCase()));
  log.info(
    `inventory: ${clusters.length} clusters in ${subscriptions.length} subscriptions${failures.length ? `, ${failures.length} subscriptions failed` : ''}`,
  );
  return { subscriptions, clusters, failures };
}
