import { createAzureClients } from '../../shared/azure/clients';
import { discoverFleet } from '../../shared/fleet/inventory';
import { silentLogger, type Logger } from '../../shared/log';
import { simAdmin } from '../../shared/local/simAdmin';
import type { CounterSnapshot } from '../../shared/sim/counters';
import { generatedFleet } from '../../shared/sim/fleet/generate';
import { startTestApp, type TestApp } from '../support/app';

function collecting(): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    log: {
      info: (m) => void lines.push(`info: ${m}`),
      warn: (m) => void lines.push(`warn: ${m}`),
      error: (m) => void lines.push(`error: ${m}`),
    },
  };
}

describe('fleet discovery through Azure Resource Graph', () => {
  let app: TestApp;
  afterEach(async () => app?.close());

  it('finds 5,000 clusters in 500 subscriptions with at most 10 requests', async () => {
    app = await startTestApp({ fleet: generatedFleet({ clusters: 5000, subscriptions: 500, seed: 11 }) });
    await simAdmin(app.sim, 'DELETE', '/counters');
    const inv = await discoverFleet(app.azure, [], silentLogger);
    const c = await simAdmin<CounterSnapshot>(app.sim, 'GET', '/counters');
    expect(inv.source).toBe('resource-graph');
    expect(inv.subscriptions).toHaveLength(500);
    expect(inv.clusters).toHaveLength(5000);
    expect(new Set(inv.clusters.map((x) => x.id.toLowerCase())).size).toBe(5000);
    // The subscriptions list (5 pages of 100 on the simulator), then 5 pages of 1,000 clusters.
    expect(c.byOperation).toEqual({ Subscriptions_List: 5, Resources: 5 });
    expect(c.total).toBeLessThanOrEqual(10);
  });

  it('gives the same cluster snapshots as the ARM listing', async () => {
    app = await startTestApp();
    const arm = createAzureClients({ ...app.settings, discovery: 'arm' });
    const [graph, listed] = await Promise.all([
      discoverFleet(app.azure, [], silentLogger),
      discoverFleet(arm, [], silentLogger),
    ]);
    expect(graph.source).toBe('resource-graph');
    expect(listed.source).toBe('arm');
    expect(graph.clusters.length).toBeGreaterThanOrEqual(12);
    expect(graph.clusters).toEqual(listed.clusters);
    expect(graph.subscriptions).toEqual(listed.subscriptions);
  });

  it.each([
    ['refused (403)', 403, 'AuthorizationFailed', /Resource Graph refused the query/],
    ['failing (400)', 400, 'BadRequest', /Resource Graph failed/],
  ])(
    'lists through ARM when Resource Graph is %s, and says so in the log',
    async (_what, status, code, said) => {
      app = await startTestApp();
      await simAdmin(app.sim, 'POST', '/faults', {
        type: 'httpStatus',
        status,
        code,
        match: { operation: 'Resources' },
      });
      await simAdmin(app.sim, 'DELETE', '/counters');
      const { log, lines } = collecting();
      const inv = await discoverFleet(app.azure, [], log);
      expect(inv.source).toBe('arm');
      expect(inv.clusters.length).toBeGreaterThanOrEqual(12);
      expect(inv.failures).toEqual([]);
      const warned = lines.filter((l) => l.startsWith('warn: '));
      expect(warned).toHaveLength(1);
      expect(warned[0]).toMatch(said);
      expect(warned[0]).toContain('listing each subscription through ARM instead');
      const c = await simAdmin<CounterSnapshot>(app.sim, 'GET', '/counters');
      expect(c.byOperation['Resources']).toBe(1);
      expect(c.byOperation['ManagedClusters_List']).toBeGreaterThan(0);
    },
  );
});
