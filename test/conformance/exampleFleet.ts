/**
 * Derives a simulator fleet that holds the resource an official AKS example talks about: the
 * subscription, resource group, cluster, pool and maintenance configuration named by its
 * `parameters`, seeded with the fields of its response body (served verbatim as extra properties).
 */
import { demoFleet } from '../../shared/sim/fleet/demoFleet';
import type { FleetFile } from '../../shared/sim/fleet/schema';

export interface AksExample {
  parameters: Record<string, unknown>;
  responses: Record<string, { body?: unknown; headers?: Record<string, string> }>;
  operationId?: string;
  title?: string;
}

type Cluster = NonNullable<
  NonNullable<FleetFile['subscriptions'][number]['resourceGroups']>[number]['clusters']
>[number];
type Pool = Cluster['pools'][number];

export const EXAMPLE_LOCATION = 'location1';
const CP_VERSION = '1.33.5';
const POOL_VERSION = '1.33.4';
const IMAGE = 'AKSUbuntu-2204gen2containerd-202609.16.0';

function str(v: unknown, fallback: string): string {
  return typeof v === 'string' ? v : fallback;
}

function rec(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

const CLUSTER_MANAGED = [
  'provisioningState',
  'powerState',
  'kubernetesVersion',
  'currentKubernetesVersion',
  'agentPoolProfiles',
];
const POOL_MANAGED = [
  'name',
  'count',
  'vmSize',
  'osType',
  'osSKU',
  'mode',
  'orchestratorVersion',
  'currentOrchestratorVersion',
  'nodeImageVersion',
  'provisioningState',
  'powerState',
  'upgradeSettings',
];

function omit(o: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k)));
}

function poolFrom(name: string, props: Record<string, unknown>, first: boolean): Pool {
  const us = rec(props.upgradeSettings);
  return {
    name,
    count: typeof props.count === 'number' ? props.count : 3,
    vmSize: typeof props.vmSize === 'string' ? props.vmSize : 'Standard_DS1_v2',
    osType: props.osType === 'Windows' ? 'Windows' : 'Linux',
    mode: first ? 'System' : 'User',
    orchestratorVersion: POOL_VERSION,
    nodeImageVersion: IMAGE,
    ...(typeof us.maxSurge === 'string' ? { upgradeSettings: { maxSurge: us.maxSurge } } : {}),
    properties: omit(props, POOL_MANAGED),
  };
}

/** The example's resource body for the operation (a list's first item). */
export function exampleBody(ex: AksExample): Record<string, unknown> {
  const r = ['200', '201', '202'].map((k) => ex.responses[k]).find((x) => x?.body !== undefined);
  const body = rec(r?.body);
  return Array.isArray(body.value) ? rec(body.value[0]) : body;
}

export function fleetForExample(ex: AksExample, operationId: string): FleetFile {
  const p = ex.parameters;
  const sub = str(p.subscriptionId, '00000000-0000-0000-0000-000000000000');
  const rg = str(p.resourceGroupName, 'rg1');
  const name = str(p.resourceName, 'clustername1');
  const body = exampleBody(ex);
  const props = rec(body.properties);
  const isClusterBody = operationId.startsWith('ManagedClusters_') && Array.isArray(props.agentPoolProfiles);

  const profiles = isClusterBody ? (props.agentPoolProfiles as unknown[]).map(rec) : [];
  const pools: Pool[] = profiles.length
    ? profiles.map((pp, i) => poolFrom(str(pp.name, `pool${i}`), pp, i === 0))
    : [poolFrom('nodepool1', {}, true)];
  if (typeof p.agentPoolName === 'string' && operationId.startsWith('AgentPools_')) {
    const seeded = poolFrom(
      p.agentPoolName,
      operationId === 'AgentPools_GetUpgradeProfile' ||
        operationId === 'AgentPools_GetAvailableAgentPoolVersions'
        ? {}
        : props,
      false,
    );
    pools.push(seeded);
  }

  const maintenance: Record<string, Record<string, unknown>> = {};
  if (
    operationId.startsWith('MaintenanceConfigurations_') &&
    operationId !== 'MaintenanceConfigurations_CreateOrUpdate'
  ) {
    const all = Array.isArray(rec(ex.responses['200']?.body).value)
      ? (rec(ex.responses['200']?.body).value as unknown[]).map(rec)
      : [body];
    for (const m of all) maintenance[str(m.name, str(p.configName, 'default'))] = rec(m.properties);
  }

  const cluster: Cluster = {
    name,
    location: EXAMPLE_LOCATION,
    kubernetesVersion: CP_VERSION,
    tags: Object.fromEntries(Object.entries(rec(body.tags)).map(([k, v]) => [k, String(v)])),
    powerState: operationId === 'ManagedClusters_Start' ? 'Stopped' : 'Running',
    pools,
    maintenanceConfigurations: maintenance,
    runCommands:
      operationId === 'ManagedClusters_GetCommandResult' && ex.title === 'commandFailedResult'
        ? {
            conformance: {
              provisioningState: 'failed',
              exitCode: 1,
              logs: '',
              reason: str(rec(body.properties).reason, 'Failed'),
            },
          }
        : {},
    ...(isClusterBody ? { properties: omit(props, CLUSTER_MANAGED) } : {}),
    ...(isClusterBody
      ? { resource: omit(body, ['id', 'name', 'type', 'location', 'tags', 'properties']) }
      : {}),
  };

  const demo = demoFleet();
  return {
    subscriptions: [
      { id: sub, displayName: 'conformance', resourceGroups: [{ name: rg, clusters: [cluster] }] },
    ],
    locations: { [EXAMPLE_LOCATION]: demo.locations.westeurope! },
    throttling: { enabled: false },
  };
}
