import { getRun, requestUpgrade } from '../../shared/upgrades/api';
import { drive, newPrefix, processOf } from './drive';
import { startUpgradeApp, upgradeTestFleet } from './fleet';

describe('upgrade run retention', () => {
  it('prunes ended runs created before the cutoff and keeps a run that has not ended, whatever its age', async () => {
    const app = await startUpgradeApp(upgradeTestFleet({}, ['aks-ok', 'aks-prod']));
    try {
      const deps = processOf(app, newPrefix());
      const ended = await requestUpgrade(deps, { cluster: 'aks-ok', requestedBy: 'http:alice' });
      const waiting = await requestUpgrade(deps, { cluster: 'aks-prod', requestedBy: 'http:alice' });
      if (ended.dryRun || waiting.dryRun) throw new Error('expected runs');
      expect((await drive(app, () => deps, ended.run.id)).state).toBe('Succeeded');
      expect((await drive(app, () => deps, waiting.run.id)).state).toBe('AwaitingApproval');
      const cutoff = new Date(app.sim.clock.now().getTime() + 86_400_000);
      expect(await deps.state.upgradeRuns.prune(cutoff)).toBe(1);
      expect(await getRun(deps, ended.run.id)).toBeUndefined();
      expect((await getRun(deps, waiting.run.id))?.state).toBe('AwaitingApproval');
    } finally {
      await app.close();
    }
  });
});
