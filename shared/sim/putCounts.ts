/**
 * PUTs received per managed cluster and per agent pool (ManagedClusters_CreateOrUpdate,
 * AgentPools_CreateOrUpdate), and how many of them AKS accepted (2xx): tests prove with it that a job
 * resumed after a crash never submits the same step twice.
 */
export interface PutTally {
  received: number;
  accepted: number;
}

export interface ClusterPuts {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  /** Managed cluster PUTs. */
  cluster: PutTally;
  /** Agent pool PUTs by pool name. */
  pools: Record<string, PutTally>;
  /** Both together. */
  total: PutTally;
}

const zero = (): PutTally => ({ received: 0, accepted: 0 });

export class PutCounter {
  private readonly byCluster = new Map<string, ClusterPuts>();

  /** Called for every ARM request once it is answered; counts only the two PUT operations. */
  record(operation: string, params: Record<string, string>, status: number): void {
    if (operation !== 'ManagedClusters_CreateOrUpdate' && operation !== 'AgentPools_CreateOrUpdate') return;
    const { subscriptionId, resourceGroupName, resourceName } = params;
    if (!subscriptionId || !resourceGroupName || !resourceName) return;
    const key = `${subscriptionId}/${resourceGroupName}/${resourceName}`.toLowerCase();
    let c = this.byCluster.get(key);
    if (!c) {
      c = {
        subscriptionId,
        resourceGroup: resourceGroupName,
        name: resourceName,
        cluster: zero(),
        pools: {},
        total: zero(),
      };
      this.byCluster.set(key, c);
    }
    const ok = status >= 200 && status < 300 ? 1 : 0;
    const tallies = [c.total];
    if (operation === 'ManagedClusters_CreateOrUpdate') tallies.push(c.cluster);
    else {
      const pool = (params.agentPoolName ?? '').toLowerCase();
      c.pools[pool] ??= zero();
      tallies.push(c.pools[pool]);
    }
    for (const t of tallies) {
      t.received++;
      t.accepted += ok;
    }
  }

  all(): ClusterPuts[] {
    return [...this.byCluster.values()].map((c) => structuredClone(c));
  }

  /** By cluster name (or `resourceGroup/name`); zeros when it had no PUT. */
  of(nameOrPath: string): ClusterPuts[] {
    const want = nameOrPath.toLowerCase();
    return this.all().filter(
      (c) => c.name.toLowerCase() === want || `${c.resourceGroup}/${c.name}`.toLowerCase() === want,
    );
  }

  reset(): void {
    this.byCluster.clear();
  }
}
