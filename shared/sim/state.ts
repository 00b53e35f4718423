/**
 * The simulator's in-memory world: subscriptions, clusters and pools (with the fields AKS serves),
 * regional versions and node images, timings, paging. Built from a parsed fleet file.
 */
import { randomBytes } from 'node:crypto';
import { locationAt } from './calendarVersions';
import type { Fleet, FleetAuditLogs, FleetCluster, FleetLocation, FleetPool, Timings } from './fleet/schema';

export interface UpgradeSettings {
  maxSurge?: string;
  maxUnavailable?: string;
  drainTimeoutInMinutes?: number;
  nodeSoakDurationInMinutes?: number;
  undrainableNodeBehavior?: string;
}

export interface PoolState {
  name: string;
  count: number;
  vmSize: string;
  osType: 'Linux' | 'Windows';
  osSku?: string;
  mode: 'System' | 'User';
  orchestratorVersion: string;
  currentOrchestratorVersion: string;
  nodeImageVersion: string;
  /** Overrides the region's latest image of the pool's family in its upgrade profile (and as the upgrade's target). */
  latestNodeImageVersion?: string;
  provisioningState: string;
  powerState: 'Running' | 'Stopped';
  upgradeSettings?: UpgradeSettings;
  eTag: string;
  /** Further ARM properties, served verbatim. */
  extra: Record<string, unknown>;
}

export interface PdbState {
  namespace: string;
  name: string;
  pod?: string;
  minAvailable?: number | string;
  maxUnavailable?: number | string;
  blocksDrain: boolean;
  pools?: string[];
}

export interface RunCommandOutput {
  exitCode: number;
  logs: string;
  provisioningState: 'succeeded' | 'failed';
  reason?: string;
}

export interface ClusterState {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  location: string;
  tags: Record<string, string>;
  kubernetesVersion: string;
  currentKubernetesVersion: string;
  provisioningState: string;
  powerState: 'Running' | 'Stopped';
  upgradeChannel?: string;
  nodeOSUpgradeChannel?: string;
  supportPlan: 'KubernetesOfficial' | 'AKSLongTermSupport';
  skuTier: string;
  pools: PoolState[];
  maintenance: Map<string, Record<string, unknown>>;
  pdbs: PdbState[];
  runCommands: Record<string, RunCommandOutput>;
  auditLogs?: FleetAuditLogs;
  extra: Record<string, unknown>;
  resource: Record<string, unknown>;
  eTag: string;
  /** Id of the operation running on it, if any. */
  activeOperationId?: string;
  /** Last operation started on it (for AKS's "previous operation started at" messages). */
  lastOperation?: { name: string; startedAt: number };
}

export interface SubscriptionState {
  id: string;
  displayName: string;
  tenantId: string;
  resourceGroups: Set<string>;
}

export function etag(): string {
  return randomBytes(6).toString('hex');
}

export function clusterKey(sub: string, rg: string, name: string): string {
  return `${sub}/${rg}/${name}`.toLowerCase();
}

export function armClusterId(c: Pick<ClusterState, 'subscriptionId' | 'resourceGroup' | 'name'>): string {
  return `/subscriptions/${c.subscriptionId}/resourceGroups/${c.resourceGroup}/providers/Microsoft.ContainerService/managedClusters/${c.name}`;
}

export function poolFromFleet(p: FleetPool, clusterVersion: string): PoolState {
  const v = p.orchestratorVersion ?? clusterVersion;
  return {
    name: p.name,
    count: p.count,
    vmSize: p.vmSize,
    osType: p.osType,
    osSku: p.osSku,
    mode: p.mode,
    orchestratorVersion: v,
    currentOrchestratorVersion: v,
    nodeImageVersion: p.nodeImageVersion,
    ...(p.latestNodeImageVersion ? { latestNodeImageVersion: p.latestNodeImageVersion } : {}),
    provisioningState: p.provisioningState,
    powerState: p.powerState ?? 'Running',
    upgradeSettings: p.upgradeSettings ? { ...p.upgradeSettings } : undefined,
    eTag: etag(),
    extra: { ...(p.vnetSubnetId ? { vnetSubnetID: p.vnetSubnetId } : {}), ...(p.properties ?? {}) },
  };
}

