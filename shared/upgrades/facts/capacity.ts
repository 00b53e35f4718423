import type { AgentPool, ManagedCluster } from '@azure/arm-containerservice';
import type { Deps } from '../../deps';
import type { ClusterSnapshot } from '../../fleet/cluster';

/** Regional compute usages (`usage.list(location)`), by `name.value` (e.g. `cores`, `standardDSv5Family`). */
export interface QuotaFacts {
  location: string;
  usages: Record<string, { current: number; limit: number }>;
  /** vCPUs the surges of the runs a wave started before this one will take, by usage name (`WaveQuota`). */
  heldByWave?: Record<string, number>;
}

export interface SubnetUsage {
  id: string;
  used: number;
  size: number;
}

/** Subnet usage of the pools that take node IPs from a subnet (Azure CNI without overlay). */
export interface SubnetFacts {
  /** `azure` + mode (`overlay` or none), `kubenet`, ... */
  networkPlugin: string;
  networkPluginMode?: string;
  subnets: SubnetUsage[];
}

export async function readQuota(
  deps: Pick<Deps, 'azure'>,
  cluster: Pick<ClusterSnapshot, 'subscriptionId' | 'location'>,
): Promise<QuotaFacts> {
  const usages: QuotaFacts['usages'] = {};
  for await (const u of deps.azure.compute(cluster.subscriptionId).usage.list(cluster.location)) {
    const name = u.name?.value;
    if (name) usages[name] = { current: u.currentValue, limit: u.limit };
  }
  return { location: cluster.location, usages };
}

const SUBNET_RE =
  /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Network\/virtualNetworks\/([^/]+)\/subnets\/([^/]+)$/i;

/** True when the pool's nodes (and so its surge nodes) take IPs from its own subnet: Azure CNI, not overlay. */
export function usesNodeSubnetIps(mc: ManagedCluster, pool: AgentPool): boolean {
  const plugin = (mc.networkProfile?.networkPlugin ?? '').toLowerCase();
  const mode = (mc.networkProfile?.networkPluginMode ?? '').toLowerCase();
  return plugin === 'azure' && mode !== 'overlay' && Boolean(pool.vnetSubnetID);
}

export async function readSubnets(
  deps: Pick<Deps, 'azure'>,
  cluster: Pick<ClusterSnapshot, 'name'>,
  mc: ManagedCluster,
  pools: AgentPool[],
): Promise<SubnetFacts> {
  const ids = [
    ...new Set(pools.filter((p) => usesNodeSubnetIps(mc, p)).map((p) => p.vnetSubnetID!.toLowerCase())),
  ];
  const subnets: SubnetUsage[] = [];
  const vnets = new Map<string, { sub: string; rg: string; vnet: string }>();
  for (const id of ids) {
    const m = SUBNET_RE.exec(id);
    if (!m) continue;
    vnets.set(`${m[1]}/${m[2]}/${m[3]}`, { sub: m[1]!, rg: m[2]!, vnet: m[3]! });
  }
  for (const v of vnets.values()) {
    for await (const u of deps.azure.network(v.sub).virtualNetworks.listUsage(v.rg, v.vnet)) {
      if (u.id && ids.includes(u.id.toLowerCase()))
        subnets.push({ id: u.id, used: u.currentValue ?? 0, size: u.limit ?? 0 });
    }
  }
  void cluster;
  return {
    networkPlugin: mc.networkProfile?.networkPlugin ?? 'kubenet',
    ...(mc.networkProfile?.networkPluginMode
      ? { networkPluginMode: mc.networkProfile.networkPluginMode }
      : {}),
    subnets,
  };
}
