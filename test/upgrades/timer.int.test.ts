import { InvocationContext, type Timer } from '@azure/functions';
import { kubernetesUpgrade } from '../../functions/kubernetesUpgrade';
import { createStateStore } from '../../shared/state/stateStore';
import { listRuns } from '../../shared/upgrades/api';
import { runKubernetesUpgrade } from '../../shared/upgrades/runKubernetesUpgrade';
import { runSweep } from '../../shared/sweeper/runSweep';
import { admin } from '../sim/simClient';
import { startTestApp, type TestApp } from '../support/app';
import { logRows } from './drive';
import { NOW, upgradeTestFleet } from './fleet';

const timer: Timer = {
  isPastDue: false,
  schedule: { adjustForDST: false },
  scheduleStatus: { last: '', next: '', lastUpdated: '' },
};

const ringed = () =>
  upgradeTestFleet(
    {
      'aks-ok': (c) => void (c.tags = { 'day2-upgrade': 'patch', 'day2-ring': '0' }),
      'aks-prod': (c) => void (c.tags = { environment: 'prod', 'day2-upgrade': 'patch', 'day2-ring': '1' }),
      'aks-channel': (c) => void (c.tags = {}),
    },
    ['aks-ok', 'aks-prod', 'aks-channel'],
  );

describe('the kubernetesUpgrade timer', () => {
  it('starts the runs of ring 0 inside the window and reports why the others wait, as the Functions host calls it', async () => {
    const saved = { ...process.env };
    const app = await startTestApp({
      isolatedStorage: true,
      startTime: NOW,
      fleet: ringed(),
      env: { DAY2_MAINTENANCE_WINDOW: 'daily 00:00-00:00' },
    });
    try {
      Object.assign(process.env, app.env);
      await kubernetesUpgrade(timer, new InvocationContext({ functionName: 'kubernetesUpgrade' }));
      const rows = (await logRows(app)).filter((r) => r.Job === 'upgrade' && r.Action === 'upgrade');
      expect(rows.find((r) => r.Cluster === 'aks-ok')).toMatchObject({
        Outcome: 'InProgress',
        ToVersion: '1.33.3',
        Actor: 'timer',
      });
      expect(rows.find((r) => r.Cluster === 'aks-prod')).toMatchObject({ Outcome: 'Skipped' });
      expect(String(rows.find((r) => r.Cluster === 'aks-prod')?.Reason)).toContain('ring 0 goes first');
      expect(String(rows.find((r) => r.Cluster === 'aks-channel')?.Reason)).toContain('only reported');
      const state = createStateStore(app.settings.storageConnectionString);
      const runs = (await listRuns({ state })).runs;
      expect(runs.map((r) => [r.cluster.name, r.request.unattended, r.requestedBy])).toEqual([
        ['aks-ok', true, 'timer'],
      ]);
    } finally {
      process.env = { ...saved };
      await app.close();
    }
  });
});

describe('an unattended wave', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({
      speed: 0,
      startTime: NOW,
      fleet: ringed(),
      env: { DAY2_MAINTENANCE_WINDOW: 'daily 00:00-00:00' },
    });
    await admin(app.sim, 'POST', '/timings', { runCommandSeconds: 0 });
  });
  afterAll(async () => {
    await app.close();
  });

  it('goes ring by ring: ring 1 after ring 0 ended and soaked; a prod cluster in it still waits for approval', async () => {
    await runKubernetesUpgrade(app.deps);
    for (let i = 0; i < 12; i++) {
      await runSweep(app.deps);
      await admin(app.sim, 'POST', '/clock/advance', { minutes: 10 });
    }
    const first = (await listRuns(app.deps)).runs;
    expect(first.map((r) => [r.cluster.name, r.state])).toEqual([['aks-ok', 'Succeeded']]);

    const soaking = await runKubernetesUpgrade(app.deps);
    expect(soaking.plan.decisions.find((d) => d.cluster.name === 'aks-prod')).toMatchObject({
      kind: 'ring-waits',
    });

    await admin(app.sim, 'POST', '/clock/advance', { minutes: 25 * 60 });
    const next = await runKubernetesUpgrade(app.deps);
    expect(next.plan.decisions.find((d) => d.cluster.name === 'aks-prod')).toMatchObject({
      kind: 'upgrade',
      to: '1.33.3',
    });
    const prod = (
      await listRuns(app.deps, {
        cluster: next.plan.decisions.find((d) => d.cluster.name === 'aks-prod')!.cluster.id,
      })
    ).runs[0];
    expect(prod?.state).toBe('AwaitingApproval');
  });
});

