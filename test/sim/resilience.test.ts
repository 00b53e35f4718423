import type { SimHandle } from '../../shared/sim/server';
import { admin, aksClient, call, rejectionOf, sim, SUB } from './simClient';

interface Counters {
  total: number;
  byOperation: Record<string, number>;
  bySubscription: Record<string, number>;
  byStatus: Record<string, number>;
}

describe('simulated throttling and faults', () => {
  let s: SimHandle;
  beforeEach(async () => {
    s = await sim({ speed: 0 });
  });
  afterEach(async () => {
    await s.close();
  });

  it('throttles reads per subscription with 429 Throttled and Retry-After, which the SDK absorbs', async () => {
    await admin(s, 'POST', '/throttling', { reads: { bucket: 2, refillPerSecond: 4 } });
    const direct = [];
    for (let i = 0; i < 3; i++) {
      direct.push(
        await call(
          s,
          'GET',
          `/subscriptions/${SUB.prod}/resourceGroups/rg-aks-prod-weu/providers/Microsoft.ContainerService/managedClusters/aks-prod-weu-01?api-version=2026-06-01`,
          undefined,
          { auth: true },
        ),
      );
    }
    const refused = direct.find((r) => r.status === 429);
    expect(refused?.headers['retry-after']).toBe('1');
    expect(refused?.headers['x-ms-ratelimit-remaining-subscription-reads']).toBe('0');
    expect(refused?.body).toMatchObject({ error: { code: 'Throttled' } });

    await admin(s, 'DELETE', '/counters');
    const client = aksClient(s, SUB.dev);
    for (let i = 0; i < 4; i++) await client.managedClusters.get('rg-aks-dev-weu', 'aks-dev-weu-01');
    const counters = await admin<Counters>(s, 'GET', '/counters');
    expect(counters.byStatus['429']).toBeGreaterThan(0);
    expect(counters.byStatus['200']).toBe(4);
    expect(counters.bySubscription[SUB.dev]).toBe(counters.total);
  }, 20_000);

  it('answers a 503 fault twice for matching requests, and the SDK retries through it', async () => {
    await admin(s, 'POST', '/faults', {
      type: 'httpStatus',
      match: { operation: 'ManagedClusters_Get' },
      status: 503,
      times: 2,
    });
    await admin(s, 'DELETE', '/counters');
    const mc = await aksClient(s, SUB.dev).managedClusters.get('rg-aks-dev-weu', 'aks-dev-weu-01');
    expect(mc.name).toBe('aks-dev-weu-01');
    const counters = await admin<Counters>(s, 'GET', '/counters');
    expect(counters.byStatus).toEqual({ '503': 2, '200': 1 });
    expect(counters.byOperation.ManagedClusters_Get).toBe(3);
  });

  it('adds latency to matching requests', async () => {
    await admin(s, 'POST', '/faults', { type: 'latency', match: { path: 'agentPools' }, ms: 300, times: 1 });
    const t = Date.now();
    await aksClient(s, SUB.dev).agentPools.get('rg-aks-dev-weu', 'aks-dev-weu-01', 'system');
    expect(Date.now() - t).toBeGreaterThanOrEqual(290);
    const { faults } = await admin<{ faults: unknown[] }>(s, 'GET', '/faults');
    expect(faults).toHaveLength(1);
    await admin(s, 'DELETE', '/faults');
    expect((await admin<{ faults: unknown[] }>(s, 'GET', '/faults')).faults).toHaveLength(0);
  });

  it('fails a given pool upgrade with an injected UpgradeFailed and leaves the pool Failed', async () => {
    await admin(s, 'POST', '/faults', {
      type: 'operationFailure',
      cluster: 'aks-prod-eus-01',
      pool: 'apps',
      operation: 'nodeImageUpgrade',
      code: 'UpgradeFailed',
    });
    const client = aksClient(s, SUB.prod);
    const poller = client.agentPools.upgradeNodeImageVersion('rg-aks-prod-eus', 'aks-prod-eus-01', 'apps', {
      updateIntervalInMs: 10,
    });
    await poller.submitted();
    s.clock.advance(60 * 60_000);
    const err = await rejectionOf(poller);
    expect(err.message).toContain('UpgradeFailed');
    expect(err.message).toContain('Drain node aks-apps-');
    expect(
      (await client.agentPools.get('rg-aks-prod-eus', 'aks-prod-eus-01', 'apps')).provisioningState,
    ).toBe('Failed');
    // the fault fired once: the retry succeeds
    const retry = client.agentPools.upgradeNodeImageVersion('rg-aks-prod-eus', 'aks-prod-eus-01', 'apps', {
      updateIntervalInMs: 10,
    });
    await retry.submitted();
    s.clock.advance(60 * 60_000);
    await retry;
    expect(
      (await client.agentPools.get('rg-aks-prod-eus', 'aks-prod-eus-01', 'apps')).provisioningState,
    ).toBe('Succeeded');
  });

  it('fails a stop on demand with the injected code', async () => {
    await admin(s, 'POST', '/faults', {
      type: 'operationFailure',
      cluster: 'aks-dev-weu-02',
      operation: 'stop',
      code: 'VMExtensionError',
      message: 'stop failed on purpose',
      afterSeconds: 10,
    });
    const client = aksClient(s, SUB.dev);
    const poller = client.managedClusters.stop('rg-aks-dev-weu', 'aks-dev-weu-02', {
      updateIntervalInMs: 10,
    });
    await poller.submitted();
    s.clock.advance(20_000);
    expect((await rejectionOf(poller)).message).toContain('VMExtensionError. stop failed on purpose');
    expect((await client.managedClusters.get('rg-aks-dev-weu', 'aks-dev-weu-02')).powerState?.code).toBe(
      'Running',
    );
  });

  it('starts a stop and then cuts the connection, so the client never hears that ARM accepted it', async () => {
    await admin(s, 'POST', '/faults', {
      type: 'dropResponse',
      match: { operation: 'ManagedClusters_Stop' },
      times: 1,
    });
    const client = aksClient(s, SUB.dev);
    const poller = client.managedClusters.stop('rg-aks-dev-weu', 'aks-dev-weu-01');
    // The SDK retries the cut connection; its retry finds the stop already running and gets AKS's 409.
    const err = await rejectionOf(poller.submitted());
    expect(err).toMatchObject({ statusCode: 409, code: 'OperationNotAllowed' });
    const mc = await client.managedClusters.get('rg-aks-dev-weu', 'aks-dev-weu-01');
    expect(mc.provisioningState).toBe('Stopping');
    const { faults } = await admin<{ faults: Array<{ type: string; used: number }> }>(s, 'GET', '/faults');
    expect(faults).toEqual([expect.objectContaining({ type: 'dropResponse', used: 1 })]);
  });

  it('never drops the answer to a request ARM refused', async () => {
    await admin(s, 'POST', '/faults', {
      type: 'dropResponse',
      match: { operation: 'ManagedClusters_Start' },
    });
    const client = aksClient(s, SUB.dev);
    // aks-dev-weu-01 runs: AKS refuses the start (409), and a refusal is answered, not dropped.
    const err = await rejectionOf(
      client.managedClusters.start('rg-aks-dev-weu', 'aks-dev-weu-01').submitted(),
    );
    expect(err).toMatchObject({ statusCode: 409 });
    const { faults } = await admin<{ faults: Array<{ used: number }> }>(s, 'GET', '/faults');
    expect(faults[0]?.used).toBe(0);
  });

  it('rejects a malformed fault with a 400 naming the problem', async () => {
    const r = await call(s, 'POST', '/admin/faults', { type: 'httpStatus', status: 200 });
    expect(r.status).toBe(400);
    expect(r.text).toContain('status');
  });
});
