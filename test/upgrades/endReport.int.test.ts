import type { Deps } from '../../shared/deps';
import { runSweep } from '../../shared/sweeper/runSweep';
import { advanceRun, isTerminalRun, requestUpgrade, type UpgradeRun } from '../../shared/upgrades/api';
import { admin } from '../sim/simClient';
import type { TestApp } from '../support/app';
import { dyingAt, type KillPoint } from '../support/dying';
import { logRows, newPrefix, processOf } from './drive';
import { startUpgradeApp, upgradeTestFleet } from './fleet';

const runEnd = (args: unknown[]) => isTerminalRun((args[0] as UpgradeRun).state);
const endStored: KillPoint = { store: 'upgradeRuns', method: 'save', when: 'after', match: runEnd };
/** Before the write that marks the end reported: the card and rows are in the outbox already. */
const endReportedNotMarked: KillPoint = {
  store: 'upgradeRuns',
  method: 'save',
  when: 'before',
  match: (args) => runEnd(args) && (args[0] as UpgradeRun).endReported === true,
};

/** Advances the run in a process that dies at `at`. */
async function runUntilKilled(app: TestApp, p1: Deps, id: string, at: KillPoint): Promise<void> {
  const dying = dyingAt(p1, at);
  for (let pass = 0; pass < 40; pass++) {
    const r = await Promise.race([advanceRun(dying.deps, id), dying.killed.then(() => 'dead' as const)]);
    if (r === 'dead') return;
    await admin(app.sim, 'POST', '/clock/advance', { minutes: 10 });
  }
  throw new Error(`run ${id} never ended`);
}

describe('an upgrade run whose process died once its end was stored', () => {
  let app: TestApp;
  afterEach(async () => app?.close());

  it('is reported by the next sweep: its card and rows are sent once, and later sweeps send nothing more', async () => {
    app = await startUpgradeApp(upgradeTestFleet({}, ['aks-ok']));
    const prefix = newPrefix();
    const p1 = processOf(app, prefix);
    const r = await requestUpgrade(p1, { cluster: 'aks-ok', requestedBy: 'http:alice' });
    if (r.dryRun) throw new Error('expected a run');
    await runUntilKilled(app, p1, r.run.id, endStored);
    expect((await p1.state.upgradeRuns.get(r.run.id))?.state).toBe('Succeeded');

    const p2 = processOf(app, prefix);
    for (let i = 0; i < 3; i++) {
      await runSweep(p2);
      await p2.notifier.deliverPending();
      await admin(app.sim, 'POST', '/clock/advance', { minutes: 1 });
    }
    const ends = (await logRows(app)).filter((row) => row.Action === 'upgrade' && row.RunId === r.run.id);
    expect(ends.map((row) => row.Outcome)).toEqual(['Succeeded']);
    const { posts } = await admin<{ posts: Array<{ body: unknown }> }>(app.sim, 'GET', '/teams');
    expect(posts.filter((p) => JSON.stringify(p.body).includes(r.run.id))).toHaveLength(1);
  });

  it('reported but not yet marked so, is reported again by the next sweep as the same card: Teams gets it once', async () => {
    app = await startUpgradeApp(upgradeTestFleet({}, ['aks-ok']));
    const prefix = newPrefix();
    const p1 = processOf(app, prefix);
    const r = await requestUpgrade(p1, { cluster: 'aks-ok', requestedBy: 'http:alice' });
    if (r.dryRun) throw new Error('expected a run');
    await runUntilKilled(app, p1, r.run.id, endReportedNotMarked);
    await admin(app.sim, 'POST', '/clock/advance', { minutes: 1 });

    const p2 = processOf(app, prefix);
    for (let i = 0; i < 3; i++) {
      await runSweep(p2);
      await p2.notifier.deliverPending();
      await admin(app.sim, 'POST', '/clock/advance', { minutes: 1 });
    }
    expect((await p2.state.upgradeRuns.get(r.run.id))?.endReported).toBe(true);
    const { posts } = await admin<{ posts: Array<{ body: unknown }> }>(app.sim, 'GET', '/teams');
    expect(posts.filter((p) => JSON.stringify(p.body).includes(r.run.id))).toHaveLength(1);
  });
});
