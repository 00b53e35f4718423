import { toDay2Error } from '../azure/azureError';
import type { AzureClients } from '../azure/clients';
import { Day2Error } from '../errors';
import { parseClusterId, toClusterSnapshot, type ClusterSnapshot } from '../fleet/cluster';
import { discoverFleet } from '../fleet/inventory';
import type { Logger } from '../log';

/**
 * A cluster named by its resource id (one GET) or by its name, which must be unique in the subscriptions
 * in scope (one list per subscription). Unknown → NotFound; a name used more than once → BadRequest
 * listing the resource ids to choose from.
 */
export async function findCluster(
  azure: AzureClients,
  subscriptions: readonly string[],
  nameOrId: string,
  log: Logger,
): Promise<ClusterSnapshot> {
  const ref = parseClusterId(nameOrId);
  if (ref) {
    try {
      return toClusterSnapshot(
        await azure.aks(ref.subscriptionId).managedClusters.get(ref.resourceGroup, ref.name),
      );
    } catch (err) {
      const e = toDay2Error(err, { cluster: nameOrId, operation: 'read cluster' });
      throw e.code === 'NotFound'
        ? new Day2Error('NotFound', `no AKS cluster ${nameOrId}`, { cluster: nameOrId, cause: e })
        : e;
    }
  }
  const name = nameOrId.trim();
  const inv = await discoverFleet(azure, subscriptions, { ...log, info: () => undefined });
  const found = inv.clusters.filter((c) => c.name.toLowerCase() === name.toLowerCase());
  if (found.length === 1) return found[0]!;
  if (found.length > 1) {
    throw new Day2Error(
      'BadRequest',
      `"${name}" names ${found.length} clusters; give the resource id of one:\n${found.map((c) => `  ${c.id}`).join('\n')}`,
      { cluster: name },
    );
  }
  const unlisted = inv.failures.length
    ? ` (${inv.failures.length} subscription(s) could not be listed: ${inv.failures.map((f) => f.subscriptionId).join(', ')})`
    : '';
  throw new Day2Error(
    'NotFound',
    `no AKS cluster named "${name}" in ${inv.subscriptions.length} subscription(s)${unlisted}`,
    { cluster: name },
  );
}
