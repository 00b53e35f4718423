import type { ClusterRef } from '../../shared/fleet/cluster';
import { simAdmin } from '../../shared/local/simAdmin';
import { acquire } from '../../shared/operations/lifecycle';
import { runNodeImage } from '../../shared/nodeimage/runNodeImage';
import { findCluster } from '../../shared/power/findCluster';
import { runPowerSchedule } from '../../shared/power/runPowerSchedule';
import { runSweep } from '../../shared/sweeper/runSweep';
import {
  armCalls,
  LATEST_UBUNTU,
  nodeImageOps,
  one,
  startWindowOpenApp,
  THURSDAY,
} from '../nodeimage/helpers';
import {
  brief,
  client,
  PARIS_OFFICE,
  powerFleet,
  powerOf,
  RG,
  rowsOf,
  SUB,
  tickAt,
} from '../power/intSupport';
import { startTestApp, type TestApp } from '../support/app';
import { dyingAt } from '../support/dying';
import { cardOfRun, chatopsPower, rowsOfRun } from './support';

// Monday 8 June 2026, 19:00 Paris = 17:00Z: aks-held's stop edge. A holder's lease is 3 minutes.
const EDGE = '2026-06-08T17:00:00Z';

const minutes = (iso: string, n: number): string => new Date(Date.parse(iso) + n * 60_000).toISOString();

