/** The fleet of the upgrade tests: one cluster per pre-check outcome, on a region offering 1.31 to 1.34. */
import type { FleetFile } from '../../shared/sim/fleet/schema';
import { admin } from '../sim/simClient';
import { HELM_FLOWSCHEMA_UPDATES } from '../sim/upgradeFleet';
import { startTestApp, type TestApp } from '../support/app';

export const SUB = '22222222-3333-4444-8555-666666666666';
export const RG = 'rg-up';
/** A Thursday, 06:00 UTC. */
export const NOW = '2026-01-15T06:00:00Z';
const IMG = 'AKSUbuntu-2204gen2containerd-202610.07.0';
const VNET = `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.Network/virtualNetworks/vnet-up`;

type Cluster = NonNullable<
  NonNullable<FleetFile['subscriptions'][number]['resourceGroups']>[number]['clusters']
>[number];

const pools = (apps: Record<string, unknown> = {}) => [
  { name: 'system', count: 2, mode: 'System' as const, nodeImageVersion: IMG },
  { name: 'apps', count: 3, nodeImageVersion: IMG, ...apps },
];

export const CLUSTERS: Record<string, Cluster> = {
  // Two minors: 1.32 → 1.34 runs as two legs.
  'aks-two': {
    name: 'aks-two',
    location: 'westeurope',
    kubernetesVersion: '1.32.7',
    pools: pools({ upgradeSettings: { maxSurge: '1' } }),
  },
  'aks-ok': { name: 'aks-ok', location: 'westeurope', kubernetesVersion: '1.33.2', pools: pools() },
  'aks-pdb': {
    name: 'aks-pdb',
    location: 'westeurope',
    kubernetesVersion: '1.33.2',
    pools: pools(),
    podDisruptionBudgets: [
      {
        namespace: 'shop',
        name: 'cart-pdb',
        pod: 'cart-5c7d9f8b6-k2m4p',
        minAvailable: 2,
        blocksDrain: true,
        pools: ['apps'],
      },
    ],
  },
  'aks-api': {
    name: 'aks-api',
    location: 'westeurope',
    kubernetesVersion: '1.31.9',
    pools: pools(),
    auditLogs: {
      categories: ['kube-audit', 'kube-audit-admin'],
      events: [HELM_FLOWSCHEMA_UPDATES],
    },
  },
  'aks-quota': {
    name: 'aks-quota',
    location: 'northeurope',
    kubernetesVersion: '1.33.2',
    pools: pools({ count: 10, vmSize: 'Standard_D8ds_v5', upgradeSettings: { maxSurge: '50%' } }),
  },
  'aks-subnet': {
    name: 'aks-subnet',
    location: 'westeurope',
    kubernetesVersion: '1.33.2',
    properties: { networkProfile: { networkPlugin: 'azure' } },
    pools: [
      {
        name: 'system',
        count: 2,
        mode: 'System' as const,
        nodeImageVersion: IMG,
        vnetSubnetId: `${VNET}/subnets/nodes`,
        properties: { maxPods: 30 },
      },
    ],
  },
  'aks-stopped': {
    name: 'aks-stopped',
    location: 'westeurope',
    kubernetesVersion: '1.33.2',
    powerState: 'Stopped',
    pools: pools(),
  },
  'aks-prod': {
    name: 'aks-prod',
    location: 'westeurope',
    kubernetesVersion: '1.33.2',
    tags: { environment: 'prod' },
    pools: pools(),
  },
  'aks-protect': {
    name: 'aks-protect',
    location: 'westeurope',
    kubernetesVersion: '1.33.2',
    tags: { 'day2-protect': 'true' },
    pools: pools(),
  },
  'aks-channel': {
    name: 'aks-channel',
    location: 'westeurope',
    kubernetesVersion: '1.33.2',
    upgradeChannel: 'stable',
    pools: pools(),
  },
};

export function upgradeTestFleet(
  change: Record<string, (c: Cluster) => void> = {},
  only?: string[],
): FleetFile {
  const clusters = Object.values(structuredClone(CLUSTERS)).filter((c) => !only || only.includes(c.name));
  for (const c of clusters) change[c.name]?.(c);
  const region = {
    kubernetesVersions: [
      { version: '1.31', patches: ['1.31.9'] },
      { version: '1.32', patches: ['1.32.6', '1.32.7'] },
      { version: '1.33', patches: ['1.33.2', '1.33.3'], isDefault: true },
      { version: '1.34', patches: ['1.34.1'] },
    ],
    latestNodeImages: [IMG],
  };
  return {
    subscriptions: [
      {
        id: SUB,
        displayName: 'upgrades',
        resourceGroups: [
          {
            name: RG,
            clusters,
            virtualNetworks: [
              {
                name: 'vnet-up',
                location: 'westeurope',
                addressPrefixes: ['10.224.0.0/16'],
                subnets: [{ name: 'nodes', addressPrefix: '10.224.0.0/26', usedIps: 40 }],
              },
            ],
          },
        ],
        quotas: { northeurope: { standardDDSv5Family: { limit: 100, currentValue: 80 } } },
      },
    ],
    locations: { westeurope: region, northeurope: region },
    throttling: { enabled: false },
  };
}

/** The app on the upgrade fleet at NOW, clock paused, run-command answering at once. */
export async function startUpgradeApp(
  fleet: FleetFile = upgradeTestFleet(),
  env: Record<string, string> = {},
): Promise<TestApp> {
  const app = await startTestApp({ speed: 0, startTime: NOW, fleet, env });
  await admin(app.sim, 'POST', '/timings', { runCommandSeconds: 0 });
  return app;
}

export const idOf = (name: string): string =>
  `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.ContainerService/managedClusters/${name}`;

/** PUTs the simulator accepted for a cluster (control plane and pools together); `received` counts refused ones too. */
export async function putsOf(
  app: TestApp,
  name: string,
): Promise<{ cluster: number; pools: Record<string, number>; total: number; received: number }> {
  const r = await admin<{
    cluster: { accepted: number };
    pools: Record<string, { accepted: number }>;
    total: { accepted: number; received: number };
  }>(app.sim, 'GET', `/puts/${name}`);
  return {
    cluster: r.cluster.accepted,
    pools: Object.fromEntries(Object.entries(r.pools).map(([k, v]) => [k, v.accepted])),
    total: r.total.accepted,
    received: r.total.received,
  };
}
