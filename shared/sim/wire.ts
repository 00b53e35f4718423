/**
 * ARM wire shapes of the simulator's resources (nested `properties`, `id`, `name`, `type`, ...), as in
 * the official examples. Like real AKS, cluster ids carry a lower-case `resourcegroups` segment and
 * `type` is `Microsoft.ContainerService/ManagedClusters` (as AKS serves it; docs/simulator.md).
 */
import type { FleetLocation } from './fleet/schema';
import { armClusterId, type ClusterState, type PoolState } from './state';
import { clusterUpgrades, offeredPatches, poolLatestNodeImage } from './versions';

export function wireClusterId(c: ClusterState): string {
  return `/subscriptions/${c.subscriptionId}/resourcegroups/${c.resourceGroup}/providers/Microsoft.ContainerService/managedClusters/${c.name}`;
}

function poolProperties(p: PoolState): Record<string, unknown> {
  return {
    ...p.extra,
    count: p.count,
    vmSize: p.vmSize,
    osType: p.osType,
    ...(p.osSku ? { osSKU: p.osSku } : {}),
    mode: p.mode,
    type: 'VirtualMachineScaleSets',
    maxPods: p.extra.maxPods ?? 110,
    orchestratorVersion: p.orchestratorVersion,
    currentOrchestratorVersion: p.currentOrchestratorVersion,
    nodeImageVersion: p.nodeImageVersion,
    provisioningState: p.provisioningState,
    powerState: { code: p.powerState },
    ...(p.upgradeSettings ? { upgradeSettings: { ...p.upgradeSettings } } : {}),
    eTag: p.eTag,
  };
}

export function poolProfile(p: PoolState): Record<string, unknown> {
  return { name: p.name, ...poolProperties(p) };
}

export function poolResource(c: ClusterState, p: PoolState): Record<string, unknown> {
  return {
    id: `${armClusterId(c)}/agentPools/${p.name}`,
    name: p.name,
    type: 'Microsoft.ContainerService/managedClusters/agentPools',
    properties: poolProperties(p),
  };
}

export function clusterResource(c: ClusterState): Record<string, unknown> {
  const dnsPrefix = (c.extra.dnsPrefix as string | undefined) ?? `${c.name}-dns`;
  const hash = Buffer.from(armClusterId(c).toLowerCase()).toString('hex').slice(-8);
  const autoUpgradeProfile: Record<string, unknown> = {
    ...((c.extra.autoUpgradeProfile as Record<string, unknown> | undefined) ?? {}),
  };
  if (c.upgradeChannel) autoUpgradeProfile.upgradeChannel = c.upgradeChannel;
  if (c.nodeOSUpgradeChannel) autoUpgradeProfile.nodeOSUpgradeChannel = c.nodeOSUpgradeChannel;
  return {
    ...c.resource,
    id: wireClusterId(c),
    name: c.name,
    type: 'Microsoft.ContainerService/ManagedClusters',
    location: c.location,
    tags: { ...c.tags },
    sku: c.resource.sku ?? { name: 'Base', tier: c.skuTier },
    eTag: c.eTag,
    properties: {
      dnsPrefix,
      fqdn: `${dnsPrefix}-${hash}.hcp.${c.location}.azmk8s.io`,
      azurePortalFQDN: `${dnsPrefix}-${hash}.portal.hcp.${c.location}.azmk8s.io`,
      nodeResourceGroup: `MC_${c.resourceGroup}_${c.name}_${c.location}`,
      enableRBAC: true,
      maxAgentPools: 100,
      ...c.extra,
      provisioningState: c.provisioningState,
      powerState: { code: c.powerState },
      kubernetesVersion: c.kubernetesVersion,
      currentKubernetesVersion: c.currentKubernetesVersion,
      supportPlan: c.supportPlan,
      agentPoolProfiles: c.pools.map(poolProfile),
      ...(Object.keys(autoUpgradeProfile).length ? { autoUpgradeProfile } : {}),
    },
  };
}

