import { discoverFleet } from '../../shared/fleet/inventory';
import { silentLogger } from '../../shared/log';
import { simAdmin } from '../../shared/local/simAdmin';
import { DEMO_SUBSCRIPTIONS } from '../../shared/sim/fleet/demoFleet';
import { generatedFleet } from '../../shared/sim/fleet/generate';
import type { CounterSnapshot } from '../../shared/sim/counters';
import { startTestApp, type TestApp } from '../support/app';

describe('fleet discovery through the real SDK against the simulator', () => {
  let app: TestApp;
  afterEach(async () => app?.close());

  it('lists every subscription once and every cluster with one paged list per subscription', async () => {
    app = await startTestApp({
      fleet: generatedFleet({ clusters: 250, subscriptions: 5, seed: 3 }),
      env: { DAY2_DISCOVERY: 'arm' },
    });
    await simAdmin(app.sim, 'POST', '/paging', { pageSize: 20 });
    await simAdmin(app.sim, 'DELETE', '/counters');
    const inv = await discoverFleet(app.azure, [], silentLogger);
    expect(inv.subscriptions).toHaveLength(5);
    expect(inv.clusters).toHaveLength(250);
    expect(new Set(inv.clusters.map((c) => c.id.toLowerCase())).size).toBe(250);
    const counters = await simAdmin<CounterSnapshot>(app.sim, 'GET', '/counters');
    // 1 subscriptions list + ceil(50 / 20) = 3 pages in each of 5 subscriptions; no per-cluster GET.
    expect(counters.byOperation['ManagedClusters_Get'] ?? 0).toBe(0);
    expect(counters.byOperation['ManagedClusters_List']).toBe(15);
    expect(counters.total).toBe(16);
  });

  it('reads versions, power state, pools and tags of the demo fleet', async () => {
    app = await startTestApp();
    const inv = await discoverFleet(app.azure, [], silentLogger);
    expect(inv.subscriptions.sort()).toEqual(Object.values(DEMO_SUBSCRIPTIONS).sort());
    expect(inv.clusters.length).toBeGreaterThanOrEqual(12);
    expect(new Set(inv.clusters.map((c) => c.location)).size).toBeGreaterThanOrEqual(3);
    expect(inv.clusters.some((c) => c.powerState === 'Stopped')).toBe(true);
    expect(inv.clusters.some((c) => /^prod(uction)?$/i.test(c.tags.environment ?? c.tags.env ?? ''))).toBe(
      true,
    );
    for (const c of inv.clusters) {
      expect(c.kubernetesVersion).toMatch(/^\d+\.\d+\.\d+$/);
      expect(c.pools.length).toBeGreaterThan(0);
      for (const p of c.pools) expect(p.nodeImageVersion).toMatch(/-\d+\.\d+\.\d+$/);
    }
  });

  it('restricts discovery to DAY2_SUBSCRIPTIONS when it is set', async () => {
    app = await startTestApp();
    const one = Object.values(DEMO_SUBSCRIPTIONS)[0]!;
    const inv = await discoverFleet(app.azure, [one], silentLogger);
    expect(inv.subscriptions).toEqual([one]);
    expect(inv.clusters.length).toBeGreaterThan(0);
    expect(inv.clusters.every((c) => c.subscriptionId === one)).toBe(true);
  });

  it('goes on with the other subscriptions and reports the one that fails', async () => {
    app = await startTestApp({ env: { DAY2_DISCOVERY: 'arm' } });
    const [bad, ...good]: string[] = Object.values(DEMO_SUBSCRIPTIONS);
    await simAdmin(app.sim, 'POST', '/faults', {
      type: 'httpStatus',
      status: 403,
      code: 'AuthorizationFailed',
      match: { operation: 'ManagedClusters_List', subscription: bad },
    });
    const inv = await discoverFleet(app.azure, [], silentLogger);
    expect(inv.failures).toHaveLength(1);
    expect(inv.failures[0]!.subscriptionId).toBe(bad);
    expect(inv.failures[0]!.error.code).toBe('Forbidden');
    expect(inv.failures[0]!.error.message).toContain('Microsoft.ContainerService/managedClusters/read');
    expect(inv.clusters.length).toBeGreaterThan(0);
    expect(inv.clusters.every((c) => good.includes(c.subscriptionId))).toBe(true);
  });
});
