import { simAdmin } from '../../shared/local/simAdmin';
import { runNodeImage } from '../../shared/nodeimage/runNodeImage';
import { runSweep } from '../../shared/sweeper/runSweep';
import { demoFleet } from '../../shared/sim/fleet/demoFleet';
import type { FleetFile } from '../../shared/sim/fleet/schema';
import { armCalls, LATEST_UBUNTU, logRows, nodeImageOps, one, THURSDAY } from '../nodeimage/helpers';
import { brief, PARIS_OFFICE, powerFleet, powerOf } from '../power/intSupport';
import { startTestApp, type TestApp } from '../support/app';
import { dyingAt, type KillPoint } from '../support/dying';
import { chatopsPower, rowsOfRun } from './support';

const minutes = (iso: string, n: number): string => new Date(Date.parse(iso) + n * 60_000).toISOString();

/** The demo fleet with only aks-dev-weu-01 upgrading node images (`auto`); every other cluster reported only. */
function oneAutoCluster(): FleetFile {
  const fleet = demoFleet();
  for (const s of fleet.subscriptions)
    for (const g of s.resourceGroups ?? [])
      for (const c of g.clusters ?? [])
        if (c.name !== 'aks-dev-weu-01') c.tags = { ...c.tags, 'day2-node-image': 'notify' };
  return fleet;
}

