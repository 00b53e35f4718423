import { simAdmin } from '../../shared/local/simAdmin';
import { acquire } from '../../shared/operations/lifecycle';
import { advanceRun, requestUpgrade, type UpgradeRun } from '../../shared/upgrades/api';
import { setEngineHooks } from '../../shared/upgrades/engine';
import type { TestApp } from '../support/app';
import { stepsOf } from '../upgrades/drive';
import { idOf, NOW, putsOf, RG, startUpgradeApp, SUB } from '../upgrades/fleet';

const minutes = (n: number): string => new Date(Date.parse(NOW) + n * 60_000).toISOString();

/** The run carried as far as it goes now, `passes` times (the sweeper, events and the worker each do one pass). */
async function passes(app: TestApp, id: string, n = 3): Promise<UpgradeRun> {
  let run: UpgradeRun | undefined;
  for (let i = 0; i < n; i++) run = await advanceRun(app.deps, id);
  return run!;
}

describe("an upgrade run's step: the same guards as every other operation", () => {
  let app: TestApp;
  afterEach(async () => app?.close());

  async function runOn(cluster: string): Promise<UpgradeRun> {
    const r = await requestUpgrade(app.deps, { cluster, requestedBy: 'http:alice' });
    if (r.dryRun) throw new Error('expected a run');
    return r.run;
  }

  it('waits without a PUT while another aks-day2 operation holds the cluster, and goes on once the holder is found dead', async () => {
    app = await startUpgradeApp();
    const run = await runOn('aks-ok'); // pre-checked while the cluster was free
    // Then another process took the cluster's lock (a stop it is about to send).
    const holder = await acquire(app.deps, {
      runId: 'another-process',
      job: 'power-schedule',
      action: 'stop',
      actor: 'timer',
      cluster: { id: idOf('aks-ok'), name: 'aks-ok', subscriptionId: SUB, resourceGroup: RG },
    });
    expect(holder).toBeDefined();

    const held = await passes(app, run.id);
    expect(held.state).not.toMatch(/Failed|Succeeded/);
    expect(stepsOf(held)).toContain('control-plane 1.33.3: Running');
    expect((await putsOf(app, 'aks-ok')).received).toBe(0);
    expect(
      app.logs.some((l) =>
        l.includes(
          `upgrade: run ${run.id}: aks-ok is held by another aks-day2 operation; step control-plane waits`,
        ),
      ),
    ).toBe(true);

    // The holder never came back: once its lease ran out (it had sent nothing) the step takes the lock over.
    await simAdmin(app.sim, 'POST', '/clock/set', { time: minutes(4) });
    await passes(app, run.id, 1);
    expect(await putsOf(app, 'aks-ok')).toMatchObject({ cluster: 1, received: 1 });
    expect(app.logs.some((l) => l.includes(`(operation ${holder!.op.id}) was never submitted to AKS`))).toBe(
      true,
    );
  });

  it("waits on AKS's 409 at submit time instead of failing the run, and sends the step again on the next pass", async () => {
    app = await startUpgradeApp();
    await simAdmin(app.sim, 'POST', '/faults', {
      type: 'httpStatus',
      status: 409,
      code: 'OperationNotAllowed',
      message:
        'Operation is not allowed: Another operation (Updating) is in progress, please wait for it to finish before starting a new operation.',
      match: { operation: 'ManagedClusters_CreateOrUpdate', cluster: 'aks-ok' },
      times: 1,
    });
    const run = await runOn('aks-ok');

    let refused = run;
    for (let i = 0; i < 5 && (await putsOf(app, 'aks-ok')).received === 0; i++)
      refused = await passes(app, run.id, 1);
    expect(refused.state).not.toMatch(/Failed/);
    expect(await putsOf(app, 'aks-ok')).toMatchObject({ cluster: 0, received: 1 });
    expect((await app.deps.state.operations.history()).filter((o) => o.status === 'Failed')).toEqual([]);
    expect(app.logs.some((l) => /control-plane not accepted now \(Conflict\)/.test(l))).toBe(true);

    await passes(app, run.id, 1);
    expect(await putsOf(app, 'aks-ok')).toMatchObject({ cluster: 1, received: 2 });
    expect((await app.deps.state.operations.inFlight()).map((o) => `${o.job} ${o.action}`)).toEqual([
      expect.stringMatching(/^upgrade /),
    ]);
  });

  it('releases the lock and sends nothing when the re-read after the lock finds the cluster busy, and sends the step once it is idle', async () => {
    app = await startUpgradeApp();
    const run = await runOn('aks-ok');
    const clusters = app.azure.aks(SUB).managedClusters;
    // The lock took longer than DAY2_LISTING_MAX_AGE_SECONDS (30 s), so the step's read is stale and read
    // again; someone else's update (a PUT of the cluster) lands between the step's lock and that re-read.
    const update = updateAtLock(async () => {
      await simAdmin(app.sim, 'POST', '/clock/set', {
        time: new Date(Date.parse(NOW) + 31_000).toISOString(),
      });
    });
    try {
      const waiting = await passes(app, run.id, 1);
      expect(update.landed()).toBe(true);
      expect(stepsOf(waiting)).toContain('control-plane 1.33.3: Running');
      expect(await putsOf(app, 'aks-ok')).toMatchObject({ cluster: 1, received: 1 }); // the other update only
      expect((await clusters.get(RG, 'aks-ok')).kubernetesVersion).toBe('1.33.2');
      expect(await app.deps.state.operations.inFlight()).toEqual([]); // the lock was released, nothing recorded

      await simAdmin(app.sim, 'POST', '/clock/set', { time: minutes(2) }); // the update ended
      await passes(app, run.id, 1);
      expect(await putsOf(app, 'aks-ok')).toMatchObject({ cluster: 2, received: 2 });
      expect((await clusters.get(RG, 'aks-ok')).kubernetesVersion).toBe('1.33.3');
    } finally {
      update.remove();
    }
  });

  it('sends the step on its read before the lock while that read is fresh: one read, and a cluster gone busy meanwhile is refused by AKS (409), the step waits', async () => {
    app = await startUpgradeApp();
    const run = await runOn('aks-ok');
    const clusters = app.azure.aks(SUB).managedClusters;
    // Someone else's update lands between the step's read and its lock, within the freshness bound.
    const update = updateAtLock(
      async () => undefined,
      () => simAdmin(app.sim, 'DELETE', '/counters'),
    );
    try {
      const waiting = await passes(app, run.id, 1);
      expect(update.landed()).toBe(true);
      // No re-read after the lock: the PUT went out, AKS refused it, and one read checked that AKS did
      // not take it after all (an answer lost to a retry); the re-read would have been a second GET.
      const counted = await simAdmin<{ byOperation: Record<string, number> }>(app.sim, 'GET', '/counters');
      expect(counted.byOperation).toEqual({ ManagedClusters_CreateOrUpdate: 1, ManagedClusters_Get: 1 });
      expect(stepsOf(waiting)).toContain('control-plane 1.33.3: Running');
      expect(await putsOf(app, 'aks-ok')).toMatchObject({ cluster: 1, received: 2 }); // the other update, and ours refused
      expect((await clusters.get(RG, 'aks-ok')).kubernetesVersion).toBe('1.33.2');
      expect(await app.deps.state.operations.inFlight()).toEqual([]);
      expect(app.logs.some((l) => /control-plane not accepted now \(Conflict\)/.test(l))).toBe(true);

      await simAdmin(app.sim, 'POST', '/clock/set', { time: minutes(1) }); // the update ended
      await passes(app, run.id, 1);
      expect(await putsOf(app, 'aks-ok')).toMatchObject({ cluster: 2, received: 3 });
      expect((await clusters.get(RG, 'aks-ok')).kubernetesVersion).toBe('1.33.3');
    } finally {
      update.remove();
    }
  });

  /**
   * Someone else's update (a PUT of the cluster) lands once, when the control-plane step has just taken
   * the cluster's lock: `before` runs first, `after` once it landed.
   */
  function updateAtLock(
    before: () => Promise<unknown>,
    after: () => Promise<unknown> = async () => undefined,
  ): { landed(): boolean; remove(): void } {
    const clusters = app.azure.aks(SUB).managedClusters;
    let landed = false;
    const remove = setEngineHooks({
      at: async (point, step) => {
        if (point !== 'lock-taken' || step.kind !== 'control-plane' || landed) return;
        landed = true;
        await before();
        await clusters.createOrUpdate(RG, 'aks-ok', await clusters.get(RG, 'aks-ok')).submitted();
        await after();
      },
    });
    return { landed: () => landed, remove };
  }
});
