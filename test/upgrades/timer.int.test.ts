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
