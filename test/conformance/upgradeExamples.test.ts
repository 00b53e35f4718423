/**
 * Conformance of what the upgrade pre-checks read with the official examples copied under
 * test/fixtures (aks-upgrade-examples, compute-usages, network-usages, logs-query; see each SOURCES.md):
 * the simulator answers each example's request with one of its statuses and a body carrying every
 * field of the example's body with the same JSON type.
 */
import { readFileSync } from 'node:fs';
import type { SimHandle } from '../../shared/sim/server';
import { call, sim } from '../sim/simClient';
import { UP_RG, UP_SUB, upgradeFleet } from '../sim/upgradeFleet';
import { shapeMismatches } from './shape';
import { fixtureJsonFiles, fixturePath } from '../support/fixtures';

interface Example {
  parameters: Record<string, unknown>;
  responses: Record<string, { body?: unknown }>;
}

function example(folder: string, file: string): Example {
  return JSON.parse(readFileSync(fixturePath(folder, file), 'utf8')) as Example;
}

const CL = `/subscriptions/${UP_SUB}/resourceGroups/${UP_RG}/providers/Microsoft.ContainerService/managedClusters`;
const VNET = `/subscriptions/${UP_SUB}/resourceGroups/${UP_RG}/providers/Microsoft.Network/virtualNetworks/vnet-upgrades`;

/** Per example file: the request that plays it against the test fleet; `null` = not served, with why. */
const PLAYS: Record<string, Record<string, { method: string; path: string; body?: unknown } | string>> = {
  'aks-upgrade-examples': {
    'ManagedClustersAbortOperation.json': { method: 'POST', path: `${CL}/aks-roll/abort` },
    'AgentPoolsAbortOperation.json': { method: 'POST', path: `${CL}/aks-roll/agentPools/apps/abort` },
    'ManagedClustersGet_MeshUpgradeProfile.json': 'service-mesh (Istio) upgrade profiles: no job reads them',
    'ManagedClustersList_MeshUpgradeProfiles.json':
      'service-mesh (Istio) upgrade profiles: no job reads them',
  },
  'compute-usages': {
    'Usage_List_MaximumSet_Gen.json': {
      method: 'GET',
      path: `/subscriptions/${UP_SUB}/providers/Microsoft.Compute/locations/westeurope/usages`,
    },
    'Usage_List_MinimumSet_Gen.json': {
      method: 'GET',
      path: `/subscriptions/${UP_SUB}/providers/Microsoft.Compute/locations/westeurope/usages`,
    },
    'ListAvailableResourceSkus.json': 'resource SKUs: served, but with the fields a quota check reads only',
    'ListAvailableResourceSkusForARegion.json':
      'resource SKUs: served, but with the fields a quota check reads only',
    'ListAvailableResourceSkusWithExtendedLocations.json': 'extended locations (edge zones): not simulated',
  },
  'network-usages': {
    'SubnetGet.json': { method: 'GET', path: `${VNET}/subnets/snet-nodes` },
    'SubnetGetWithDelegation.json': 'subnet delegations: not simulated',
    'SubnetGetWithSharingScope.json': 'subnet sharing scopes: not simulated',
    'VirtualNetworkListUsage.json': { method: 'GET', path: `${VNET}/usages` },
  },
  'logs-query': {
    'la-post-example.json': {
      method: 'POST',
      path: '/loganalytics/v1/workspaces/{workspace}/query',
      body: { query: 'AKSAudit | take 10', timespan: 'P30D' },
    },
    'oms-post-example.json': {
      method: 'POST',
      path: '/loganalytics/v1/workspaces/{workspace}/query',
      body: { query: 'AKSAudit | take 10', timespan: 'P30D' },
    },
    'la-post-resource-centric-example.json': {
      method: 'POST',
      path: `/loganalytics/v1${CL}/aks-roll/query`,
      body: { query: 'AKSAudit | summarize count() by Verb | top 10 by count_ desc', timespan: 'P30D' },
    },
    'oms-post-cross-workspace-example.json': {
      method: 'POST',
      path: '/loganalytics/v1/workspaces/{workspace}/query',
      body: {
        query:
          'union AKSAudit, AKSAuditAdmin | where TimeGenerated > ago(3h) | summarize count() by Type, _SubscriptionId',
      },
    },
  },
};

describe('conformance of the upgrade pre-checks reads with the official examples', () => {
  let s: SimHandle;
  beforeAll(async () => {
    const fleet = upgradeFleet();
    // One item a page, so that pageable lists carry the examples' nextLink.
    s = await sim({
      speed: 0,
      fleet: { ...fleet, paging: { pageSize: 1 } },
      startTime: '2026-01-12T06:00:00Z',
    });
  });
  afterAll(async () => {
    await s.close();
  });

  it('plays or explains every example file in the copied folders', () => {
    for (const [folder, plays] of Object.entries(PLAYS)) {
      expect(fixtureJsonFiles(folder)).toEqual(Object.keys(plays).sort());
    }
  });

  const cases = Object.entries(PLAYS).flatMap(([folder, plays]) =>
    Object.entries(plays)
      .filter(
        (e): e is [string, { method: string; path: string; body?: unknown }] => typeof e[1] !== 'string',
      )
      .map(([file, play]) => ({ folder, file, play })),
  );

  it.each(cases)(
    'answers $folder/$file with the example status and shape',
    async ({ folder, file, play }) => {
      const ex = example(folder, file);
      if (file.includes('Abort')) {
        // Something to abort: a pool update in progress.
        const r = await call(
          s,
          'PUT',
          `${CL}/aks-roll/agentPools/apps?api-version=2026-06-01`,
          {
            properties: { count: 7, vmSize: 'Standard_D4ds_v5', mode: 'User' },
          },
          { auth: true },
        );
        expect(r.status).toBe(200);
      }
      const url = `${play.path.replace('{workspace}', s.logsWorkspaceIds[0]!)}?api-version=2026-06-01`;
      const r = await call(s, play.method, url, play.body, { auth: true });
      expect(Object.keys(ex.responses)).toContain(String(r.status));
      const body = ex.responses[String(r.status)]?.body;
      if (body !== undefined) expect(shapeMismatches(body, r.body)).toEqual([]);
      if (file.includes('Abort')) s.clock.advance(60 * 60_000);
    },
  );
});
