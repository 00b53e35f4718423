import type { ResourceGraphClient } from '@azure/arm-resourcegraph';
import type { AzureClients } from '../azure/clients';
import { roleHint, toDay2Error } from '../azure/azureError';
import { systemClock, type Clock } from '../clock';
import { Day2Error } from '../errors';
import type { Logger } from '../log';
import { mapLimit } from '../util/mapLimit';
import { toClusterSnapshot, type ClusterSnapshot } from './cluster';
import { listClustersByResourceGraph, visibleSubscriptions } from './resourceGraph';

export interface Inventory {
  subscriptions: string[];
  clusters: ClusterSnapshot[];
  /** Subscriptions whose clusters could not be listed; the run goes on with the others and reports these. */
  failures: Array<{ subscriptionId: string; error: Day2Error }>;
  /** Where the clusters were read: ARM itself, or the Resource Graph index (which can lag ARM). */
  source: 'arm' | 'resource-graph';
  /** When the listing started: the clusters are at least this old (see `listingIsFresh`). */
  listedAt: Date;
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
 * The configured subscriptions Resource Graph does not see. It answers only for subscriptions the identity
 * can read and leaves the others out without an error, so a configured subscription without any cluster
 * row is asked about once more (its `resourcecontainers` row, one small query, only when there is such a
 * subscription); one it does not see either is reported as the ARM listing reports a subscription whose
 * listing is refused. Subscriptions that came from the subscriptions list are readable by definition.
 */
async function unseenSubscriptions(
  graph: ResourceGraphClient,
  subscriptions: readonly string[],
  clusters: readonly ClusterSnapshot[],
  log: Logger,
): Promise<Inventory['failures']> {
  const withClusters = new Set(clusters.map((c) => c.subscriptionId.toLowerCase()));
  const candidates = subscriptions.filter((s) => !withClusters.has(s.toLowerCase()));
  if (candidates.length === 0) return [];
  const { visible } = await visibleSubscriptions(graph, candidates);
  return candidates
    .filter((s) => !visible.has(s.toLowerCase()))
    .map((subscriptionId) => {
      const operation = 'list clusters';
      const cluster = `subscription ${subscriptionId}`;
      const error = new Day2Error(
        'Forbidden',
        `${operation} on ${cluster} failed: Resource Graph does not see the subscription: the identity has no role on it, or it does not exist.${roleHint(operation)}`,
        { operation, cluster },
      );
      log.error(`inventory: could not list clusters of subscription ${subscriptionId}: ${error.message}`);
      return { subscriptionId, error };
    });
}

/** One paged ManagedClusters list per subscription (bounded concurrency); a subscription that fails is reported. */
async function listThroughArm(
  azure: AzureClients,
  subscriptions: readonly string[],
  log: Logger,
): Promise<Pick<Inventory, 'clusters' | 'failures'>> {
  const failures: Inventory['failures'] = [];
  const perSub = await mapLimit([...subscriptions], LIST_CONCURRENCY, async (subscriptionId) => {
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
  return { clusters: perSub.flat(), failures };
}

/**
 * The fleet at the request floor. With Resource Graph (DAY2_DISCOVERY `resource-graph`, the default): the
 * subscriptions in scope, then one query paged 1,000 clusters at a time for all of them (and, for configured
 * subscriptions without a cluster row, whether Resource Graph sees them at all). When Resource
 * Graph refuses (no access, throttled past the SDK's retries) or fails, the run says so in the log and
 * lists through ARM instead: one paged ManagedClusters list per subscription. Neither reads a cluster one
 * by one: both listings carry pools, versions and tags. `through: 'arm'`: the ARM listing whatever
 * DAY2_DISCOVERY says, for a caller that acts on tags just set (Resource Graph can lag them).
 */
export async function discoverFleet(
  azure: AzureClients,
  configuredSubscriptions: readonly string[],
  log: Logger,
  clock: Clock = systemClock,
  opts: { through?: 'arm' } = {},
): Promise<Inventory> {
  const listedAt = clock.now();
  const subscriptions = await subscriptionsInScope(azure, configuredSubscriptions);
  const graph = opts.through === 'arm' ? undefined : azure.resourceGraph();
  let listed: Pick<Inventory, 'clusters' | 'failures'> | undefined;
  let source: Inventory['source'] = 'arm';
  if (graph && subscriptions.length > 0) {
    try {
      const r = await listClustersByResourceGraph(graph, subscriptions);
      const failures =
        configuredSubscriptions.length > 0
          ? await unseenSubscriptions(graph, subscriptions, r.clusters, log)
          : [];
      listed = { clusters: r.clusters, failures };
      source = 'resource-graph';
    } catch (err) {
      const error = toDay2Error(err, { operation: 'query Resource Graph' });
      log.warn(
        `inventory: Resource Graph ${error.statusCode === 401 || error.statusCode === 403 ? 'refused the query' : 'failed'} (${error.message}); listing each subscription through ARM instead`,
      );
    }
  }
  listed ??= await listThroughArm(azure, subscriptions, log);
  const { clusters: found, failures } = listed;
  const clusters = found.sort((a, b) => a.id.toLowerCase().localeCompare(b.id.toLowerCase()));
  log.info(
    `inventory: ${clusters.length} clusters in ${subscriptions.length} subscriptions${source === 'resource-graph' ? ' (Resource Graph)' : ''}${failures.length ? `, ${failures.length} subscriptions failed` : ''}`,
  );
  return { subscriptions, clusters, failures, source, listedAt };
}
