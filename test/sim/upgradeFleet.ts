/** A small fleet for the upgrade-serving tests: one region, three minors, a cluster to roll and one blocked by a PDB. */
import type { FleetFile } from '../../shared/sim/fleet/schema';

export const UP_SUB = '11111111-2222-4333-8444-555555555555';
export const UP_RG = 'rg-upgrades';
const IMG = 'AKSUbuntu-2204gen2containerd-202610.07.0';

export function upgradeFleet(): FleetFile {
  return {
    subscriptions: [
      {
        id: UP_SUB,
        displayName: 'upgrades',
        resourceGroups: [
          {
            name: UP_RG,
            clusters: [
              {
                name: 'aks-roll',
                location: 'westeurope',
                kubernetesVersion: '1.33.2',
                pools: [
                  { name: 'system', count: 3, mode: 'System', nodeImageVersion: IMG },
                  { name: 'apps', count: 6, nodeImageVersion: IMG, upgradeSettings: { maxSurge: '2' } },
                ],
              },
              {
                name: 'aks-pdb',
                location: 'westeurope',
                kubernetesVersion: '1.34.1',
                pools: [
                  { name: 'system', count: 2, mode: 'System', nodeImageVersion: IMG },
                  { name: 'apps', count: 3, nodeImageVersion: IMG, orchestratorVersion: '1.33.2' },
                ],
                podDisruptionBudgets: [
                  {
                    namespace: 'shop',
                    name: 'cart-pdb',
                    pod: 'cart-5c7d9f8b6-k2m4p',
                    minAvailable: 2,
                    pools: ['apps'],
                  },
                ],
              },
            ],
          },
        ],
      },
    ],
    locations: {
      westeurope: {
        kubernetesVersions: [
          { version: '1.32', patches: ['1.32.7', '1.32.8'] },
          { version: '1.33', patches: ['1.33.2', '1.33.3'], isDefault: true },
          { version: '1.34', patches: ['1.34.1'] },
        ],
        latestNodeImages: [IMG],
      },
    },
    throttling: { enabled: false },
  };
}