export function clusterUpgradeProfile(c: ClusterState, loc: FleetLocation): Record<string, unknown> {
  const lts = c.supportPlan === 'AKSLongTermSupport';
  const cpUpgrades = clusterUpgrades(loc, c.currentKubernetesVersion, lts);
  return {
    id: `${armClusterId(c)}/upgradeprofiles/default`,
    name: 'default',
    type: 'Microsoft.ContainerService/managedClusters/upgradeprofiles',
    properties: {
      controlPlaneProfile: {
        name: 'master',
        kubernetesVersion: c.currentKubernetesVersion,
        osType: 'Linux',
        upgrades: cpUpgrades,
      },
      agentPoolProfiles: c.pools.map((p) => ({
        name: p.name,
        kubernetesVersion: p.currentOrchestratorVersion,
        osType: p.osType,
        upgrades: poolUpgrades(c, p, loc),
      })),
    },
  };
}

/** Pool targets: offered versions above the pool's, up to the control plane's. */
export function poolUpgrades(
  c: ClusterState,
  p: PoolState,
  loc: FleetLocation,
): Array<{ kubernetesVersion: string; isPreview?: boolean }> {
  const cmp = (a: string, b: string): number => a.localeCompare(b, undefined, { numeric: true });
  const out = offeredPatches(loc)
    .filter(
      (v) =>
        cmp(v.version, p.currentOrchestratorVersion) > 0 && cmp(v.version, c.currentKubernetesVersion) <= 0,
    )
    .map((v) =>
      v.isPreview ? { kubernetesVersion: v.version, isPreview: true } : { kubernetesVersion: v.version },
    );
  if (
    cmp(c.currentKubernetesVersion, p.currentOrchestratorVersion) > 0 &&
    !out.some((u) => u.kubernetesVersion === c.currentKubernetesVersion)
  ) {
    out.push({ kubernetesVersion: c.currentKubernetesVersion });
  }
  return out;
}

export function poolUpgradeProfile(
  c: ClusterState,
  p: PoolState,
  loc: FleetLocation,
): Record<string, unknown> {
  return {
    id: `${armClusterId(c)}/agentPools/${p.name}/upgradeprofiles/default`,
    name: 'default',
    type: 'Microsoft.ContainerService/managedClusters/agentPools/upgradeProfiles',
    properties: {
      kubernetesVersion: p.currentOrchestratorVersion,
      osType: p.osType,
      upgrades: poolUpgrades(c, p, loc),
      latestNodeImageVersion: poolLatestNodeImage(loc, p),
    },
  };
}

export function availablePoolVersions(c: ClusterState, loc: FleetLocation): Record<string, unknown> {
  const defaultMinor = loc.kubernetesVersions.find((v) => v.isDefault)?.version;
  const patches = offeredPatches(loc);
  const defaultPatch = patches.filter((p) => p.minor === defaultMinor && !p.isPreview).at(-1)?.version;
  return {
    id: `${armClusterId(c)}/availableagentpoolversions`,
    name: 'default',
    type: 'Microsoft.ContainerService/managedClusters/availableAgentpoolVersions',
    properties: {
      agentPoolVersions: patches.map((p) => ({
        kubernetesVersion: p.version,
        ...(p.version === defaultPatch ? { default: true } : {}),
        ...(p.isPreview ? { isPreview: true } : {}),
      })),
    },
  };
}

export function maintenanceResource(
  c: ClusterState,
  name: string,
  properties: Record<string, unknown>,
): Record<string, unknown> {
  return {
    id: `${armClusterId(c)}/maintenanceConfigurations/${name}`,
    name,
    type: 'Microsoft.ContainerService/managedClusters/maintenanceConfigurations',
    systemData: {
      createdBy: 'aks-day2-sim',
      createdByType: 'Application',
      createdAt: '2026-01-01T00:00:00.0000000Z',
      lastModifiedBy: 'aks-day2-sim',
      lastModifiedByType: 'Application',
      lastModifiedAt: '2026-01-01T00:00:00.0000000Z',
    },
    properties: structuredClone(properties),
  };
}