export function clusterFromFleet(sub: string, rg: string, c: FleetCluster): ClusterState {
  return {
    subscriptionId: sub,
    resourceGroup: rg,
    name: c.name,
    location: c.location,
    tags: { ...c.tags },
    kubernetesVersion: c.kubernetesVersion,
    currentKubernetesVersion: c.kubernetesVersion,
    provisioningState: c.provisioningState,
    powerState: c.powerState,
    upgradeChannel: c.upgradeChannel,
    nodeOSUpgradeChannel: c.nodeOSUpgradeChannel,
    supportPlan: c.supportPlan,
    skuTier: c.skuTier,
    pools: c.pools.map((p) => {
      const ps = poolFromFleet(p, c.kubernetesVersion);
      if (c.powerState === 'Stopped' && !p.powerState) ps.powerState = 'Stopped';
      return ps;
    }),
    maintenance: new Map(
      Object.entries(c.maintenanceConfigurations).map(([k, v]) => [k, structuredClone(v)]),
    ),
    pdbs: c.podDisruptionBudgets.map((p) => ({ ...p })),
    runCommands: structuredClone(c.runCommands),
    auditLogs: c.auditLogs ? structuredClone(c.auditLogs) : undefined,
    extra: structuredClone(c.properties ?? {}),
    resource: structuredClone(c.resource ?? {}),
    eTag: etag(),
  };
}

/** The clusters by key; `version` changes with every set or delete (what the per-subscription index follows). */
class ClusterMap extends Map<string, ClusterState> {
  version = 0;
  override set(key: string, value: ClusterState): this {
    this.version++;
    return super.set(key, value);
  }
  override delete(key: string): boolean {
    this.version++;
    return super.delete(key);
  }
  override clear(): void {
    this.version++;
    super.clear();
  }
}

export class SimState {
  readonly subscriptions = new Map<string, SubscriptionState>();
  readonly clusters = new ClusterMap();
  /** Clusters of each subscription in listing order, rebuilt when the cluster map changed (a large fleet is listed per subscription). */
  private bySubscription: { version: number; index: Map<string, ClusterState[]> } | undefined;
  readonly locations = new Map<string, FleetLocation>();
  timings: Timings;
  pageSize: number;
  readonly tenantId: string;
  readonly workspaceIds: string[];

  constructor(readonly fleet: Fleet) {
    this.tenantId = fleet.tenantId;
    this.workspaceIds = fleet.logAnalytics.workspaceIds.map((w) => w.toLowerCase());
    this.timings = { ...fleet.timings };
    this.pageSize = fleet.paging.pageSize;
    for (const [name, loc] of Object.entries(fleet.locations))
      this.locations.set(name.toLowerCase(), structuredClone(loc));
    for (const s of fleet.subscriptions) {
      const sub: SubscriptionState = {
        id: s.id,
        displayName: s.displayName,
        tenantId: s.tenantId ?? fleet.tenantId,
        resourceGroups: new Set(),
      };
      this.subscriptions.set(s.id.toLowerCase(), sub);
      for (const rg of s.resourceGroups) {
        sub.resourceGroups.add(rg.name.toLowerCase());
        for (const c of rg.clusters)
          this.clusters.set(clusterKey(s.id, rg.name, c.name), clusterFromFleet(s.id, rg.name, c));
      }
    }
  }

  subscription(id: string): SubscriptionState | undefined {
    return this.subscriptions.get(id.toLowerCase());
  }

  cluster(sub: string, rg: string, name: string): ClusterState | undefined {
    return this.clusters.get(clusterKey(sub, rg, name));
  }

  /** By resource id or by (unique) name. */
  findCluster(nameOrId: string): ClusterState | undefined {
    const byId = nameOrId.match(
      /^\/subscriptions\/([^/]+)\/resourcegroups\/([^/]+)\/providers\/microsoft\.containerservice\/managedclusters\/([^/]+)$/i,
    );
    if (byId) return this.cluster(byId[1]!, byId[2]!, byId[3]!);
    return [...this.clusters.values()].find((c) => c.name.toLowerCase() === nameOrId.toLowerCase());
  }

  /** Virtual now (the server sets it to its clock): versions offered by date follow it. */
  nowMs: () => number = () => Date.now();

  /** The region as it is on the virtual date (see calendarVersions.ts). */
  location(name: string): FleetLocation | undefined {
    const loc = this.locations.get(name.toLowerCase());
    return loc ? locationAt(loc, this.nowMs()) : undefined;
  }

  clustersOf(sub: string, rg?: string): ClusterState[] {
    if (this.bySubscription?.version !== this.clusters.version) {
      const index = new Map<string, ClusterState[]>();
      for (const c of this.clusters.values()) {
        const k = c.subscriptionId.toLowerCase();
        const list = index.get(k);
        if (list) list.push(c);
        else index.set(k, [c]);
      }
      for (const list of index.values())
        list.sort((a, b) => armClusterId(a).toLowerCase().localeCompare(armClusterId(b).toLowerCase()));
      this.bySubscription = { version: this.clusters.version, index };
    }
    const all = this.bySubscription.index.get(sub.toLowerCase()) ?? [];
    return rg ? all.filter((c) => c.resourceGroup.toLowerCase() === rg.toLowerCase()) : [...all];
  }
}
