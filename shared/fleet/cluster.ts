import type { ManagedCluster } from '@azure/arm-containerservice';
import { isTerminalState } from '../operations/terminal';

/** A cluster as every job sees it: read from one ManagedClusters list call, no per-cluster GET. */
export interface ClusterRef {
  /** ARM resource id as ARM returns it. */
  id: string;
  name: string;
  subscriptionId: string;
  resourceGroup: string;
}

export interface PoolSnapshot {
  name: string;
  count: number;
  vmSize?: string;
  osType: string; // Linux | Windows
  osSku?: string;
  mode?: string; // System | User
  orchestratorVersion?: string;
  currentOrchestratorVersion?: string;
  nodeImageVersion?: string;
  provisioningState: string;
  powerState: 'Running' | 'Stopped';
  maxSurge?: string;
  maxUnavailable?: string;
  drainTimeoutInMinutes?: number;
}

export interface ClusterSnapshot extends ClusterRef {
  location: string;
  tags: Record<string, string>;
  /** What runs now (`currentKubernetesVersion`, else `kubernetesVersion`). */
  kubernetesVersion: string;
  provisioningState: string;
  powerState: 'Running' | 'Stopped';
  upgradeChannel?: string;
  nodeOSUpgradeChannel?: string;
  /** `KubernetesOfficial` or `AKSLongTermSupport`. */
  supportPlan?: string;
  pools: PoolSnapshot[];
}

const ID_RE =
  /^\/subscriptions\/([^/]+)\/resourcegroups\/([^/]+)\/providers\/microsoft\.containerservice\/managedclusters\/([^/]+)$/i;

/** Splits an AKS resource id; undefined when it is not one. Case-insensitive, as ARM ids are. */
export function parseClusterId(id: string): ClusterRef | undefined {
  const m = ID_RE.exec(id.trim());
  if (!m) return undefined;
  return { id: id.trim(), subscriptionId: m[1]!, resourceGroup: m[2]!, name: m[3]! };
}

export function clusterId(subscriptionId: string, resourceGroup: string, name: string): string {
  return `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.ContainerService/managedClusters/${name}`;
}

/** The key of a (subscription, region): what a subscription is offered and allowed there is shared by its clusters. */
export const regionKey = (subscriptionId: string, location: string): string =>
  `${subscriptionId.toLowerCase()}|${location.toLowerCase()}`;

/** True when two ARM ids name the same resource (ARM ids compare case-insensitively). */
export function sameId(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** Converts the SDK model (properties already flattened by SDK 25.x) into the snapshot the jobs use. */
export function toClusterSnapshot(mc: ManagedCluster): ClusterSnapshot {
  const ref = mc.id ? parseClusterId(mc.id) : undefined;
  if (!ref) throw new Error(`managed cluster has no valid resource id: ${String(mc.id)}`);
  return {
    ...ref,
    name: mc.name ?? ref.name,
    location: mc.location,
    tags: { ...(mc.tags ?? {}) },
    kubernetesVersion: mc.currentKubernetesVersion ?? mc.kubernetesVersion ?? '',
    provisioningState: mc.provisioningState ?? 'Succeeded',
    powerState: mc.powerState?.code === 'Stopped' ? 'Stopped' : 'Running',
    upgradeChannel: mc.autoUpgradeProfile?.upgradeChannel ?? undefined,
    nodeOSUpgradeChannel: mc.autoUpgradeProfile?.nodeOSUpgradeChannel ?? undefined,
    supportPlan: mc.supportPlan ?? undefined,
    pools: (mc.agentPoolProfiles ?? []).map((p) => ({
      name: p.name,
      count: p.count ?? 0,
      vmSize: p.vmSize,
      osType: p.osType ?? 'Linux',
      osSku: p.osSKU,
      mode: p.mode,
      orchestratorVersion: p.orchestratorVersion,
      currentOrchestratorVersion: p.currentOrchestratorVersion,
      nodeImageVersion: p.nodeImageVersion,
      provisioningState: p.provisioningState ?? 'Succeeded',
      powerState: p.powerState?.code === 'Stopped' ? 'Stopped' : 'Running',
      maxSurge: p.upgradeSettings?.maxSurge,
      maxUnavailable: p.upgradeSettings?.maxUnavailable,
      drainTimeoutInMinutes: p.upgradeSettings?.drainTimeoutInMinutes,
    })),
  };
}

/** An operation is running on the cluster (AKS answers 409 to any other change until it ends). */
export function isBusy(c: Pick<ClusterSnapshot, 'provisioningState'>): boolean {
  return !isTerminalState(c.provisioningState);
}
