import { simAdmin } from '../../shared/local/simAdmin';
import { runNodeImage } from '../../shared/nodeimage/runNodeImage';
import { armCalls, nodeImageOps, one, startWindowOpenApp } from '../nodeimage/helpers';
import { PARIS_OFFICE, powerFleet, powerOf } from '../power/intSupport';
import { startTestApp, type TestApp } from '../support/app';
import { cardOfRun, chatopsPower, rowsOfRun } from './support';

const BUSY = {
  type: 'httpStatus',
  status: 409,
  code: 'OperationNotAllowed',
  message:
    'Operation is not allowed: Another operation (Updating) is in progress, please wait for it to finish before starting a new operation.',
  times: 1,
};

describe("AKS's 409 for a busy cluster at submit time: nothing recorded, tried again later", () => {
  let app: TestApp;
  afterEach(async () => app?.close());

  it('skips a node-image upgrade AKS refused as busy, keeps no record, and upgrades the pool on the next run', async () => {
    app = await startWindowOpenApp();
    await simAdmin(app.sim, 'POST', '/faults', {
      ...BUSY,
      match: { operation: 'AgentPools_UpgradeNodeImageVersion', cluster: 'aks-dev-weu-01' },
    });
    const first = await runNodeImage(app.deps);
    const o = one(first.run, 'aks-dev-weu-01', 'apps');
    expect(o.outcome).toBe('Skipped');
    expect(o.reason).toMatch(
      /^AKS is busy \(another operation is in progress\); the next run tries again: .*Another operation \(Updating\) is in progress/,
    );
    expect((await nodeImageOps(app)).filter((x) => x.cluster.name === 'aks-dev-weu-01')).toEqual([]);
    expect((await app.deps.state.operations.inFlight()).map((x) => x.cluster.name)).not.toContain(
      'aks-dev-weu-01',
    );
    const calls = await armCalls(app, 'AgentPools_UpgradeNodeImageVersion');

    const next = await runNodeImage(app.deps);
    expect(one(next.run, 'aks-dev-weu-01', 'apps').outcome).toBe('InProgress');
    expect((await nodeImageOps(app)).filter((x) => x.cluster.name === 'aks-dev-weu-01')).toEqual([
      expect.objectContaining({ nodePool: 'apps', status: 'InProgress' }),
    ]);
    expect(await armCalls(app, 'AgentPools_UpgradeNodeImageVersion')).toBeGreaterThan(calls);
  });

  it('answers a ChatOps stop AKS refused as busy with a skip that says so, records no failure, and stops on the next request', async () => {
    app = await startTestApp({
      fleet: powerFleet([{ name: 'aks-busy', tags: PARIS_OFFICE }]),
      startTime: '2026-06-08T10:00:00Z',
      speed: 0,
    });
    await simAdmin(app.sim, 'POST', '/faults', { ...BUSY, match: { operation: 'ManagedClusters_Stop' } });
    const refused = await chatopsPower(app, 'stop', 'aks-busy');
    const rows = await rowsOfRun(app, refused);
    expect(rows).toEqual([expect.objectContaining({ Action: 'stop', Outcome: 'Skipped' })]);
    expect(String(rows[0]!.Reason)).toMatch(
      /^AKS cannot take it now \(.*Another operation \(Updating\) is in progress.*\); try again later$/,
    );
    expect(await cardOfRun(app, refused)).toContain('AKS cannot take it now');
    expect(await app.deps.state.operations.history()).toEqual([]); // no Failed record, the lock released
    expect(await powerOf(app, 'aks-busy')).toBe('Running/Succeeded');

    const again = await chatopsPower(app, 'stop', 'aks-busy');
    expect(await rowsOfRun(app, again)).toEqual([
      expect.objectContaining({ Action: 'stop', Outcome: 'InProgress' }),
    ]);
    expect(await powerOf(app, 'aks-busy')).toBe('Running/Stopping');
  });
});
