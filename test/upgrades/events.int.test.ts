import { handleAksEvents } from '../../shared/events/handleAksEvents';
import { parseAksEvents } from '../../shared/events/parse';
import type { Deps } from '../../shared/deps';
import { advanceRun, getRun, requestUpgrade, type UpgradeRun } from '../../shared/upgrades/api';
import { admin } from '../sim/simClient';
import type { TestApp } from '../support/app';
import { drive, newPrefix, processOf, stepsOf } from './drive';
import { idOf, putsOf, startUpgradeApp, upgradeTestFleet } from './fleet';

function poolEvent(
  cluster: string,
  pool: string,
  kind: 'Started' | 'Succeeded' | 'Failed',
  id: string,
  time: Date,
) {
  return {
    topic: idOf(cluster),
    subject: cluster,
    eventType: `Microsoft.ContainerService.NodePoolRolling${kind}`,
    id,
    data: { nodePoolName: pool },
    dataVersion: '1',
    metadataVersion: '1',
    eventTime: time.toISOString(),
  };
}

async function deliver(deps: Deps, events: unknown[]): Promise<void> {
  for (const e of events) await handleAksEvents(deps, parseAksEvents([e]));
}

describe('NodePoolRolling events and upgrade runs', () => {
  let app: TestApp;
  let deps: Deps;
  beforeAll(async () => {
    app = await startUpgradeApp(upgradeTestFleet({}, ['aks-ok']));
    deps = processOf(app, newPrefix());
  });
  afterAll(async () => {
    await app.close();
  });

  it('advances a run on its events; repeated, reordered and late events change nothing', async () => {
    const r = await requestUpgrade(deps, { cluster: 'aks-ok', requestedBy: 'http:alice' });
    if (r.dryRun) throw new Error('expected a run');
    let run: UpgradeRun | undefined = r.run;
    // Until the system pool rolls.
    for (let i = 0; i < 10 && run?.steps.find((s) => s.pool === 'system')?.status !== 'Running'; i++) {
      run = await advanceRun(deps, r.run.id);
      await admin(app.sim, 'POST', '/clock/advance', { minutes: 10 });
    }
    expect(run?.steps.find((s) => s.pool === 'system')?.status).toBe('Running');
    const t = app.sim.clock.now();
    // Succeeded before Started, the same Succeeded twice, then Started late.
    await deliver(deps, [
      poolEvent('aks-ok', 'system', 'Succeeded', 'e-sys-ok', t),
      poolEvent('aks-ok', 'system', 'Succeeded', 'e-sys-ok', t),
      poolEvent('aks-ok', 'system', 'Started', 'e-sys-start', new Date(t.getTime() - 60_000)),
    ]);
    const after = await getRun(deps, r.run.id);
    expect(after?.steps.find((s) => s.pool === 'system')?.status).toBe('Succeeded');

    const done = await drive(app, () => deps, r.run.id);
    expect(done.state).toBe('Succeeded');
    // A late failure of a pool the run already settled, and repeats of everything, change nothing.
    await deliver(deps, [
      poolEvent('aks-ok', 'apps', 'Failed', 'e-apps-late-fail', new Date(t.getTime() - 120_000)),
      poolEvent('aks-ok', 'system', 'Succeeded', 'e-sys-ok', t),
      poolEvent('aks-ok', 'apps', 'Started', 'e-apps-start', t),
    ]);
    const final = await getRun(deps, r.run.id);
    expect(final?.state).toBe('Succeeded');
    expect(stepsOf(final!)).toEqual(stepsOf(done));
    expect(await putsOf(app, 'aks-ok')).toMatchObject({ total: 3, received: 3 });
  });
});
