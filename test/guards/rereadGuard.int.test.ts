import type { ManagedCluster } from '@azure/arm-containerservice';
import { simAdmin } from '../../shared/local/simAdmin';
import { runNodeImage } from '../../shared/nodeimage/runNodeImage';
import { findCluster } from '../../shared/power/findCluster';
import { runPowerSchedule } from '../../shared/power/runPowerSchedule';
import type { RunRecord } from '../../shared/records/outcome';
import { armCalls, LATEST_UBUNTU, logRows, nodeImageOps, one, THURSDAY } from '../nodeimage/helpers';
import {
  brief,
  cardText,
  client,
  PARIS_OFFICE,
  powerFleet,
  powerOf,
  RG,
  rowsOf,
  tickAt,
} from '../power/intSupport';
import { startTestApp, type TestApp } from '../support/app';
import { latencyGate } from '../support/latencyGate';
import { cardOfRun, chatopsPower, rowsOfRun } from './support';

// Monday 8 June 2026, 19:00 Paris = 17:00Z: aks-reread's stop edge.
const EDGE = '2026-06-08T17:00:00Z';

/**
 * The re-read is the last look at the resource before anything is asked of AKS. Each test changes the
 * resource in the gap between the listing the job planned on (Resource Graph, the default: never fresh
 * enough to stand in) and that re-read, which the simulator holds until the change is made.
 */
