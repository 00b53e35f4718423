import type { Deps } from '../../shared/deps';
import { advanceRun, isTerminalRun, requestUpgrade } from '../../shared/upgrades/api';
import { setEngineHooks, type CrashPoint } from '../../shared/upgrades/engine';
import { admin } from '../sim/simClient';
import type { TestApp } from '../support/app';
import { drive, newPrefix, processOf, stepsOf } from './drive';
import { CLUSTERS, putsOf, startUpgradeApp, upgradeTestFleet } from './fleet';

/** Each crash point and how often a one-leg run (control plane, system pool, apps pool) passes it. */
const POINTS: Array<[CrashPoint, number]> = [
  ['step-claimed', 3],
  ['lock-taken', 3],
  ['request-accepted', 3],
  ['poller-stored', 3],
  ['step-ended', 4],
];
const CASES = POINTS.flatMap(([point, n]) => Array.from({ length: n }, (_, k) => ({ point, k: k + 1 })));
const nameOf = (i: number): string => `aks-crash-${String(i).padStart(2, '0')}`;

/** The fleet: one copy of a healthy 1.33.2 cluster per crash case. */
function crashFleet() {
  const fleet = upgradeTestFleet({}, []);
  const rg = fleet.subscriptions[0]!.resourceGroups![0]!;
  rg.clusters = [...CASES.map((_, i) => nameOf(i)), 'aks-lost'].map((name) => ({
    ...structuredClone(CLUSTERS['aks-ok']!),
    name,
  }));
  return fleet;
}

/**
 * Drives the run in process 1 until it reaches the k-th pass of `point`, where the process dies: it
 * stops there for good (nothing after that point runs, as when the process is killed).
 */
async function runUntilKilled(
  app: TestApp,
  p1: Deps,
  id: string,
  point: CrashPoint,
  k: number,
): Promise<boolean> {
  let hits = 0;
  let killed!: () => void;
  const dead = new Promise<'dead'>((r) => (killed = () => r('dead')));
  const remove = setEngineHooks({
    at: (p) => {
      if (p !== point || ++hits !== k) return;
      killed();
      return new Promise<void>(() => undefined);
    },
  });
  try {
    for (let pass = 0; pass < 40; pass++) {
      const r = await Promise.race([advanceRun(p1, id), dead]);
      if (r === 'dead') return true;
      if (!r || isTerminalRun(r.state)) return false;
      await admin(app.sim, 'POST', '/clock/advance', { minutes: 10 });
    }
    return false;
  } finally {
    remove();
  }
}

describe('an upgrade run killed between any two of its steps', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startUpgradeApp(crashFleet());
  });
  afterAll(async () => {
    await app.close();
  });

  it.each(CASES.map((c, i) => ({ ...c, i })))(
    'resumes after a kill at $point (pass $k) in a new process and ends Succeeded with one PUT per step',
    async ({ point, k, i }) => {
      const prefix = newPrefix();
      const p1 = processOf(app, prefix);
      const r = await requestUpgrade(p1, { cluster: nameOf(i), requestedBy: 'http:alice' });
      if (r.dryRun) throw new Error('expected a run');
      expect(await runUntilKilled(app, p1, r.run.id, point, k)).toBe(true);

      const p2 = processOf(app, prefix);
      const done = await drive(app, () => p2, r.run.id);
      expect(done.state).toBe('Succeeded');
      expect(stepsOf(done)).toEqual([
        'pre-checks: Succeeded',
        'control-plane 1.33.3: Succeeded',
        'pool system 1.33.3: Succeeded',
        'pool apps 1.33.3: Succeeded',
        'post-checks: Succeeded',
      ]);
      expect(await putsOf(app, nameOf(i))).toEqual({
        cluster: 1,
        pools: { system: 1, apps: 1 },
        total: 3,
        received: 3,
      });
    },
  );

  it('follows a PUT whose answer was lost after AKS accepted it from ARM, and never sends it again', async () => {
    await admin(app.sim, 'POST', '/faults', {
      type: 'dropResponse',
      match: { method: 'PUT', cluster: 'aks-lost', path: '/agentPools/apps$' },
      times: 1,
    });
    const deps = processOf(app, newPrefix());
    const r = await requestUpgrade(deps, { cluster: 'aks-lost', requestedBy: 'http:alice' });
    if (r.dryRun) throw new Error('expected a run');
    const done = await drive(app, () => deps, r.run.id);
    expect(done.state).toBe('Succeeded');
    // Three PUTs reached AKS, one per step (the dropped answer is not counted as answered).
    expect((await putsOf(app, 'aks-lost')).received).toBe(3);
    const pool = await app.azure
      .aks(done.cluster.subscriptionId)
      .agentPools.get(done.cluster.resourceGroup, 'aks-lost', 'apps');
    expect(pool.currentOrchestratorVersion).toBe('1.33.3');
  });
});
