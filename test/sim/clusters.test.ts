import { SubscriptionClient } from '@azure/arm-resources-subscriptions';
import type { SimHandle } from '../../shared/sim/server';
import { admin, aksClient, call, credential, rejectionOf, sim, SUB } from './simClient';

/** `expect.any(String)`, typed so that object literals holding it stay type-safe. */
const anyString = expect.any(String) as unknown as string;

describe('simulated managed clusters', () => {
  let s: SimHandle;
  beforeEach(async () => {
    s = await sim({ speed: 0 });
  });
  afterEach(async () => {
    await s.close();
  });

  it('lists subscriptions through the real SubscriptionClient', async () => {
    const client = new SubscriptionClient(credential, { endpoint: s.arm, tlsOptions: { ca: s.caCert } });
    const subs = [];
    for await (const x of client.subscriptions.list()) subs.push(x);
    expect(subs.map((x) => x.subscriptionId)).toEqual([SUB.dev, SUB.test, SUB.prod]);
    expect(subs[0]).toMatchObject({
      id: `/subscriptions/${SUB.dev}`,
      state: 'Enabled',
      displayName: 'contoso-aks-dev',
    });
  });

  it('lists clusters page by page across absolute nextLinks', async () => {
    await admin(s, 'POST', '/paging', { pageSize: 2 });
    await admin(s, 'DELETE', '/counters');
    const names: string[] = [];
    for await (const mc of aksClient(s, SUB.test).managedClusters.list()) names.push(mc.name!);
    expect(names).toHaveLength(5);
    expect(names).toContain('aks-test-weu-01');
    const counters = await admin<{ byOperation: Record<string, number> }>(s, 'GET', '/counters');
    expect(counters.byOperation.ManagedClusters_List).toBe(3);
    const raw = await call(
      s,
      'GET',
      `/subscriptions/${SUB.test}/providers/Microsoft.ContainerService/managedClusters?api-version=2026-06-01`,
      undefined,
      { auth: true },
    );
    expect((raw.body as { nextLink: string }).nextLink).toMatch(new RegExp(`^${s.arm}/subscriptions/`));
  });

  it('serves a cluster with nested properties, ARM headers and the flattened SDK model', async () => {
    const raw = await call(
      s,
      'GET',
      `/subscriptions/${SUB.prod}/resourceGroups/rg-aks-prod-weu/providers/Microsoft.ContainerService/managedClusters/aks-prod-weu-01?api-version=2026-06-01`,
      undefined,
      { auth: true },
    );
    expect(raw.status).toBe(200);
    expect(raw.headers['x-ms-request-id']).toBeTruthy();
    expect(raw.headers['x-ms-correlation-request-id']).toBeTruthy();
    expect(Number(raw.headers['x-ms-ratelimit-remaining-subscription-reads'])).toBeGreaterThan(0);
    expect(raw.body).toMatchObject({
      name: 'aks-prod-weu-01',
      location: 'westeurope',
      tags: { environment: 'prod' },
      properties: { provisioningState: 'Succeeded' },
    });
    const mc = await aksClient(s, SUB.prod).managedClusters.get('rg-aks-prod-weu', 'aks-prod-weu-01');
    expect(mc.agentPoolProfiles?.find((p) => p.name === 'win22')?.osType).toBe('Windows');
  });

  it('refuses a request without a bearer token with 401 AuthenticationFailed', async () => {
    const raw = await call(
      s,
      'GET',
      `/subscriptions/${SUB.dev}/providers/Microsoft.ContainerService/managedClusters?api-version=2026-06-01`,
    );
    expect(raw.status).toBe(401);
    expect(raw.body).toEqual({
      error: { code: 'AuthenticationFailed', message: anyString, details: null, subcode: '' },
    });
  });

  it('stops and starts a cluster: Stopping is visible, the pollers complete and powerState follows', async () => {
    const client = aksClient(s, SUB.dev);
    const stop = client.managedClusters.stop('rg-aks-dev-weu', 'aks-dev-weu-01', { updateIntervalInMs: 10 });
    await stop.submitted();
    const during = await client.managedClusters.get('rg-aks-dev-weu', 'aks-dev-weu-01');
    expect(during.provisioningState).toBe('Stopping');
    expect(during.powerState?.code).toBe('Running');
    s.clock.advance(3 * 60_000);
    await stop;
    const stopped = await client.managedClusters.get('rg-aks-dev-weu', 'aks-dev-weu-01');
    expect(stopped).toMatchObject({ provisioningState: 'Succeeded', powerState: { code: 'Stopped' } });
    expect(stopped.agentPoolProfiles?.every((p) => p.powerState?.code === 'Stopped')).toBe(true);

    const start = client.managedClusters.start('rg-aks-dev-weu', 'aks-dev-weu-01', {
      updateIntervalInMs: 10,
    });
    await start.submitted();
    expect((await client.managedClusters.get('rg-aks-dev-weu', 'aks-dev-weu-01')).provisioningState).toBe(
      'Starting',
    );
    s.clock.advance(4 * 60_000);
    await start;
    expect((await client.managedClusters.get('rg-aks-dev-weu', 'aks-dev-weu-01')).powerState?.code).toBe(
      'Running',
    );
  });

  it('answers start and stop with 202, Location and Azure-AsyncOperation on its own origin', async () => {
    const raw = await call(
      s,
      'POST',
      `/subscriptions/${SUB.dev}/resourceGroups/rg-aks-dev-weu/providers/Microsoft.ContainerService/managedClusters/aks-dev-weu-02/stop?api-version=2026-06-01`,
      undefined,
      { auth: true },
    );
    expect(raw.status).toBe(202);
    expect(String(raw.headers.location)).toMatch(
      new RegExp(
        `^${s.arm}/subscriptions/${SUB.dev}/providers/Microsoft.ContainerService/locations/westeurope/operationresults/`,
      ),
    );
    expect(String(raw.headers['azure-asyncoperation'])).toContain('/operations/');
    const running = await call(s, 'GET', String(raw.headers.location), undefined, { auth: true });
    expect(running.status).toBe(202);
    const status = await call(s, 'GET', String(raw.headers['azure-asyncoperation']), undefined, {
      auth: true,
    });
    expect(status.body).toMatchObject({ status: 'InProgress', startTime: anyString });
    s.clock.advance(10 * 60_000);
    expect((await call(s, 'GET', String(raw.headers.location), undefined, { auth: true })).status).toBe(204);
    expect(
      (await call(s, 'GET', String(raw.headers['azure-asyncoperation']), undefined, { auth: true })).body,
    ).toMatchObject({ status: 'Succeeded', endTime: anyString });
  });

  it('refuses to stop a stopped cluster and to start a running one with 409 OperationNotAllowed', async () => {
    const client = aksClient(s, SUB.dev);
    const stopErr = await rejectionOf(
      client.managedClusters.stop('rg-aks-dev-eus', 'aks-dev-eus-01', { updateIntervalInMs: 10 }),
    );
    expect(stopErr).toMatchObject({ statusCode: 409, code: 'OperationNotAllowed' });
    expect(stopErr.message).toContain(
      'managed cluster is not currently running, stopping cannot be performed',
    );
    const startErr = await rejectionOf(
      client.managedClusters.start('rg-aks-dev-weu', 'aks-dev-weu-02', { updateIntervalInMs: 10 }),
    );
    expect(startErr).toMatchObject({ statusCode: 409, code: 'OperationNotAllowed' });
  });

  it('answers 404 for unknown clusters, pools, resource groups and maintenance configurations, and 400 for bad names', async () => {
    const client = aksClient(s, SUB.dev);
    expect(await rejectionOf(client.managedClusters.get('rg-aks-dev-weu', 'nope'))).toMatchObject({
      statusCode: 404,
      code: 'ResourceNotFound',
    });
    expect(await rejectionOf(client.managedClusters.get('rg-missing', 'nope'))).toMatchObject({
      statusCode: 404,
      code: 'ResourceGroupNotFound',
    });
    expect(
      await rejectionOf(client.agentPools.get('rg-aks-dev-weu', 'aks-dev-weu-01', 'pool9')),
    ).toMatchObject({ statusCode: 404, code: 'NotFound' });
    expect(
      await rejectionOf(client.maintenanceConfigurations.get('rg-aks-dev-weu', 'aks-dev-weu-01', 'default')),
    ).toMatchObject({ statusCode: 404 });
    expect(
      await rejectionOf(client.agentPools.get('rg-aks-dev-weu', 'aks-dev-weu-01', 'Bad_Pool')),
    ).toMatchObject({ statusCode: 400, code: 'InvalidParameter' });
  });

  it('serves maintenance configurations verbatim', async () => {
    const client = aksClient(s, SUB.prod);
    const list = [];
    for await (const m of client.maintenanceConfigurations.listByManagedCluster(
      'rg-aks-prod-weu',
      'aks-prod-weu-01',
    ))
      list.push(m);
    expect(list.map((m) => m.name).sort()).toEqual(['aksManagedNodeOSUpgradeSchedule', 'default']);
    const m = await client.maintenanceConfigurations.get(
      'rg-aks-prod-weu',
      'aks-prod-weu-01',
      'aksManagedNodeOSUpgradeSchedule',
    );
    expect(m.maintenanceWindow).toMatchObject({
      durationHours: 4,
      utcOffset: '+01:00',
      startTime: '02:00',
      schedule: { weekly: { dayOfWeek: 'Sunday', intervalWeeks: 1 } },
    });
  });

  it('answers run commands from the fleet file, including the PDBs for kubectl get pdb -A', async () => {
    const client = aksClient(s, SUB.test);
    const poller = client.managedClusters.runCommand(
      'rg-aks-test-weu',
      'aks-test-weu-01',
      { command: 'kubectl get pdb -A' },
      { updateIntervalInMs: 10 },
    );
    await poller.submitted();
    s.clock.advance(10_000);
    const result = await poller;
    expect(result.provisioningState).toBe('succeeded');
    expect(result.exitCode).toBe(0);
    expect(result.logs).toContain('payments-api-pdb');
    expect(result.logs).toMatch(/NAMESPACE\s+NAME\s+MIN AVAILABLE/);
  });

  it('lists Kubernetes versions by location with derived upgrade edges', async () => {
    const r = await aksClient(s, SUB.dev).managedClusters.listKubernetesVersions('westeurope');
    const v133 = r.values?.find((v) => v.version === '1.33');
    expect(v133?.isDefault).toBe(true);
    expect(v133?.patchVersions?.['1.33.4']?.upgrades).toEqual(['1.33.5', '1.34.0', '1.34.1', '1.34.2']);
    expect(r.values?.find((v) => v.version === '1.31')?.capabilities?.supportPlan).toEqual([
      'AKSLongTermSupport',
    ]);
    expect(r.values?.find((v) => v.version === '1.35')?.isPreview).toBe(true);
  });
});
