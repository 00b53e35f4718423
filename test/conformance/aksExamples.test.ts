/**
 * Conformance with the official AKS examples (test/fixtures/aks-examples): for every example,
 * a simulator holding the example's resource answers the example's request over HTTPS with one of the
 * example's statuses and a body carrying every field of the example's body with the same JSON type.
 */
import { startSimulator, type SimHandle } from '../../shared/sim/server';
import { call } from '../sim/simClient';
import { exampleBody, fleetForExample, type AksExample } from './exampleFleet';
import { shapeMismatches } from './shape';
import { fixtureJson, fixtureJsonFiles } from '../support/fixtures';

const files = fixtureJsonFiles('aks-examples');

/** The two 2025-09-01 files carry no operationId. */
const OPERATION_BY_FILE: Record<string, string> = {
  'MaintenanceConfigurationsGet.json': 'MaintenanceConfigurations_Get',
  'MaintenanceConfigurationsList.json': 'MaintenanceConfigurations_ListByManagedCluster',
};

const CL =
  '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.ContainerService/managedClusters/{resourceName}';
const REQUESTS: Record<
  string,
  { method: string; path: string; body?: (p: Record<string, unknown>) => unknown }
> = {
  ManagedClusters_Get: { method: 'GET', path: CL },
  ManagedClusters_List: {
    method: 'GET',
    path: '/subscriptions/{subscriptionId}/providers/Microsoft.ContainerService/managedClusters',
  },
  ManagedClusters_ListByResourceGroup: {
    method: 'GET',
    path: '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.ContainerService/managedClusters',
  },
  ManagedClusters_CreateOrUpdate: { method: 'PUT', path: CL, body: (p) => p.parameters },
  ManagedClusters_Start: { method: 'POST', path: `${CL}/start` },
  ManagedClusters_Stop: { method: 'POST', path: `${CL}/stop` },
  ManagedClusters_GetUpgradeProfile: { method: 'GET', path: `${CL}/upgradeProfiles/default` },
  ManagedClusters_ListKubernetesVersions: {
    method: 'GET',
    path: '/subscriptions/{subscriptionId}/providers/Microsoft.ContainerService/locations/{location}/kubernetesVersions',
  },
  ManagedClusters_RunCommand: { method: 'POST', path: `${CL}/runCommand`, body: (p) => p.requestPayload },
  ManagedClusters_GetCommandResult: { method: 'GET', path: `${CL}/commandResults/{commandId}` },
  AgentPools_Get: { method: 'GET', path: `${CL}/agentPools/{agentPoolName}` },
  AgentPools_List: { method: 'GET', path: `${CL}/agentPools` },
  AgentPools_CreateOrUpdate: {
    method: 'PUT',
    path: `${CL}/agentPools/{agentPoolName}`,
    body: (p) => p.parameters,
  },
  AgentPools_UpgradeNodeImageVersion: {
    method: 'POST',
    path: `${CL}/agentPools/{agentPoolName}/upgradeNodeImageVersion`,
  },
  AgentPools_GetUpgradeProfile: {
    method: 'GET',
    path: `${CL}/agentPools/{agentPoolName}/upgradeProfiles/default`,
  },
  AgentPools_GetAvailableAgentPoolVersions: { method: 'GET', path: `${CL}/availableAgentPoolVersions` },
  MaintenanceConfigurations_Get: { method: 'GET', path: `${CL}/maintenanceConfigurations/{configName}` },
  MaintenanceConfigurations_ListByManagedCluster: { method: 'GET', path: `${CL}/maintenanceConfigurations` },
  MaintenanceConfigurations_CreateOrUpdate: {
    method: 'PUT',
    path: `${CL}/maintenanceConfigurations/{configName}`,
    body: (p) => p.parameters,
  },
};

function expand(template: string, params: Record<string, unknown>): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => {
    const v = params[k];
    if (v === undefined) throw new Error(`the example has no parameter ${k}`);
    if (typeof v !== 'string') throw new Error(`parameter ${k} is not a string`);
    return encodeURIComponent(v);
  });
}

/** For GetCommandResult: submit a command first and use the id the simulator gives it. */
async function commandId(s: SimHandle, ex: AksExample): Promise<string> {
  const submit = await call(
    s,
    'POST',
    `${expand(`${CL}/runCommand`, ex.parameters)}?api-version=2026-06-01`,
    { command: 'conformance' },
    { auth: true },
  );
  const location = String(submit.headers.location ?? '');
  const id = /commandResults\/([^?]+)/.exec(location)?.[1];
  if (!id) throw new Error(`runCommand gave no commandResults location: ${submit.status} ${submit.text}`);
  s.clock.advance(60_000);
  return id;
}

describe('conformance with the official AKS examples', () => {
  it.each(files)('answers %s with an example status and a body of the example shape', async (file) => {
    const ex = fixtureJson<AksExample>('aks-examples', file);
    const operationId = ex.operationId ?? OPERATION_BY_FILE[file];
    if (!operationId) throw new Error(`${file}: no operationId and no mapping for it`);
    const req = REQUESTS[operationId];
    if (!req) throw new Error(`${file}: no request mapping for ${operationId}: add it to REQUESTS`);
    const s = await startSimulator({ fleet: fleetForExample(ex, operationId), speed: 0 });
    try {
      const params = { ...ex.parameters };
      if (operationId === 'ManagedClusters_GetCommandResult') params.commandId = await commandId(s, ex);
      const url = `${expand(req.path, params)}?api-version=${encodeURIComponent(typeof ex.parameters['api-version'] === 'string' ? ex.parameters['api-version'] : '2026-06-01')}`;
      const res = await call(s, req.method, url, req.body?.(ex.parameters), { auth: true });
      const statuses = Object.keys(ex.responses);
      expect({
        file,
        statusIsAnExampleStatus: statuses.includes(String(res.status)),
        status: res.status,
        error: res.status >= 400 ? res.body : undefined,
      }).toEqual({
        file,
        statusIsAnExampleStatus: true,
        status: res.status,
        error: undefined,
      });
      const expected = ex.responses[String(res.status)];
      for (const h of Object.keys(expected?.headers ?? {}))
        expect({ file, header: h, present: res.headers[h.toLowerCase()] !== undefined }).toEqual({
          file,
          header: h,
          present: true,
        });
      if (expected?.body !== undefined) {
        expect({ file, mismatches: shapeMismatches(expected.body, res.body) }).toEqual({
          file,
          mismatches: [],
        });
      }
      expect(exampleBody(ex)).toBeDefined();
    } finally {
      await s.close();
    }
  });
});
