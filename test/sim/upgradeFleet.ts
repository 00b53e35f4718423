/** A small fleet for the upgrade-serving tests: one region, three minors, a cluster to roll and one blocked by a PDB. */
import type { FleetFile } from '../../shared/sim/fleet/schema';

export const UP_SUB = '11111111-2222-4333-8444-555555555555';
export const UP_RG = 'rg-upgrades';
export const VNET = `/subscriptions/${UP_SUB}/resourceGroups/${UP_RG}/providers/Microsoft.Network/virtualNetworks/vnet-upgrades`;
const IMG = 'AKSUbuntu-2204gen2containerd-202610.07.0';

/** Helm writing a FlowSchema through flowcontrol v1beta3 (removed in 1.32), five times 30 hours ago. */
export const HELM_FLOWSCHEMA_UPDATES = {
  hoursAgo: 30,
  repeat: 5,
  verb: 'update',
  requestUri: '/apis/flowcontrol.apiserver.k8s.io/v1beta3/flowschemas/exempt',
  userAgent: 'helm/v3.14.0 (linux/amd64)',
  objectRef: {
    apiGroup: 'flowcontrol.apiserver.k8s.io',
    apiVersion: 'v1beta3',
    resource: 'flowschemas',
    name: 'exempt',
  },
  annotations: { 'k8s.io/deprecated': 'true', 'k8s.io/removed-release': '1.32' },
};

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
                auditLogs: {
                  categories: ['kube-audit', 'kube-audit-admin'],
                  events: [
                    HELM_FLOWSCHEMA_UPDATES,
                    {
                      hoursAgo: 240,
                      verb: 'create',
                      requestUri: '/apis/batch/v1beta1/namespaces/jobs/cronjobs',
                      objectRef: {
                        apiGroup: 'batch',
                        apiVersion: 'v1beta1',
                        resource: 'cronjobs',
                        namespace: 'jobs',
                      },
                      annotations: { 'k8s.io/deprecated': 'true', 'k8s.io/removed-release': '1.25' },
                    },
                    {
                      hoursAgo: 2,
                      repeat: 3,
                      verb: 'list',
                      requestUri: '/api/v1/pods',
                      objectRef: { apiVersion: 'v1', resource: 'pods' },
                    },
                  ],
                },
              },
              {
                name: 'aks-pdb',
                location: 'westeurope',
                kubernetesVersion: '1.34.1',
                pools: [
                  { name: 'system', count: 2, mode: 'System', nodeImageVersion: IMG },
                  { name: 'apps', count: 3, nodeImageVersion: IMG, orchestratorVersion: '1.33.2' },
                ],
                auditLogs: {
                  destination: 'azureDiagnostics',
                  events: [
                    {
                      hoursAgo: 5,
                      repeat: 2,
                      verb: 'patch',
                      requestUri:
                        '/apis/flowcontrol.apiserver.k8s.io/v1beta3/prioritylevelconfigurations/global-default',
                      userAgent: 'argocd-application-controller/v2.9.3',
                      objectRef: {
                        apiGroup: 'flowcontrol.apiserver.k8s.io',
                        apiVersion: 'v1beta3',
                        resource: 'prioritylevelconfigurations',
                      },
                      annotations: { 'k8s.io/deprecated': 'true', 'k8s.io/removed-release': '1.32' },
                    },
                  ],
                },
                podDisruptionBudgets: [
                  {
                    namespace: 'shop',
                    name: 'cart-pdb',
                    pod: 'cart-5c7d9f8b6-k2m4p',
                    minAvailable: 2,
                    pools: ['apps'],
                  },
                  {
                    namespace: 'kube-system',
                    name: 'coredns-pdb',
                    minAvailable: 1,
                    blocksDrain: false,
                    pools: ['system'],
                  },
                ],
              },
              {
                name: 'aks-quota',
                location: 'westeurope',
                kubernetesVersion: '1.33.3',
                properties: { networkProfile: { networkPlugin: 'azure' } },
                pools: [
                  { name: 'system', count: 2, mode: 'System', nodeImageVersion: IMG },
                  {
                    name: 'big',
                    count: 10,
                    vmSize: 'Standard_D8s_v5',
                    orchestratorVersion: '1.33.2',
                    nodeImageVersion: IMG,
                    upgradeSettings: { maxSurge: '33%' },
                    vnetSubnetId: `${VNET}/subnets/snet-nodes`,
                    properties: { maxPods: 20 },
                  },
                ],
              },
            ],
            virtualNetworks: [
              {
                name: 'vnet-upgrades',
                location: 'westeurope',
                addressPrefixes: ['10.10.0.0/16'],
                subnets: [
                  { name: 'snet-nodes', addressPrefix: '10.10.0.0/24' },
                  { name: 'snet-small', addressPrefix: '10.10.1.0/28', usedIps: 7 },
                ],
              },
            ],
          },
        ],
        quotas: { westeurope: { standardDSv5Family: { limit: 100 } } },
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