describe('a cluster another aks-day2 operation holds is left alone until its holder is found dead', () => {
  let app: TestApp;
  afterEach(async () => app?.close());

  async function heldCluster(app: TestApp): Promise<ClusterRef> {
    const mc = await client(app).managedClusters.get(RG, 'aks-held');
    return { id: mc.id!, name: 'aks-held', subscriptionId: SUB, resourceGroup: RG };
  }

  it('defers a scheduled stop while another process holds the cluster, then takes the lock over once its lease ran out', async () => {
    app = await startTestApp({
      fleet: powerFleet([{ name: 'aks-held', tags: PARIS_OFFICE }]),
      startTime: '2026-06-08T16:55:00Z',
      speed: 0,
    });
    await tickAt(app, '2026-06-08T16:55:00Z');
    const cluster = await heldCluster(app);
    // Another process (a node-image run) took the cluster's lock a minute before the edge.
    app.sim.clock.set(minutes(EDGE, -1));
    const holder = await acquire(app.deps, {
      runId: 'another-process',
      job: 'node-image',
      action: 'node-image-upgrade',
      actor: 'timer',
      cluster,
      nodePool: 'system',
    });
    expect(holder).toBeDefined();
    await simAdmin(app.sim, 'DELETE', '/counters');

    const run = await tickAt(app, EDGE);
    expect(brief(run)).toEqual(['aks-held stop Skipped']);
    expect(run.outcomes[0]!.reason).toMatch(
      /^deferred: another aks-day2 operation holds the cluster; retrying next tick/,
    );
    expect(run.outcomes[0]!.details).toMatchObject({ deferred: true });
    expect(await armCalls(app, 'ManagedClusters_Stop')).toBe(0);
    expect(await powerOf(app, 'aks-held')).toBe('Running/Succeeded');
    expect(await rowsOf(app, run)).toEqual([
      expect.objectContaining({ Action: 'stop', Outcome: 'Skipped', Reason: run.outcomes[0]!.reason }),
    ]);
    expect((await app.deps.state.operations.pendingHolder(cluster.id))?.id).toBe(holder!.op.id);

    // The holder never came back: at the next tick its lease ran out; it had sent nothing, so the lock is taken over.
    const next = await tickAt(app, minutes(EDGE, 5));
    expect(brief(next)).toEqual(['aks-held stop InProgress']);
    expect(await armCalls(app, 'ManagedClusters_Stop')).toBe(1);
    expect(
      app.logs.some((l) =>
        l.includes(
          `node-image-upgrade on aks-held/system (operation ${holder!.op.id}) was never submitted to AKS`,
        ),
      ),
    ).toBe(true);
    expect((await app.deps.state.operations.history()).map((o) => `${o.action} ${o.status}`)).toEqual([
      'stop InProgress',
    ]);
  });

  it('skips a node-image upgrade while another process holds the cluster, then takes the lock over once its lease ran out', async () => {
    app = await startWindowOpenApp();
    const cluster = await findCluster(app.azure, app.settings.subscriptions, 'aks-dev-weu-01', app.deps.log);
    const holder = await acquire(app.deps, {
      runId: 'another-process',
      job: 'power-schedule',
      action: 'stop',
      actor: 'timer',
      cluster,
      startedAt: new Date(Date.parse(THURSDAY) - 60_000),
    });
    expect(holder).toBeDefined();
    const pools = app.azure.aks(cluster.subscriptionId).agentPools;

    const first = await runNodeImage(app.deps);
    expect(one(first.run, 'aks-dev-weu-01', 'apps')).toMatchObject({
      outcome: 'Skipped',
      reason: 'another aks-day2 operation holds the cluster; the next run tries again',
    });
    const apps = await pools.get(cluster.resourceGroup, cluster.name, 'apps');
    expect(apps.provisioningState).toBe('Succeeded');
    expect(apps.nodeImageVersion).not.toBe(LATEST_UBUNTU);
    expect((await nodeImageOps(app)).filter((o) => o.cluster.name === 'aks-dev-weu-01')).toEqual([]);

    await simAdmin(app.sim, 'POST', '/clock/set', { time: minutes(THURSDAY, 3) });
    const next = await runNodeImage(app.deps);
    expect(one(next.run, 'aks-dev-weu-01', 'apps').outcome).toBe('InProgress');
    expect((await pools.get(cluster.resourceGroup, cluster.name, 'apps')).provisioningState).toBe(
      'UpgradingNodeImageVersion',
    );
    expect(
      app.logs.some((l) =>
        l.includes(`stop on aks-dev-weu-01 (operation ${holder!.op.id}) was never submitted`),
      ),
    ).toBe(true);
  });

  it("refuses a ChatOps start while a crashed tick's stop still runs on AKS, and records that stop from ARM instead of losing it", async () => {
    app = await startTestApp({
      fleet: powerFleet([{ name: 'aks-held', tags: PARIS_OFFICE }]),
      startTime: minutes(EDGE, -1),
      speed: 0,
    });
    await simAdmin(app.sim, 'POST', '/timings', { stopSeconds: 900 });
    // The tick at the edge sent the stop and died before recording AKS's answer.
    app.sim.clock.set(EDGE);
    const dying = dyingAt(app.deps, { method: 'submitted', when: 'before' });
    void runPowerSchedule(dying.deps);
    await dying.killed;
    expect(await powerOf(app, 'aks-held')).toBe('Running/Stopping');
    await simAdmin(app.sim, 'DELETE', '/counters');

    // Within the dead tick's lease: held.
    app.sim.clock.set(minutes(EDGE, 1));
    const early = await chatopsPower(app, 'start', 'aks-held');
    expect(await rowsOfRun(app, early)).toEqual([
      expect.objectContaining({
        Action: 'start',
        Outcome: 'Skipped',
        Reason: 'another aks-day2 operation holds the cluster; try again later',
      }),
    ]);

    // Its lease ran out: its stop is found running on AKS, recorded in flight, and the cluster stays held.
    app.sim.clock.set(minutes(EDGE, 4));
    const late = await chatopsPower(app, 'start', 'aks-held');
    expect(await rowsOfRun(app, late)).toEqual([
      expect.objectContaining({ Action: 'start', Outcome: 'Skipped' }),
    ]);
    expect(await cardOfRun(app, late)).toContain('another aks-day2 operation holds the cluster');
    expect(await armCalls(app, 'ManagedClusters_Start')).toBe(0);
    expect(
      (await app.deps.state.operations.inFlight()).map((o) => `${o.action} ${o.status} ${o.recovered}`),
    ).toEqual(['stop InProgress true']);
    expect(app.logs.some((l) => l.includes('its holder died after AKS accepted it'))).toBe(true);

    // The sweeper records how the stop ended, under the power schedule.
    app.sim.clock.set(minutes(EDGE, 16));
    const sweep = await runSweep(app.deps);
    expect(brief(sweep.runs)).toEqual(['aks-held stop Succeeded']);
    expect(sweep.runs[0]!.outcomes[0]!.reason).toContain('found from ARM');
    expect(await powerOf(app, 'aks-held')).toBe('Stopped/Succeeded');
  });
});
