/**
 * The built-in demo fleet: 3 subscriptions, 13 clusters in 4 regions, with every situation the jobs
 * handle (out of support, behind on patch/node image, prod, protected, maintenance windows, a blocking
 * PDB, a stopped cluster, AKS-managed channels, power crons in four time zones, a bad tag, Windows).
 * Upgrades: aks-dev-weu-02 can go through two minors (1.32 -> 1.33 -> 1.34), aks-test-weu-01's pools
 * are blocked by a PDB, aks-test-eus-01 has deprecated-API use in its audit rows, and aks-prod-cin-01
 * is over its vCPU quota for the surge of its apps pool.
 */
import type { FleetFile } from './schema';

type Loc = FleetFile['locations'][string];
type Cluster = NonNullable<
  NonNullable<FleetFile['subscriptions'][number]['resourceGroups']>[number]['clusters']
>[number];
type Pool = Cluster['pools'][number];

export const DEMO_SUBSCRIPTIONS = {
  dev: '6f1c2a3b-4d5e-4f60-8a71-92b3c4d5e6f7',
  test: '8a2d3c4b-5e6f-4a70-9b81-a2c3d4e5f607',
  prod: 'c3e4f5a6-7b8c-4d9e-8f01-b2c3d4e5f6a8',
} as const;

const UBUNTU = 'AKSUbuntu-2204gen2containerd';
const AZL = 'AKSAzureLinux-V3gen2';
const WIN = 'AKSWindows-2022-containerd';

/**
 * The demo's version lists are those of January 2026; `aks-day2 sim` (no --fleet) switches its regions
 * to the support calendar from this day, so that on the real clock it offers today's versions.
 */
export const DEMO_CALENDAR_FROM = '2026-02-01';

function location(lagging: boolean, calendarFrom?: string): Loc {
  return {
    ...(calendarFrom ? { calendarFrom } : {}),
    kubernetesVersions: [
      { version: '1.31', patches: ['1.31.9', '1.31.10', '1.31.11'], supportPlan: ['AKSLongTermSupport'] },
      {
        version: '1.32',
        patches: ['1.32.6', '1.32.7', '1.32.8'],
        supportPlan: ['KubernetesOfficial', 'AKSLongTermSupport'],
      },
      { version: '1.33', patches: ['1.33.3', '1.33.4', '1.33.5'], isDefault: true },
      { version: '1.34', patches: lagging ? ['1.34.0', '1.34.1'] : ['1.34.0', '1.34.1', '1.34.2'] },
      { version: '1.35', patches: ['1.35.0'], isPreview: true },
    ],
    latestNodeImages: lagging
      ? [`${UBUNTU}-202609.30.0`, `${AZL}-202609.30.0`, `${WIN}-20348.4171.250916`]
      : [`${UBUNTU}-202610.07.0`, `${AZL}-202610.07.0`, `${WIN}-20348.4294.251014`],
  };
}

function pool(name: string, count: number, image: string, extra: Partial<Pool> = {}): Pool {
  return {
    name,
    count,
    vmSize: 'Standard_D4ds_v5',
    osType: 'Linux',
    osSku: 'Ubuntu',
    mode: 'User',
    nodeImageVersion: image,
    ...extra,
  };
}

const sys = (count: number, image: string, extra: Partial<Pool> = {}): Pool =>
  pool('system', count, image, { mode: 'System', ...extra });

const POWER_WEEKDAYS = { 'day2-stop': '0 19 * * 1-5', 'day2-start': '30 7 * * 1-5' };