describe('an operation whose process died before AKS answered: found from ARM, acted on once, never a false outcome', () => {
  let app: TestApp;
  afterEach(async () => app?.close());

  async function nodeImageRunKilledAt(at: KillPoint): Promise<void> {
    app = await startTestApp({
      fleet: oneAutoCluster(),
      speed: 0,
      startTime: THURSDAY,
      env: { DAY2_MAINTENANCE_WINDOW: 'daily 00:00-23:59' },
    });
    const dying = dyingAt(app.deps, at);
    void runNodeImage(dying.deps);
    await dying.killed;
  }

  const setClock = (iso: string) => simAdmin(app.sim, 'POST', '/clock/set', { time: iso });

  it('upgrades the pool once on the next run when the process died after recording its intent, before the request left', async () => {
    await nodeImageRunKilledAt({ method: 'intend', when: 'after' });
    expect(await armCalls(app, 'AgentPools_UpgradeNodeImageVersion')).toBe(0);

    await setClock(minutes(THURSDAY, 4)); // the dead run's lease ran out
    const next = await runNodeImage(app.deps);
    expect(one(next.run, 'aks-dev-weu-01', 'apps').outcome).toBe('InProgress');
    expect(await armCalls(app, 'AgentPools_UpgradeNodeImageVersion')).toBe(1);
    expect(
      app.logs.some((l) =>
        /node-image-upgrade on aks-dev-weu-01\/apps \(operation .*\) was not accepted by AKS \(ARM shows no trace of it/.test(
          l,
        ),
      ),
    ).toBe(true);
    // The crashed attempt left no record claiming an outcome: the only operation is the one just started.
    expect((await nodeImageOps(app)).map((o) => `${o.nodePool} ${o.status}`)).toEqual(['apps InProgress']);
    expect(
      (await logRows(app)).filter(
        (r) => r.Cluster === 'aks-dev-weu-01' && (r.Outcome === 'Succeeded' || r.Outcome === 'Failed'),
      ),
    ).toEqual([]);
  });

  it('follows the upgrade AKS accepted when the process died before recording the answer, and never sends it again', async () => {
    await nodeImageRunKilledAt({ method: 'submitted', when: 'before' });
    expect(await armCalls(app, 'AgentPools_UpgradeNodeImageVersion')).toBe(1);

    // The sweeper (every minute) finds it from ARM once the dead run's lease ran out: running, followed from the pool.
    await setClock(minutes(THURSDAY, 4));
    const swept = await runSweep(app.deps);
    expect(swept).toMatchObject({ stillRunning: 1, runs: [] });
    expect(
      (await app.deps.state.operations.inFlight()).map(
        (o) => `${o.cluster.name}/${o.nodePool} ${o.recovered}`,
      ),
    ).toEqual(['aks-dev-weu-01/apps true']);
    // The job's next run does not send it again.
    const next = await runNodeImage(app.deps);
    expect(
      next.run.outcomes.filter((o) => o.cluster.name === 'aks-dev-weu-01' && o.outcome !== 'Skipped'),
    ).toEqual([]);
    expect(await armCalls(app, 'AgentPools_UpgradeNodeImageVersion')).toBe(1);

    await setClock(minutes(THURSDAY, 120));
    const sweep = await runSweep(app.deps);
    expect(brief(sweep.runs)).toEqual(['aks-dev-weu-01 node-image-upgrade Succeeded']);
    expect(sweep.runs[0]!.outcomes[0]!.reason).toContain('found from ARM');
    expect(
      (await logRows(app))
        .filter((r) => r.RunId === sweep.runs[0]!.runId)
        .map((r) => `${String(r.Job)} ${String(r.Outcome)}`),
    ).toEqual(['node-image Succeeded']);
    expect((await nodeImageOps(app)).map((o) => `${o.nodePool} ${o.status} ${o.toVersion}`)).toEqual([
      `apps Succeeded ${LATEST_UBUNTU}`,
    ]);
    expect(await armCalls(app, 'AgentPools_UpgradeNodeImageVersion')).toBe(1);
  });

  describe('a stop asked from ChatOps', () => {
    const NOON = '2026-06-08T10:00:00Z'; // no schedule edge near

    beforeEach(async () => {
      app = await startTestApp({
        fleet: powerFleet([{ name: 'aks-manual', tags: PARIS_OFFICE }]),
        startTime: NOON,
        speed: 0,
      });
    });

    async function killedAt(at: KillPoint): Promise<void> {
      const dying = dyingAt(app.deps, at);
      void chatopsPower(app, 'stop', 'aks-manual', dying.deps);
      await dying.killed;
    }

    it('records nothing and leaves the cluster free when the worker died before the request left', async () => {
      await killedAt({ method: 'intend', when: 'after' });
      app.sim.clock.set(minutes(NOON, 4));
      expect((await runSweep(app.deps)).runs).toEqual([]); // no outcome invented
      expect(
        app.logs.some((l) => /stop on aks-manual \(operation .*\) was not accepted by AKS/.test(l)),
      ).toBe(true);
      expect(await app.deps.state.operations.history()).toEqual([]);
      expect(await armCalls(app, 'ManagedClusters_Stop')).toBe(0);
      expect(await powerOf(app, 'aks-manual')).toBe('Running/Succeeded');

      const again = await chatopsPower(app, 'stop', 'aks-manual');
      expect(await rowsOfRun(app, again)).toEqual([
        expect.objectContaining({ Action: 'stop', Outcome: 'InProgress' }),
      ]);
      expect(await armCalls(app, 'ManagedClusters_Stop')).toBe(1);
    });

    it('records the true outcome of a stop AKS accepted when the worker died before recording the answer', async () => {
      await killedAt({ method: 'submitted', when: 'before' });
      expect(await powerOf(app, 'aks-manual')).toBe('Running/Stopping');

      app.sim.clock.set(minutes(NOON, 4));
      const sweep = await runSweep(app.deps);
      expect(brief(sweep.runs)).toEqual(['aks-manual stop Succeeded']);
      expect(sweep.runs[0]!.outcomes[0]!.reason).toMatch(/^stop completed \(found from ARM/);
      expect(
        (await rowsOfRun(app, sweep.runs[0]!.runId)).map(
          (r) => `${String(r.Job)} ${String(r.Action)} ${String(r.Outcome)}`,
        ),
      ).toEqual(['power-schedule stop Succeeded']);
      expect((await app.deps.state.operations.history()).map((o) => o.status)).toEqual(['Succeeded']);
      expect(await armCalls(app, 'ManagedClusters_Stop')).toBe(1);
    });

    it('follows a stop whose answer was lost on the connection instead of recording it Failed', async () => {
      await simAdmin(app.sim, 'POST', '/faults', {
        type: 'dropResponse',
        match: { operation: 'ManagedClusters_Stop' },
        times: 1,
      });
      const run = await chatopsPower(app, 'stop', 'aks-manual');
      const rows = await rowsOfRun(app, run);
      expect(rows).toEqual([expect.objectContaining({ Action: 'stop', Outcome: 'InProgress' })]);
      expect(String(rows[0]!.Reason)).toContain('its answer was lost on the way');
      expect((await app.deps.state.operations.inFlight()).map((o) => o.status)).toEqual(['InProgress']);

      app.sim.clock.set(minutes(NOON, 3));
      const sweep = await runSweep(app.deps);
      expect(brief(sweep.runs)).toEqual(['aks-manual stop Succeeded']);
      expect((await app.deps.state.operations.history()).map((o) => o.status)).toEqual(['Succeeded']);
      expect(await powerOf(app, 'aks-manual')).toBe('Stopped/Succeeded');
    });
  });
});
