import { runPowerSchedule } from '../../shared/power/runPowerSchedule';
import {
  approveRun,
  requestUpgrade,
  advanceRun,
  isTerminalRun,
  type UpgradeRun,
} from '../../shared/upgrades/api';
import { admin } from '../sim/simClient';
import type { TestApp } from '../support/app';
import { newPrefix, processOf } from './drive';
import { startUpgradeApp, upgradeTestFleet } from './fleet';

describe('an upgrade run and the power schedule', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startUpgradeApp(
      upgradeTestFleet(
        // Stopped, and scheduled to stop every 10 minutes past the hour and start at 07:00 UTC.
        { 'aks-stopped': (c) => void (c.tags = { 'day2-stop': '10 * * * *', 'day2-start': '0 7 * * *' }) },
        ['aks-stopped'],
      ),
    );
  });
  afterAll(async () => {
    await app.close();
  });

  it('leaves a cluster alone while its upgrade run has not ended, and the run stops the cluster it woke', async () => {
    const deps = processOf(app, newPrefix());
    const r = await requestUpgrade(deps, {
      cluster: 'aks-stopped',
      wake: true,
      requireApproval: true,
      requestedBy: 'http:alice',
    });
    if (r.dryRun) throw new Error('expected a run');
    const skipped: string[] = [];
    let run: UpgradeRun | undefined = r.run;
    for (let i = 0; i < 30 && run && !isTerminalRun(run.state); i++) {
      run = await advanceRun(deps, r.run.id);
      // Started, checked and waiting for approval (at rest): the stop edge passes meanwhile.
      if (run?.state === 'AwaitingApproval' && app.sim.clock.now().getUTCHours() >= 7)
        run = await approveRun(deps, r.run.id, 'http:bob');
      const tick = await runPowerSchedule(deps, { actor: 'timer', dryRun: false });
      for (const o of tick.outcomes)
        if (o.cluster.name === 'aks-stopped' && o.outcome === 'Skipped') skipped.push(o.reason);
      expect(
        tick.outcomes.filter((o) => o.cluster.name === 'aks-stopped' && o.outcome === 'InProgress'),
      ).toEqual([]);
      await admin(app.sim, 'POST', '/clock/advance', { minutes: 10 });
    }
    expect(run?.state).toBe('Succeeded');
    expect(skipped.some((s) => s.includes(`upgrade run ${r.run.id}`))).toBe(true);
    const mc = await app.azure
      .aks(r.run.cluster.subscriptionId)
      .managedClusters.get(r.run.cluster.resourceGroup, 'aks-stopped');
    expect(mc.powerState?.code).toBe('Stopped');
  });
});
