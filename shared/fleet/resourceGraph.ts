import type { ManagedCluster, ManagedClusterAgentPoolProfile } from '@azure/arm-containerservice';
import type { ResourceGraphClient } from '@azure/arm-resourcegraph';
import { toClusterSnapshot, type ClusterSnapshot } from './cluster';

/** The one query: every AKS cluster in scope, with what the ARM listing carries (`id` projected, so it pages). */
export const CLUSTERS_QUERY =
  "resources | where type =~ 'microsoft.containerservice/managedclusters' | project id, name, subscriptionId, resourceGroup, location, tags, properties";

/** The subscriptions of the scope that Resource Graph can see (it leaves the others out without an error). */
export const SUBSCRIPTIONS_QUERY =
  "resourcecontainers | where type =~ 'microsoft.resources/subscriptions' | project id, subscriptionId";

/** Rows per page: the service's maximum. */
export const PAGE_SIZE = 1000;

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
const powerState = (v: unknown): { code?: 'Running' | 'Stopped' } | undefined => {
  if (!isRecord(v)) return undefined;
  const code = str(v.code);
  return code === 'Running' || code === 'Stopped' ? { code } : {};
};

function toPoolProfile(p: unknown): ManagedClusterAgentPoolProfile | undefined {
  if (!isRecord(p) || !str(p.name)) return undefined;
  const u = isRecord(p.upgradeSettings) ? p.upgradeSettings : undefined;
  return {
    name: str(p.name)!,
    count: num(p.count),
    vmSize: str(p.vmSize),
    osType: str(p.osType),
    osSKU: str(p.osSKU),
    mode: str(p.mode),
    orchestratorVersion: str(p.orchestratorVersion),
    currentOrchestratorVersion: str(p.currentOrchestratorVersion),
    nodeImageVersion: str(p.nodeImageVersion),
    provisioningState: str(p.provisioningState),
    powerState: powerState(p.powerState),
    upgradeSettings: u
      ? {
          maxSurge: str(u.maxSurge),
          maxUnavailable: str(u.maxUnavailable),
          drainTimeoutInMinutes: num(u.drainTimeoutInMinutes),
        }
      : undefined,
  };
}

/**
 * A Resource Graph row (`id, name, …, properties` as ARM stores them, not flattened) as the SDK model the
 * ARM listing returns, so both listings become snapshots through the same `toClusterSnapshot`.
 */
export function rowToManagedCluster(row: unknown): ManagedCluster {
  if (!isRecord(row)) throw new Error('Resource Graph row is not an object');
  const p = isRecord(row.properties) ? row.properties : {};
  const auto = isRecord(p.autoUpgradeProfile) ? p.autoUpgradeProfile : undefined;
  const tags = isRecord(row.tags)
    ? Object.fromEntries(
        Object.entries(row.tags).filter((e): e is [string, string] => typeof e[1] === 'string'),
      )
    : {};
  return {
    id: str(row.id),
    name: str(row.name),
    location: str(row.location) ?? '',
    tags,
    kubernetesVersion: str(p.kubernetesVersion),
    currentKubernetesVersion: str(p.currentKubernetesVersion),
    provisioningState: str(p.provisioningState),
    powerState: powerState(p.powerState),
    supportPlan: str(p.supportPlan),
    autoUpgradeProfile: auto
      ? { upgradeChannel: str(auto.upgradeChannel), nodeOSUpgradeChannel: str(auto.nodeOSUpgradeChannel) }
      : undefined,
    agentPoolProfiles: Array.isArray(p.agentPoolProfiles)
      ? p.agentPoolProfiles.map(toPoolProfile).filter((x): x is ManagedClusterAgentPoolProfile => !!x)
      : [],
  };
}

/** Thrown when Resource Graph answers but the answer cannot be used whole (the caller falls back to ARM). */
export class ResourceGraphUnusable extends Error {}

/**
 * Every cluster of `subscriptions` with one paged query: 1,000 rows a page, the next page asked with the
 * same query and scopes plus the `$skipToken`. Each page costs one query of the identity's quota.
 */
export async function listClustersByResourceGraph(
  client: ResourceGraphClient,
  subscriptions: readonly string[],
): Promise<{ clusters: ClusterSnapshot[]; pages: number }> {
  const clusters: ClusterSnapshot[] = [];
  const pages = await queryPages(client, CLUSTERS_QUERY, subscriptions, (row) => {
    clusters.push(toClusterSnapshot(rowToManagedCluster(row)));
  });
  return { clusters, pages };
}

/**
 * Which of `subscriptions` Resource Graph can see: one paged query of their `resourcecontainers` rows. A
 * subscription it leaves out is one the identity cannot read (or that does not exist).
 */
export async function visibleSubscriptions(
  client: ResourceGraphClient,
  subscriptions: readonly string[],
): Promise<{ visible: Set<string>; pages: number }> {
  const visible = new Set<string>();
  const pages = await queryPages(client, SUBSCRIPTIONS_QUERY, subscriptions, (row) => {
    const id = isRecord(row) ? str(row.subscriptionId) : undefined;
    if (id) visible.add(id.toLowerCase());
  });
  return { visible, pages };
}

/** Runs `query` over `subscriptions`, 1,000 rows a page, each next page asked with the `$skipToken` of the last. */
async function queryPages(
  client: ResourceGraphClient,
  query: string,
  subscriptions: readonly string[],
  onRow: (row: unknown) => void,
): Promise<number> {
  let skipToken: string | undefined;
  let pages = 0;
  do {
    const res = await client.resources({
      query,
      subscriptions: [...subscriptions],
      options: { top: PAGE_SIZE, resultFormat: 'objectArray', ...(skipToken ? { skipToken } : {}) },
    });
    pages++;
    if (res.resultTruncated === 'true')
      throw new ResourceGraphUnusable(
        `the answer was truncated at ${res.count} of ${res.totalRecords} rows and cannot be paged`,
      );
    if (!Array.isArray(res.data)) throw new ResourceGraphUnusable('the answer is not an array of rows');
    for (const row of res.data as unknown[]) onRow(row);
    skipToken = res.skipToken;
  } while (skipToken);
  return pages;
}