describe('the requests of an unattended wave', () => {
  /** Four westeurope clusters on 1.33.2, each tagged for a patch upgrade in ring 0. */
  const names = ['aks-ok', 'aks-prod', 'aks-protect', 'aks-channel'];
  const ringZeroWave = () =>
    upgradeTestFleet(
      Object.fromEntries(
        names.map((n) => [
          n,
          (c: { tags?: Record<string, string>; upgradeChannel?: string }) => {
            c.tags = { 'day2-upgrade': 'patch', 'day2-ring': '0' };
            delete c.upgradeChannel;
          },
        ]),
      ),
      names,
    );
  async function startWaveApp(fleet: ReturnType<typeof upgradeTestFleet>): Promise<TestApp> {
    const app = await startTestApp({
      speed: 0,
      startTime: NOW,
      fleet,
      env: { DAY2_MAINTENANCE_WINDOW: 'daily 00:00-00:00' },
    });
    await admin(app.sim, 'POST', '/timings', { runCommandSeconds: 0 });
    return app;
  }

  it("reads what a region shares once, and each cluster once for its facts and once before its step's PUT, however many runs start", async () => {
    const fleet = ringZeroWave();
    const app = await startWaveApp(fleet);
    try {
      await admin(app.sim, 'DELETE', '/counters');
      const { run } = await runKubernetesUpgrade(app.deps);
      expect(run.outcomes.map((o) => `${o.cluster.name} ${o.outcome}`).sort()).toEqual(
        names.map((n) => `${n} InProgress`).sort(),
      );
      const counted = await admin<{ byOperation: Record<string, number> }>(app.sim, 'GET', '/counters');
      expect(counted.byOperation).toMatchObject({
        // One region: read for the plan, and the same answer serves every run's pre-checks.
        ManagedClusters_ListKubernetesVersions: 1,
        // Per cluster: its facts, then the control-plane step's read just before its PUT (fresh: not read again
        // after the lock).
        ManagedClusters_Get: 2 * names.length,
        ManagedClusters_CreateOrUpdate: names.length,
        AgentPools_List: names.length,
      });
    } finally {
      await app.close();
    }
  });

  it("settles a step on one read of its resource when it shows the step's effect, then reads the next step's pool once before its PUT", async () => {
    const fleet = upgradeTestFleet(
      { 'aks-ok': (c) => void (c.tags = { 'day2-upgrade': 'patch', 'day2-ring': '0' }) },
      ['aks-ok'],
    );
    const app = await startWaveApp(fleet);
    try {
      await runKubernetesUpgrade(app.deps);
      await admin(app.sim, 'POST', '/clock/advance', { minutes: 60 }); // the control plane is done
      await admin(app.sim, 'DELETE', '/counters');
      await runSweep(app.deps);
      const counted = await admin<{ byOperation: Record<string, number> }>(app.sim, 'GET', '/counters');
      expect(counted.byOperation).toEqual({
        // The control plane's settle: the cluster at rest on the target version is AKS's answer (its
        // status is not read, nor the cluster again); the first pool step's read of its cluster (at
        // rest?) and pool, and its PUT.
        ManagedClusters_Get: 2,
        AgentPools_Get: 1,
        AgentPools_CreateOrUpdate: 1,
      });
      const [run] = (await listRuns(app.deps)).runs;
      expect(run!.steps.map((s) => `${s.kind}${s.pool ? ` ${s.pool}` : ''} ${s.status}`)).toEqual([
        'pre-checks Succeeded',
        'control-plane Succeeded',
        'pool system Running',
        'pool apps Pending',
        'post-checks Pending',
      ]);
    } finally {
      await app.close();
    }
  });

  it("checks a wave's runs against the vCPU quota together: those that fit start, the others wait for them (Skipped, not Failed)", async () => {
    const fleet = ringZeroWave();
    // 20 vCPUs free in the pools' family: each cluster's two surge nodes take 8, so two runs fit, not four.
    fleet.subscriptions[0]!.quotas = {
      westeurope: { standardDDSv5Family: { limit: 100, currentValue: 80 } },
    };
    const app = await startWaveApp(fleet);
    try {
      await admin(app.sim, 'DELETE', '/counters');
      const { run } = await runKubernetesUpgrade(app.deps);
      const outcomes = run.outcomes.map((o) => o.outcome).sort();
      expect(outcomes).toEqual(['InProgress', 'InProgress', 'Skipped', 'Skipped']);
      const waiting = run.outcomes.filter((o) => o.outcome === 'Skipped');
      for (const o of waiting) {
        expect(o.reason).toContain(
          'quota: the surge nodes fit the vCPU quota, but not beside those of the runs this wave started first: standardDDSv5Family needs 8 vCPUs, 4 free',
        );
        expect(o.details?.prechecks).toEqual([
          expect.objectContaining({ check: 'quota', kind: 'quota-held-by-wave' }),
        ]);
      }
      const counted = await admin<{ byOperation: Record<string, number> }>(app.sim, 'GET', '/counters');
      expect(counted.byOperation.Usage_List).toBe(1); // one region: its usage read once for the wave
    } finally {
      await app.close();
    }
  });
});
