import type {
  AgentPool,
  KubernetesVersion,
  MaintenanceConfiguration,
  ManagedCluster,
} from '@azure/arm-containerservice';
import { toDay2Error } from '../azure/azureError';
import type { Deps } from '../deps';
import { Day2Error } from '../errors';
import { parseClusterId, regionKey, toClusterSnapshot, type ClusterSnapshot } from '../fleet/cluster';
import { findCluster } from '../power/findCluster';
import { parseClusterPolicy, type ClusterPolicy } from '../policy/tags';
import type { UpgradeRun } from './model';
import type { WaveQuota } from './waveQuota';
import { readDeprecatedApiUse, type AuditFacts } from './facts/audit';
import { readPdbs, type PdbFacts } from './facts/pdbs';
import { readQuota, readSubnets, type QuotaFacts, type SubnetFacts } from './facts/capacity';

/** A fact that could not be read: the check that needs it says so (warn) instead of guessing. */
export interface Unavailable {
  unavailable: string;
}
export type Maybe<T> = T | Unavailable;
export const isUnavailable = <T extends object>(f: Maybe<T>): f is Unavailable => 'unavailable' in f;

/** Everything the pre-checks and the plan of one cluster's upgrade rest on. Read once; checks are pure. */
export interface UpgradeFacts {
  now: Date;
  cluster: ClusterSnapshot;
  managedCluster: ManagedCluster;
  policy: ClusterPolicy;
  /** Full pool resources (upgradeSettings, subnet, maxPods). */
  pools: AgentPool[];
  regionVersions: KubernetesVersion[];
  /** Versions the cluster's upgrade profile offers for its control plane. */
  offeredUpgrades: Array<{ kubernetesVersion: string; isPreview?: boolean }>;
  maintenance: MaintenanceConfiguration[];
  /** aks-day2's own operation holding the cluster, if any (not this run's). */
  ourOperation?: { id: string; job: string; action: string };
  /** Another upgrade run not yet ended on the cluster (not this run). */
  otherRun?: Pick<UpgradeRun, 'id' | 'state'>;
  audit: Maybe<AuditFacts>;
  pdbs: Maybe<PdbFacts>;
  quota: Maybe<QuotaFacts>;
  subnets: Maybe<SubnetFacts>;
}

const unavailable = (e: Day2Error): Unavailable => ({ unavailable: e.message });

async function settle<T>(what: string, cluster: string, read: () => Promise<T>): Promise<Maybe<T & object>> {
  try {
    return (await read()) as T & object;
  } catch (err) {
    return unavailable(toDay2Error(err, { cluster, operation: what }));
  }
}

/**
 * Reads the facts of an upgrade of one cluster: the cluster and its pools, what its region offers, its
 * upgrade profile and maintenance configurations, aks-day2's own operations on it, and for the checks
 * that need the cluster running (PDBs through run-command) only when it runs. Throws for an unknown
 * cluster; a fact that cannot be read is kept as `unavailable` with the reason.
 */
export async function gatherFacts(
  deps: Deps,
  req: { cluster: string },
  opts: FactsOptions = {},
): Promise<UpgradeFacts> {
  // A resource id is read once, by the facts themselves; a name is looked up in the fleet first.
  const snap =
    parseClusterId(req.cluster) ??
    (await findCluster(deps.azure, deps.settings.subscriptions, req.cluster, deps.log));
  return gatherFactsOf(deps, snap, opts);
}

export interface FactsOptions {
  /** The upgrade run these facts are for (its own operation and run are not "another"). */
  runId?: string;
  /**
   * The versions each (subscription, region) offers, already read by the caller (`regionKey`):
   * the same for every cluster there, so a wave reads them once per region, not once per cluster.
   */
  regionVersions?: ReadonlyMap<string, KubernetesVersion[]>;
  /** A wave's view of the vCPU quota: each (subscription, region) read once for all its runs. */
  quota?: WaveQuota;
}

export async function gatherFactsOf(
  deps: Deps,
  snap: Pick<ClusterSnapshot, 'id' | 'name' | 'subscriptionId' | 'resourceGroup'>,
  opts: FactsOptions = {},
): Promise<UpgradeFacts> {
  const aks = deps.azure.aks(snap.subscriptionId);
  const where = { cluster: snap.name, operation: 'read upgrade facts' };
  let managedCluster: ManagedCluster;
  const pools: AgentPool[] = [];
  let regionVersions: KubernetesVersion[];
  let offered: UpgradeFacts['offeredUpgrades'];
  const maintenance: MaintenanceConfiguration[] = [];
  try {
    managedCluster = await aks.managedClusters.get(snap.resourceGroup, snap.name);
  } catch (err) {
    const e = toDay2Error(err, where);
    if (e.code !== 'NotFound') throw e;
    throw new Day2Error('NotFound', `no AKS cluster ${snap.id}`, { cluster: snap.id, cause: e });
  }
  try {
    for await (const p of aks.agentPools.list(snap.resourceGroup, snap.name)) pools.push(p);
    const location = managedCluster.location;
    regionVersions =
      opts.regionVersions?.get(regionKey(snap.subscriptionId, location)) ??
      (await aks.managedClusters.listKubernetesVersions(location)).values ??
      [];
    const profile = await aks.managedClusters.getUpgradeProfile(snap.resourceGroup, snap.name);
    offered = (profile.controlPlaneProfile?.upgrades ?? []).map((u) => ({
      kubernetesVersion: u.kubernetesVersion ?? '',
      ...(u.isPreview ? { isPreview: true } : {}),
    }));
    for await (const m of aks.maintenanceConfigurations.listByManagedCluster(snap.resourceGroup, snap.name))
      maintenance.push(m);
  } catch (err) {
    throw toDay2Error(err, where);
  }
  const cluster = toClusterSnapshot(managedCluster);
  const policy = parseClusterPolicy(cluster.tags, { defaultTimezone: deps.settings.defaultTimezone });
  // An aks-day2 operation still before AKS's answer holds the cluster's lock; one AKS accepted shows in
  // the cluster's provisioningState (the `busy` state check). One read, not a scan of every operation.
  const holder = await deps.state.operations.pendingHolder(cluster.id);
  const inFlight = holder && holder.runId !== opts.runId ? holder : undefined;
  const active = await deps.state.upgradeRuns.activeFor(cluster);
  const running = cluster.powerState === 'Running';
  const [audit, pdbs, quota, subnets] = await Promise.all([
    settle('read audit logs', cluster.name, () => readDeprecatedApiUse(deps, cluster)),
    running
      ? settle('list PodDisruptionBudgets', cluster.name, () => readPdbs(deps, cluster))
      : Promise.resolve<Unavailable>({ unavailable: 'the cluster is stopped: run-command needs it running' }),
    settle('read vCPU quota', cluster.name, () =>
      opts.quota ? opts.quota.read(cluster) : readQuota(deps, cluster),
    ),
    settle('read subnet usage', cluster.name, () => readSubnets(deps, cluster, managedCluster, pools)),
  ]);
  return {
    now: deps.clock.now(),
    cluster,
    managedCluster,
    policy,
    pools,
    regionVersions,
    offeredUpgrades: offered,
    maintenance,
    ...(inFlight ? { ourOperation: { id: inFlight.id, job: inFlight.job, action: inFlight.action } } : {}),
    ...(active && active.id !== opts.runId ? { otherRun: { id: active.id, state: active.state } } : {}),
    audit,
    pdbs,
    quota,
    subnets,
  };
}
