import { runNodeImage } from '../../shared/nodeimage/runNodeImage';
import { runSweep } from '../../shared/sweeper/runSweep';
import { admin } from '../sim/simClient';
import type { TestApp } from '../support/app';
import { armCalls, nodeImageOps, one, startWindowOpenApp } from '../nodeimage/helpers';

describe('node-image apply: refusals are recorded, transient failures are retried', () => {
  let app: TestApp;
  beforeEach(async () => {
    app = await startWindowOpenApp();
  });
  afterEach(async () => app?.close());

  it('records a 400 from AKS as a Failed operation in history, frees the cluster and does not retry the pool every hour', async () => {
    await admin(app.sim, 'POST', '/faults', {
      type: 'httpStatus',
      match: { operation: 'AgentPools_UpgradeNodeImageVersion' },
      status: 400,
      code: 'InvalidParameter',
      message: 'node image not allowed',
    });
    const first = await runNodeImage(app.deps);
    expect(one(first.run, 'aks-dev-weu-01', 'apps')).toMatchObject({
      outcome: 'Failed',
      reason: expect.stringContaining('node image not allowed') as unknown,
    });
    const ops = await nodeImageOps(app);
    expect(ops).toEqual([
      expect.objectContaining({
        status: 'Failed',
        nodePool: 'apps',
        reason: expect.stringContaining('node image not allowed') as unknown,
      }),
    ]);
    expect(await app.deps.state.operations.inFlight()).toEqual([]);
    const calls = await armCalls(app, 'AgentPools_UpgradeNodeImageVersion');

    await admin(app.sim, 'POST', '/clock/advance', { hours: 1 });
    const next = await runNodeImage(app.deps);
    expect(one(next.run, 'aks-dev-weu-01', 'apps').outcome).toBe('Skipped');
    expect(
      next.run.outcomes.filter(
        (o) => o.outcome === 'Failed' && o.nodePool === 'apps' && o.cluster.name === 'aks-dev-weu-01',
      ),
    ).toEqual([]);
    // The cluster's lock was released: the other pool may go, the refused one is not retried.
    expect((await nodeImageOps(app)).filter((o) => o.nodePool === 'apps')).toHaveLength(1);
    expect(await armCalls(app, 'AgentPools_UpgradeNodeImageVersion')).toBeLessThanOrEqual(calls + 1);
  });

  it.each([
    [503, /^AKS is unavailable; the next run tries again/],
    [429, /^AKS is throttling requests; the next run tries again/],
  ])(
    'skips the pool on a %i that outlived the SDK retries, keeps no record, and upgrades it on the next run',
    async (status, reason) => {
      await admin(app.sim, 'POST', '/faults', {
        type: 'httpStatus',
        match: { operation: 'AgentPools_UpgradeNodeImageVersion' },
        status,
        retryAfterSeconds: 0,
        times: 10,
      });
      const r = await runNodeImage(app.deps);
      expect(one(r.run, 'aks-dev-weu-01', 'apps')).toMatchObject({
        outcome: 'Skipped',
        reason: expect.stringMatching(reason) as unknown,
      });
      expect(await nodeImageOps(app)).toEqual([]);
      expect(await app.deps.state.operations.inFlight()).toEqual([]);
      await admin(app.sim, 'DELETE', '/faults');
      const again = await runNodeImage(app.deps);
      expect(one(again.run, 'aks-dev-weu-01', 'apps').outcome).toBe('InProgress');
    },
  );
});

describe('node-image apply: an upgrade whose answer was lost is followed from ARM', () => {
  let app: TestApp;
  beforeEach(async () => {
    app = await startWindowOpenApp();
  });
  afterEach(async () => app?.close());

  it('records the upgrade AKS accepted although its answer never came, and the sweeper records how it ended', async () => {
    await admin(app.sim, 'POST', '/faults', {
      type: 'dropResponse',
      match: { operation: 'AgentPools_UpgradeNodeImageVersion', cluster: 'aks-dev-weu-01' },
      times: 1,
    });
    const r = await runNodeImage(app.deps);
    const started = one(r.run, 'aks-dev-weu-01', 'apps');
    expect(started).toMatchObject({ outcome: 'InProgress', details: { recovered: true } });
    expect(
      (await app.deps.state.operations.inFlight()).map((o) => `${o.cluster.name}/${o.nodePool}`),
    ).toContain('aks-dev-weu-01/apps');

    await admin(app.sim, 'POST', '/clock/advance', { hours: 2 });
    const sweep = await runSweep(app.deps);
    const ended = sweep.run.outcomes.find(
      (o) => o.cluster.name === 'aks-dev-weu-01' && o.nodePool === 'apps',
    );
    expect(ended).toMatchObject({
      action: 'node-image-upgrade',
      outcome: 'Succeeded',
      reason: expect.stringContaining('found from ARM') as unknown,
    });
  });
});