describe('the re-read before a change: a resource that became busy or already changed is left alone', () => {
  let app: TestApp;
  afterEach(async () => app?.close());

  /** The stop edge's tick, with `change` made to aks-reread after the listing and before the re-read. */
  async function stopTickChangedBeforeReread(
    change: (mc: ManagedCluster) => Promise<void>,
  ): Promise<RunRecord> {
    const gate = latencyGate();
    app = await startTestApp({
      fleet: powerFleet([{ name: 'aks-reread', tags: PARIS_OFFICE }]),
      startTime: '2026-06-08T16:55:00Z',
      speed: 0,
      sleep: gate.sleep,
    });
    await tickAt(app, '2026-06-08T16:55:00Z');
    const mc = await client(app).managedClusters.get(RG, 'aks-reread');
    await simAdmin(app.sim, 'POST', '/faults', {
      type: 'latency',
      match: { operation: 'ManagedClusters_Get', cluster: 'aks-reread' },
      ms: 1000,
      times: 1,
    });
    app.sim.clock.set(EDGE);
    const tick = runPowerSchedule(app.deps);
    await gate.held; // the tick planned on a running, idle cluster and holds its lock; its re-read waits
    await change(mc);
    await simAdmin(app.sim, 'DELETE', '/counters');
    gate.open();
    return tick;
  }

  const stopsSent = async (): Promise<number> => armCalls(app, 'ManagedClusters_Stop');

  it('defers a scheduled stop when the re-read finds the cluster busy, sends nothing, and stops it on the next tick', async () => {
    const run = await stopTickChangedBeforeReread(async (mc) => {
      // Someone else's update (a PUT of the cluster): AKS shows Updating for 30 virtual seconds.
      await client(app).managedClusters.createOrUpdate(RG, 'aks-reread', mc).submitted();
      expect(await powerOf(app, 'aks-reread')).toBe('Running/Updating');
    });
    expect(brief(run)).toEqual(['aks-reread stop Skipped']);
    expect(run.outcomes[0]!.reason).toMatch(
      /^deferred: an operation is in progress on the cluster \(Updating\); retrying next tick/,
    );
    expect(run.outcomes[0]!.details).toMatchObject({ deferred: true });
    expect(await stopsSent()).toBe(0);
    expect(await rowsOf(app, run)).toEqual([
      expect.objectContaining({ Action: 'stop', Outcome: 'Skipped', Reason: run.outcomes[0]!.reason }),
    ]);
    expect(await app.deps.state.operations.history()).toEqual([]); // nothing was asked of AKS: no record

    // The edge was not consumed and the lock is free: once the update ended, the next tick stops it.
    const next = await tickAt(app, '2026-06-08T17:05:00Z');
    expect(brief(next)).toEqual(['aks-reread stop InProgress']);
    expect(await stopsSent()).toBe(1);
  });

  it('records a scheduled stop as already done when the re-read finds the cluster stopped, and sends nothing', async () => {
    const run = await stopTickChangedBeforeReread(async () => {
      // Someone stopped it by hand meanwhile, and the stop ended.
      await client(app).managedClusters.stop(RG, 'aks-reread').submitted();
      app.sim.clock.advance(3 * 60_000);
      expect(await powerOf(app, 'aks-reread')).toBe('Stopped/Succeeded');
    });
    expect(brief(run)).toEqual(['aks-reread stop Skipped']);
    expect(run.outcomes[0]!.reason).toMatch(
      /^already stopped when re-read before the change \(stop edge 19:00/,
    );
    expect(run.outcomes[0]!.details?.deferred).toBeUndefined();
    expect(await stopsSent()).toBe(0);
    expect(await rowsOf(app, run)).toEqual([
      expect.objectContaining({ Action: 'stop', Outcome: 'Skipped', Reason: run.outcomes[0]!.reason }),
    ]);
    expect(await cardText(app, run)).toBeUndefined(); // a skip only: no card
    expect(await app.deps.state.operations.history()).toEqual([]);
    // The edge is consumed: the next tick neither stops it nor says it again.
    expect(brief(await tickAt(app, '2026-06-08T17:05:00Z'))).toEqual([]);
    expect(await stopsSent()).toBe(0);
  });

  /** The node-image run on THURSDAY (window open), with `change` made to aks-dev-weu-01/apps before its re-read. */
  async function nodeImageRunChangedBeforeReread(
    change: (pools: ReturnType<TestApp['azure']['aks']>['agentPools'], rg: string) => Promise<void>,
  ): Promise<RunRecord> {
    const gate = latencyGate();
    app = await startTestApp({
      speed: 0,
      startTime: THURSDAY,
      env: { DAY2_MAINTENANCE_WINDOW: 'daily 00:00-23:59' },
      sleep: gate.sleep,
    });
    const c = await findCluster(app.azure, app.settings.subscriptions, 'aks-dev-weu-01', app.deps.log);
    await simAdmin(app.sim, 'POST', '/faults', {
      type: 'latency',
      match: { operation: 'AgentPools_Get', cluster: 'aks-dev-weu-01' },
      ms: 1000,
      times: 1,
    });
    const run = runNodeImage(app.deps);
    await gate.held;
    await change(app.azure.aks(c.subscriptionId).agentPools, c.resourceGroup);
    await simAdmin(app.sim, 'DELETE', '/counters');
    gate.open();
    return (await run).run;
  }

  const upgradesSent = async (): Promise<number> => armCalls(app, 'AgentPools_UpgradeNodeImageVersion');

  async function poolRows(run: RunRecord): Promise<Array<Record<string, unknown>>> {
    return (await logRows(app)).filter(
      (r) => r.RunId === run.runId && r.Cluster === 'aks-dev-weu-01' && r.NodePool === 'apps',
    );
  }

  it('skips a node-image upgrade when the re-read finds the pool busy, and sends nothing', async () => {
    const run = await nodeImageRunChangedBeforeReread(async (pools, rg) => {
      await pools.upgradeNodeImageVersion(rg, 'aks-dev-weu-01', 'apps').submitted(); // someone else's roll
    });
    expect(one(run, 'aks-dev-weu-01', 'apps')).toMatchObject({
      outcome: 'Skipped',
      reason: 'pool busy: provisioningState UpgradingNodeImageVersion; waiting for the next run',
    });
    expect(await upgradesSent()).toBe(0);
    expect(await poolRows(run)).toEqual([expect.objectContaining({ Outcome: 'Skipped' })]);
    expect((await nodeImageOps(app)).filter((o) => o.cluster.name === 'aks-dev-weu-01')).toEqual([]);
    expect((await app.deps.state.operations.inFlight()).map((o) => o.cluster.name)).not.toContain(
      'aks-dev-weu-01',
    );
  });

  it('records a pool already on the latest image at the re-read as such, and sends nothing', async () => {
    const run = await nodeImageRunChangedBeforeReread(async (pools, rg) => {
      await pools.upgradeNodeImageVersion(rg, 'aks-dev-weu-01', 'apps').submitted();
      app.sim.clock.advance(2 * 3_600_000); // the roll ended: the pool runs the latest image
      expect((await pools.get(rg, 'aks-dev-weu-01', 'apps')).nodeImageVersion).toBe(LATEST_UBUNTU);
    });
    expect(one(run, 'aks-dev-weu-01', 'apps')).toMatchObject({
      outcome: 'Skipped',
      reason: `pool already runs ${LATEST_UBUNTU}`,
    });
    expect(await upgradesSent()).toBe(0);
    expect(await poolRows(run)).toEqual([
      expect.objectContaining({ Outcome: 'Skipped', Reason: `pool already runs ${LATEST_UBUNTU}` }),
    ]);
    expect((await nodeImageOps(app)).filter((o) => o.cluster.name === 'aks-dev-weu-01')).toEqual([]);
  });

  it.each([
    ['stop', 'a stopped cluster', 'Stopped' as const, undefined, /^already stopped$/],
    [
      'start',
      'a cluster someone is stopping',
      'Running' as const,
      'stop' as const,
      /^an operation is in progress on the cluster \(Stopping\)$/,
    ],
  ])(
    'answers a ChatOps %s of %s with a skip that says why, and sends nothing',
    async (action, _what, powerState, before, reason) => {
      app = await startTestApp({
        fleet: powerFleet([{ name: 'aks-asked', tags: PARIS_OFFICE, powerState }]),
        startTime: '2026-06-08T10:00:00Z',
        speed: 0,
      });
      if (before) await client(app).managedClusters[before](RG, 'aks-asked').submitted();
      await simAdmin(app.sim, 'DELETE', '/counters');
      const run = await chatopsPower(app, action as 'stop' | 'start', 'aks-asked');
      const rows = await rowsOfRun(app, run);
      expect(rows).toEqual([expect.objectContaining({ Action: action, Outcome: 'Skipped' })]);
      expect(String(rows[0]!.Reason)).toMatch(reason);
      expect(await cardOfRun(app, run)).toContain('aks-asked'); // the person who asked gets a card
      expect(await armCalls(app, 'ManagedClusters_Stop')).toBe(0);
      expect(await armCalls(app, 'ManagedClusters_Start')).toBe(0);
      expect(await app.deps.state.operations.history()).toEqual([]);
    },
  );
});
