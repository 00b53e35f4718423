import { discoverFleet } from '../../shared/fleet/inventory';
import { silentLogger } from '../../shared/log';
import { simAdmin } from '../../shared/local/simAdmin';
import { runNodeImage } from '../../shared/nodeimage/runNodeImage';
import type { RunRecord } from '../../shared/records/outcome';
import type { CounterSnapshot } from '../../shared/sim/counters';
import type { FleetFile } from '../../shared/sim/fleet/schema';
import type { SimOperation } from '../../shared/sim/operations';
import { brief, client, PARIS_OFFICE, powerFleet, powerOf, RG, tickAt } from '../power/intSupport';
import { startTestApp, type TestApp } from '../support/app';

/** Long enough that every change in these tests is still unseen by Resource Graph when the job lists. */
const LAG_SECONDS = 600;

async function counted(app: TestApp, operation: string): Promise<number> {
  const c = await simAdmin<CounterSnapshot>(app.sim, 'GET', '/counters');
  return c.byOperation[operation] ?? 0;
}

/** What Resource Graph shows of a cluster now, through the app's own discovery. */
async function listedState(app: TestApp, name: string): Promise<string> {
  const inv = await discoverFleet(app.azure, [], silentLogger);
  expect(inv.source).toBe('resource-graph');
  const c = inv.clusters.find((x) => x.name === name);
  return c ? `${c.powerState}/${c.provisioningState}` : 'absent';
}

async function lagApp(
  fleet: FleetFile,
  startTime: string,
  env: Record<string, string> = {},
): Promise<TestApp> {
  const app = await startTestApp({
    fleet,
    startTime,
    speed: 0,
    env: { DAY2_DISCOVERY: 'resource-graph', ...env },
  });
  await simAdmin(app.sim, 'POST', '/resource-graph', { lagSeconds: LAG_SECONDS });
  return app;
}

const outcome = (run: RunRecord, name: string) => {
  const found = run.outcomes.filter((o) => o.cluster.name === name);
  expect(found).toHaveLength(1);
  return found[0]!;
};

describe('jobs on a Resource Graph listing that lags ARM', () => {
  let app: TestApp | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('does not stop a second time a cluster stopped through ARM that Resource Graph still shows running, and says it was already stopped', async () => {
    // 19:00 in Paris is 17:00 UTC in June; the cluster was stopped by hand at 16:56 (done by 16:58).
    app = await lagApp(powerFleet([{ name: 'aks-lag-stop', tags: PARIS_OFFICE }]), '2026-06-08T16:56:00Z');
    await client(app).managedClusters.beginStop(RG, 'aks-lag-stop');
    app.sim.clock.set('2026-06-08T17:00:00Z');
    expect(await powerOf(app, 'aks-lag-stop')).toBe('Stopped/Succeeded');
    expect(await listedState(app, 'aks-lag-stop')).toBe('Running/Succeeded');

    await simAdmin(app.sim, 'DELETE', '/counters');
    const run = await tickAt(app, '2026-06-08T17:00:00Z');
    expect(brief(run)).toEqual(['aks-lag-stop stop Skipped']);
    expect(outcome(run, 'aks-lag-stop').reason).toMatch(/^already stopped when re-read before the change/);
    expect(await counted(app, 'ManagedClusters_Stop')).toBe(0);
    expect(await counted(app, 'ManagedClusters_Get')).toBe(1);
    expect(await powerOf(app, 'aks-lag-stop')).toBe('Stopped/Succeeded');
  });

  it('defers the start of a cluster that is starting in ARM but idle in Resource Graph, and records it started on the next tick without a second start', async () => {
    // 07:30 in Paris is 05:30 UTC in June; someone started the cluster at 05:29 (Starting for 180 s).
    app = await lagApp(
      powerFleet([{ name: 'aks-lag-start', tags: PARIS_OFFICE, powerState: 'Stopped' }]),
      '2026-06-08T05:29:00Z',
    );
    await client(app).managedClusters.beginStart(RG, 'aks-lag-start');
    app.sim.clock.set('2026-06-08T05:30:00Z');
    expect(await powerOf(app, 'aks-lag-start')).toBe('Stopped/Starting');
    expect(await listedState(app, 'aks-lag-start')).toBe('Stopped/Succeeded');

    await simAdmin(app.sim, 'DELETE', '/counters');
    const busy = await tickAt(app, '2026-06-08T05:30:00Z');
    expect(brief(busy)).toEqual(['aks-lag-start start Skipped']);
    expect(outcome(busy, 'aks-lag-start')).toMatchObject({
      reason: expect.stringMatching(
        /^deferred: an operation is in progress on the cluster \(Starting\)/,
      ) as unknown,
      details: { deferred: true },
    });

    // Next tick: ARM shows it running; Resource Graph still shows it stopped (as of 05:25).
    app.sim.clock.set('2026-06-08T05:35:00Z');
    expect(await listedState(app, 'aks-lag-start')).toBe('Stopped/Succeeded');
    const next = await tickAt(app, '2026-06-08T05:35:00Z');
    expect(brief(next)).toEqual(['aks-lag-start start Skipped']);
    expect(outcome(next, 'aks-lag-start').reason).toMatch(/^already running when re-read before the change/);
    // The edge is handled now: the tick after that does nothing more with it.
    expect(brief(await tickAt(app, '2026-06-08T05:40:00Z'))).toEqual([]);
    expect(await counted(app, 'ManagedClusters_Start')).toBe(0);
    expect(await powerOf(app, 'aks-lag-start')).toBe('Running/Succeeded');
  });
});

