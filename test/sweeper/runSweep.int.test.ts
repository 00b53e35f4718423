import { runNodeImage } from '../../shared/nodeimage/runNodeImage';
import { runSweep } from '../../shared/sweeper/runSweep';
import { admin } from '../sim/simClient';
import type { TestApp } from '../support/app';
import {
  LATEST_UBUNTU,
  logRows,
  nodeImageOps,
  one,
  teamsCards,
  startWindowOpenApp,
} from '../nodeimage/helpers';

describe('upgrade sweeper: a lost event never leaves a run hanging', () => {
  let app: TestApp;
  beforeEach(async () => {
    // No Event Grid target: every event is lost.
    app = await startWindowOpenApp();
  });
  afterEach(async () => {
    await app.close();
  });

  it('records an operation that finished on AKS when no event came', async () => {
    const r = await runNodeImage(app.deps);
    expect(one(r.run, 'aks-dev-weu-01', 'apps').outcome).toBe('InProgress');

    const early = await runSweep(app.deps);
    expect(early).toMatchObject({ stillRunning: 1, run: { outcomes: [] } });

    await admin(app.sim, 'POST', '/clock/advance', { minutes: 10 });
    const sweep = await runSweep(app.deps);
    expect(sweep.run.outcomes).toHaveLength(1);
    expect(sweep.run.outcomes[0]).toMatchObject({
      action: 'node-image-upgrade',
      outcome: 'Succeeded',
      nodePool: 'apps',
      toVersion: LATEST_UBUNTU,
    });
    const [op] = await nodeImageOps(app);
    expect(op).toMatchObject({ status: 'Succeeded', finishedAt: expect.any(Date) as unknown });
    expect(await app.deps.state.operations.inFlight()).toHaveLength(0);
    // Reported under the operation's own job, so KQL by Job finds it.
    expect(sweep.runs.map((r) => [r.job, r.actor])).toEqual([['node-image', 'timer']]);
    const rows = (await logRows(app)).filter((row) => row.RunId === sweep.runs[0]!.runId);
    expect(rows).toEqual([
      expect.objectContaining({
        Job: 'node-image',
        Outcome: 'Succeeded',
        NodePool: 'apps',
        Cluster: 'aks-dev-weu-01',
      }),
    ]);
    expect((await logRows(app)).some((row) => row.Job === 'sweep')).toBe(false);

    // The lock is released: the next run upgrades the other pool.
    const next = await runNodeImage(app.deps);
    expect(one(next.run, 'aks-dev-weu-01', 'system').outcome).toBe('InProgress');
  });

  it("records a failure with AKS's reason from the operation status", async () => {
    await admin(app.sim, 'POST', '/faults', {
      type: 'operationFailure',
      cluster: 'aks-dev-weu-01',
      pool: 'apps',
      operation: 'nodeImageUpgrade',
      code: 'UpgradeFailed',
      afterSeconds: 60,
    });
    await runNodeImage(app.deps);
    await admin(app.sim, 'POST', '/clock/advance', { minutes: 5 });
    const sweep = await runSweep(app.deps);
    expect(sweep.run.outcomes[0]).toMatchObject({ outcome: 'Failed', nodePool: 'apps' });
    expect(sweep.run.outcomes[0]?.reason).toMatch(/UpgradeFailed: Drain node .* blocked by pdb app-pdb/);
    expect(
      (await teamsCards(app)).some((c) => c.includes('Node image upgrades') && c.includes('UpgradeFailed')),
    ).toBe(true);
  });

  it('does not record an outcome twice when a second sweep runs', async () => {
    await runNodeImage(app.deps);
    await admin(app.sim, 'POST', '/clock/advance', { minutes: 10 });
    await runSweep(app.deps);
    const again = await runSweep(app.deps);
    expect(again.run.outcomes).toHaveLength(0);
    expect((await nodeImageOps(app)).map((o) => o.status)).toEqual(['Succeeded']);
  });
});
