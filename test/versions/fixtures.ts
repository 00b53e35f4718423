import type { KubernetesVersion } from '@azure/arm-containerservice';
import type { ClusterSnapshot } from '../../shared/fleet/cluster';

const OFFICIAL_AND_LTS = { supportPlan: ['KubernetesOfficial', 'AKSLongTermSupport'] };

/** A region as `listKubernetesVersions(location).values` returns it: 1.30 only under LTS, 1.31–1.33 GA, 1.34 preview. */
export const REGION: KubernetesVersion[] = [
  {
    version: '1.30',
    capabilities: { supportPlan: ['AKSLongTermSupport'] },
    patchVersions: {
      '1.30.12': { upgrades: ['1.30.14', '1.31.7', '1.31.9'] },
      '1.30.14': { upgrades: ['1.31.7', '1.31.9'] },
    },
  },
  {
    version: '1.31',
    capabilities: OFFICIAL_AND_LTS,
    patchVersions: {
      '1.31.9': { upgrades: ['1.32.5', '1.32.6'] },
      '1.31.7': { upgrades: ['1.31.9', '1.32.5', '1.32.6'] },
    },
  },
  {
    version: '1.32',
    capabilities: OFFICIAL_AND_LTS,
    patchVersions: {
      '1.32.5': { upgrades: ['1.32.6', '1.33.1', '1.33.2'] },
      '1.32.6': { upgrades: ['1.33.1', '1.33.2'] },
    },
  },
  {
    version: '1.33',
    isDefault: true,
    capabilities: OFFICIAL_AND_LTS,
    patchVersions: { '1.33.1': { upgrades: ['1.33.2', '1.34.0'] }, '1.33.2': { upgrades: ['1.34.0'] } },
  },
  {
    version: '1.34',
    isPreview: true,
    capabilities: { supportPlan: ['KubernetesOfficial'] },
    patchVersions: { '1.34.0': { upgrades: [] } },
  },
];

export function cluster(
  name: string,
  kubernetesVersion: string,
  extra: Partial<ClusterSnapshot> = {},
): ClusterSnapshot {
  return {
    id: `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg1/providers/Microsoft.ContainerService/managedClusters/${name}`,
    name,
    subscriptionId: '00000000-0000-0000-0000-000000000000',
    resourceGroup: 'rg1',
    location: 'westeurope',
    tags: {},
    kubernetesVersion,
    provisioningState: 'Succeeded',
    powerState: 'Running',
    pools: [],
    ...extra,
  };
}