const OLD = 'AKSUbuntu-2204gen2containerd-202602.04.0';
const NEW = 'AKSUbuntu-2204gen2containerd-202603.01.0';

function imageFleet(): FleetFile {
  return powerFleet([{ name: 'aks-lag-image', tags: { 'day2-node-image': 'auto', 'day2-ring': '0' } }], {
    locations: {
      westeurope: {
        kubernetesVersions: [{ version: '1.33', patches: ['1.33.5'], isDefault: true }],
        latestNodeImages: [NEW],
      },
    },
  });
}

describe('the node-image job on a Resource Graph listing that lags ARM', () => {
  let app: TestApp | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('waits while the pool upgrades in ARM and does not upgrade it again once ARM shows the new image', async () => {
    const fleet = imageFleet();
    fleet.subscriptions[0]!.resourceGroups![0]!.clusters![0]!.pools[0]!.nodeImageVersion = OLD;
    app = await lagApp(fleet, '2026-01-15T06:00:00Z', { DAY2_MAINTENANCE_WINDOW: 'daily 00:00-23:59' });
    // Someone upgrades the pool's node image outside aks-day2 (one batch of 150 s).
    await client(app).agentPools.beginUpgradeNodeImageVersion(RG, 'aks-lag-image', 'system');
    app.sim.clock.set('2026-01-15T06:00:30Z');

    const during = await runNodeImage(app.deps);
    expect(outcome(during.run, 'aks-lag-image')).toMatchObject({
      action: 'node-image-upgrade',
      outcome: 'Skipped',
      reason: expect.stringMatching(/^pool busy: provisioningState UpgradingNodeImageVersion/) as unknown,
    });

    app.sim.clock.set('2026-01-15T06:05:00Z');
    const pool = await client(app).agentPools.get(RG, 'aks-lag-image', 'system');
    expect(pool).toMatchObject({ nodeImageVersion: NEW, provisioningState: 'Succeeded' });
    const inv = await discoverFleet(app.azure, [], silentLogger);
    expect(inv.clusters[0]!.pools[0]).toMatchObject({
      nodeImageVersion: OLD,
      provisioningState: 'Succeeded',
    });

    const after = await runNodeImage(app.deps);
    expect(outcome(after.run, 'aks-lag-image')).toMatchObject({
      action: 'node-image-upgrade',
      outcome: 'Skipped',
      reason: `pool already runs ${NEW}`,
    });
    const { operations } = await simAdmin<{ operations: SimOperation[] }>(app.sim, 'GET', '/operations');
    expect(operations.filter((o) => o.kind === 'nodeImageUpgrade')).toHaveLength(1);
    expect(await app.deps.state.operations.history({ job: 'node-image' })).toEqual([]);
  });
});