/** The demo fleet; `calendarFrom` makes its regions follow the support calendar from that day. */
export function demoFleet(opts: { calendarFrom?: string } = {}): FleetFile {
  return {
    subscriptions: [
      {
        id: DEMO_SUBSCRIPTIONS.dev,
        displayName: 'contoso-aks-dev',
        resourceGroups: [
          {
            name: 'rg-aks-dev-weu',
            clusters: [
              {
                name: 'aks-dev-weu-01',
                location: 'westeurope',
                kubernetesVersion: '1.33.5',
                tags: {
                  environment: 'dev',
                  ...POWER_WEEKDAYS,
                  'day2-timezone': 'Europe/Paris',
                  'day2-ring': '0',
                  'day2-node-image': 'auto',
                  'day2-upgrade': 'patch',
                },
                pools: [
                  sys(3, `${UBUNTU}-202609.16.0`),
                  pool('apps', 4, `${UBUNTU}-202609.02.0`, {
                    upgradeSettings: { maxSurge: '50%', drainTimeoutInMinutes: 10 },
                  }),
                ],
              },
              {
                name: 'aks-dev-weu-02',
                location: 'westeurope',
                kubernetesVersion: '1.32.6',
                tags: {
                  environment: 'dev',
                  'day2-stop': '0 25 * * *',
                  'day2-start': '30 7 * * 1-5',
                  'day2-timezone': 'Europe/Paris',
                  'day2-ring': '1',
                  'day2-node-image': 'notify',
                },
                pools: [sys(2, `${UBUNTU}-202610.07.0`)],
              },
            ],
          },
          {
            name: 'rg-aks-dev-eus',
            clusters: [
              {
                name: 'aks-dev-eus-01',
                location: 'eastus',
                kubernetesVersion: '1.33.4',
                powerState: 'Stopped',
                tags: {
                  environment: 'dev',
                  ...POWER_WEEKDAYS,
                  'day2-timezone': 'America/New_York',
                  'day2-ring': '0',
                  'day2-node-image': 'auto',
                },
                pools: [sys(2, `${UBUNTU}-202609.16.0`), pool('batch', 3, `${UBUNTU}-202609.16.0`)],
              },
            ],
          },
          {
            name: 'rg-aks-dev-cin',
            clusters: [
              {
                name: 'aks-dev-cin-01',
                location: 'centralindia',
                kubernetesVersion: '1.34.0',
                tags: {
                  environment: 'dev',
                  'day2-stop': '0 20 * * 1-5',
                  'day2-start': '0 8 * * 1-5',
                  'day2-timezone': 'Asia/Kolkata',
                  'day2-ring': '1',
                  'day2-node-image': 'notify',
                },
                pools: [sys(2, `${AZL}-202609.16.0`, { osSku: 'AzureLinux' })],
              },
            ],
          },
        ],
      },
      {
        id: DEMO_SUBSCRIPTIONS.test,
        displayName: 'contoso-aks-test',
        resourceGroups: [
          {
            name: 'rg-aks-test-weu',
            clusters: [
              {
                name: 'aks-test-weu-01',
                location: 'westeurope',
                kubernetesVersion: '1.33.3',
                tags: {
                  environment: 'test',
                  'day2-ring': '1',
                  'day2-node-image': 'auto',
                  'day2-upgrade': 'minor',
                  'day2-timezone': 'Europe/Paris',
                },
                pools: [
                  sys(3, `${UBUNTU}-202609.16.0`, { upgradeSettings: { maxSurge: '33%' } }),
                  pool('payments', 3, `${UBUNTU}-202609.16.0`, {
                    upgradeSettings: { maxSurge: '1', drainTimeoutInMinutes: 15 },
                  }),
                ],
                podDisruptionBudgets: [
                  {
                    namespace: 'payments',
                    name: 'payments-api-pdb',
                    pod: 'payments-api-6f7c9d8b5-lq2xz',
                    minAvailable: 3,
                    blocksDrain: true,
                  },
                  { namespace: 'kube-system', name: 'coredns-pdb', minAvailable: 1, blocksDrain: false },
                ],
              },
              {
                name: 'aks-test-weu-02',
                location: 'westeurope',
                kubernetesVersion: '1.31.10',
                supportPlan: 'AKSLongTermSupport',
                skuTier: 'Premium',
                tags: {
                  environment: 'test',
                  'day2-ring': '2',
                  'day2-node-image': 'off',
                  'day2-upgrade': 'patch',
                },
                pools: [sys(2, `${UBUNTU}-202609.02.0`)],
              },
            ],
          },
          {
            name: 'rg-aks-test-eus',
            clusters: [
              {
                name: 'aks-test-eus-01',
                location: 'eastus',
                kubernetesVersion: '1.30.14',
                tags: { environment: 'test', 'day2-upgrade': 'notify', 'day2-ring': '1' },
                pools: [sys(2, `${UBUNTU}-202608.19.0`), pool('web', 3, `${UBUNTU}-202608.19.0`)],
                // Upgrade demo: a Helm release still writes flowcontrol v1beta3, removed in 1.32 (its next legal minor).
                auditLogs: {
                  categories: ['kube-audit', 'kube-audit-admin'],
                  events: [
                    {
                      hoursAgo: 20,
                      repeat: 12,
                      verb: 'update',
                      requestUri: '/apis/flowcontrol.apiserver.k8s.io/v1beta3/flowschemas/web-priority',
                      userAgent: 'Helm/3.13.2',
                      user: 'system:serviceaccount:web:helm-deployer',
                      objectRef: {
                        apiGroup: 'flowcontrol.apiserver.k8s.io',
                        apiVersion: 'v1beta3',
                        resource: 'flowschemas',
                        name: 'web-priority',
                      },
                      annotations: { 'k8s.io/deprecated': 'true', 'k8s.io/removed-release': '1.32' },
                    },
                    {
                      hoursAgo: 1,
                      repeat: 3,
                      verb: 'list',
                      requestUri: '/api/v1/namespaces/web/pods',
                      objectRef: { apiVersion: 'v1', resource: 'pods', namespace: 'web' },
                    },
                  ],
                },
              },
            ],
          },
          {
            name: 'rg-aks-test-aue',
            clusters: [
              {
                name: 'aks-test-aue-01',
                location: 'australiaeast',
                kubernetesVersion: '1.34.2',
                upgradeChannel: 'stable',
                tags: {
                  environment: 'test',
                  'day2-stop': '0 18 * * 1-5',
                  'day2-start': '0 7 * * 1-5',
                  'day2-timezone': 'Pacific/Auckland',
                  'day2-ring': '1',
                },
                pools: [sys(2, `${UBUNTU}-202609.16.0`)],
              },
            ],
          },
          {
            name: 'rg-aks-test-cin',
            clusters: [
              {
                name: 'aks-test-cin-01',
                location: 'centralindia',
                kubernetesVersion: '1.33.5',
                nodeOSUpgradeChannel: 'NodeImage',
                tags: {
                  environment: 'test',
                  'day2-timezone': 'Asia/Kolkata',
                  'day2-node-image': 'auto',
                  'day2-ring': '1',
                },
                pools: [sys(2, `${UBUNTU}-202609.02.0`)],
              },
            ],
          },
        ],
      },
      {
        id: DEMO_SUBSCRIPTIONS.prod,
        displayName: 'contoso-aks-prod',
        // Upgrade demo: aks-prod-cin-01's apps pool (maxSurge 2 x 4 vCPUs) does not fit the 4 vCPUs left.
        quotas: { centralindia: { standardDDSv5Family: { limit: 40 } } },
        resourceGroups: [
          {
            name: 'rg-aks-prod-weu',
            clusters: [
              {
                name: 'aks-prod-weu-01',
                location: 'westeurope',
                kubernetesVersion: '1.33.5',
                tags: {
                  environment: 'prod',
                  'day2-ring': '2',
                  'day2-node-image': 'auto',
                  'day2-upgrade': 'patch',
                  'day2-stop': '0 19 * * *',
                  'day2-timezone': 'Europe/Paris',
                },
                pools: [
                  sys(3, `${UBUNTU}-202609.16.0`, {
                    upgradeSettings: {
                      maxSurge: '33%',
                      drainTimeoutInMinutes: 30,
                      nodeSoakDurationInMinutes: 5,
                    },
                  }),
                  pool('win22', 2, `${WIN}-20348.4171.250916`, { osType: 'Windows', osSku: 'Windows2022' }),
                ],
                maintenanceConfigurations: {
                  aksManagedNodeOSUpgradeSchedule: {
                    maintenanceWindow: {
                      schedule: { weekly: { intervalWeeks: 1, dayOfWeek: 'Sunday' } },
                      durationHours: 4,
                      utcOffset: '+01:00',
                      startDate: '2026-01-04',
                      startTime: '02:00',
                    },
                  },
                  default: {
                    maintenanceWindow: {
                      schedule: { weekly: { intervalWeeks: 1, dayOfWeek: 'Saturday' } },
                      durationHours: 6,
                      utcOffset: '+01:00',
                      startDate: '2026-01-03',
                      startTime: '22:00',
                    },
                  },
                },
              },
            ],
          },
          {
            name: 'rg-aks-prod-eus',
            clusters: [
              {
                name: 'aks-prod-eus-01',
                location: 'eastus',
                kubernetesVersion: '1.33.4',
                tags: {
                  environment: 'prod',
                  'day2-protect': 'true',
                  'day2-ring': '2',
                  'day2-node-image': 'auto',
                },
                pools: [
                  sys(3, `${UBUNTU}-202609.16.0`),
                  pool('apps', 5, `${UBUNTU}-202609.16.0`, { upgradeSettings: { maxSurge: '33%' } }),
                ],
              },
            ],
          },
          {
            name: 'rg-aks-prod-aue',
            clusters: [
              {
                name: 'aks-prod-aue-01',
                location: 'australiaeast',
                kubernetesVersion: '1.34.2',
                tags: {
                  env: 'production',
                  'day2-ring': '2',
                  'day2-timezone': 'Pacific/Auckland',
                  'day2-node-image': 'notify',
                },
                pools: [sys(3, `${UBUNTU}-202610.07.0`)],
              },
            ],
          },
          {
            name: 'rg-aks-prod-cin',
            clusters: [
              {
                name: 'aks-prod-cin-01',
                location: 'centralindia',
                kubernetesVersion: '1.32.8',
                tags: {
                  environment: 'prod',
                  'day2-ring': '2',
                  'day2-timezone': 'Asia/Kolkata',
                  'day2-upgrade': 'minor',
                  'day2-skip': '2026-12-25,2027-01-01',
                },
                pools: [
                  sys(3, `${UBUNTU}-202609.16.0`),
                  pool('apps', 6, `${UBUNTU}-202609.16.0`, { upgradeSettings: { maxSurge: '2' } }),
                ],
              },
            ],
          },
        ],
      },
    ],
    locations: {
      westeurope: location(false, opts.calendarFrom),
      eastus: location(false, opts.calendarFrom),
      australiaeast: location(false, opts.calendarFrom),
      centralindia: location(true, opts.calendarFrom),
    },
  };
}
