import { createAzureClients } from '../../shared/azure/clients';
import { discoverFleet } from '../../shared/fleet/inventory';
import { silentLogger, type Logger } from '../../shared/log';
import { simAdmin } from '../../shared/local/simAdmin';
import type { CounterSnapshot } from '../../shared/sim/counters';
import { generatedFleet } from '../../shared/sim/fleet/generate';
import { startTestApp, type TestApp } from '../support/app';

const EMPTY = '0e0e0e0e-0000-4000-8000-00000000000e';
const HIDDEN = '0f0f0f0f-0000-4000-8000-00000000000f';

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

  it('finds 5,000 clusters in 500 configured subscriptions with 5 queries, asking nothing more when every subscription has clusters', async () => {
    const fleet = generatedFleet({ clusters: 5000, subscriptions: 500, seed: 11 });
    app = await startTestApp({ fleet });
    await simAdmin(app.sim, 'DELETE', '/counters');
    const inv = await discoverFleet(app.azure, app.sim.subscriptions, silentLogger);
    const c = await simAdmin<CounterSnapshot>(app.sim, 'GET', '/counters');
    expect(inv.clusters).toHaveLength(5000);
    expect(inv.failures).toEqual([]);
    expect(c.byOperation).toEqual({ Resources: 5 });
  });

  it('reports a configured subscription Resource Graph does not see, and not one that merely has no clusters', async () => {
    const fleet = generatedFleet({ clusters: 4, subscriptions: 2, seed: 3 });
    const empty = { ...fleet.subscriptions[0]!, id: EMPTY, displayName: 'empty', resourceGroups: [] };
    const hidden = { ...fleet.subscriptions[1]!, id: HIDDEN, displayName: 'hidden', readable: false };
    fleet.subscriptions = [fleet.subscriptions[0]!, empty, hidden];
    app = await startTestApp({ fleet });
    await simAdmin(app.sim, 'DELETE', '/counters');
    const { log, lines } = collecting();
    const configured = [fleet.subscriptions[0]!.id, EMPTY, HIDDEN];
    const inv = await discoverFleet(app.azure, configured, log);
    const c = await simAdmin<CounterSnapshot>(app.sim, 'GET', '/counters');
    expect(inv.source).toBe('resource-graph');
    expect(inv.clusters.map((x) => x.subscriptionId)).toEqual(
      Array(2).fill(fleet.subscriptions[0]!.id) as string[],
    );
    expect(inv.failures.map((f) => [f.subscriptionId, f.error.code, f.error.operation])).toEqual([
      [HIDDEN, 'Forbidden', 'list clusters'],
    ]);
    expect(inv.failures[0]!.error.message).toContain('Microsoft.ContainerService/managedClusters/read');
    expect(lines.filter((l) => l.startsWith('error: '))).toEqual([
      expect.stringContaining(`inventory: could not list clusters of subscription ${HIDDEN}`),
    ]);
    // The clusters query, then one small query for the two subscriptions without a cluster row.
    expect(c.byOperation).toEqual({ Resources: 2 });
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
