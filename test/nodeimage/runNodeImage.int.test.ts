import { formatNodeImagePlan } from '../../shared/cli/formatNodeImagePlan';
import { planNodeImageRun, runNodeImage } from '../../shared/nodeimage/runNodeImage';
import { createStateStore } from '../../shared/state/stateStore';
import { admin } from '../sim/simClient';
import { uniqueName } from '../support/storage';
import { startTestApp, type TestApp } from '../support/app';
import {
  armCalls,
  demoFleetWith,
  LATEST_UBUNTU,
  nodeImageOps,
  one,
  outcomesOf,
  setClock,
  teamsCards,
  THURSDAY,
  startWindowOpenApp,
} from './helpers';

async function lastRun(app: TestApp) {
  const [summary] = await app.deps.notifier.runs.list({ limit: 1 });
  return summary ? app.deps.notifier.runs.get(summary.runId) : undefined;
}

describe('node-image job: windows, AKS-managed channels, stopped clusters, findings', () => {
  let app: TestApp | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('upgrades only inside DAY2_MAINTENANCE_WINDOW when the cluster has no maintenance configuration', async () => {
    app = await startTestApp({
      speed: 0,
      startTime: THURSDAY,
      env: { DAY2_MAINTENANCE_WINDOW: 'Sat,Sun 01:00-05:00' },
    });
    const thursday = await runNodeImage(app.deps);
    expect(one(thursday.run, 'aks-dev-weu-01', 'apps')).toMatchObject({
      outcome: 'Skipped',
      reason: expect.stringMatching(
        /^outside maintenance window \(DAY2_MAINTENANCE_WINDOW: Sat,Sun 01:00-05:00/,
      ) as unknown,
    });
    expect(await armCalls(app, 'AgentPools_UpgradeNodeImageVersion')).toBe(0);

    await setClock(app, '2026-01-17T02:00:00Z'); // Saturday 02:00 UTC
    const saturday = await runNodeImage(app.deps);
    expect(one(saturday.run, 'aks-dev-weu-01', 'apps')).toMatchObject({
      outcome: 'InProgress',
      toVersion: LATEST_UBUNTU,
      details: { ring: 0, imageVersion: LATEST_UBUNTU },
    });
    const pool = await app.azure
      .aks(one(saturday.run, 'aks-dev-weu-01', 'apps').cluster.subscriptionId)
      .agentPools.get('rg-aks-dev-weu', 'aks-dev-weu-01', 'apps');
    expect(pool.provisioningState).toBe('UpgradingNodeImageVersion');
  });

  it("follows the cluster's AKS maintenance configuration, which wins over DAY2_MAINTENANCE_WINDOW", async () => {
    const fleet = demoFleetWith({
      'aks-prod-weu-01': (c) => void (c.tags = { ...c.tags, 'day2-ring': '0' }),
    });
    app = await startTestApp({
      fleet,
      speed: 0,
      startTime: THURSDAY,
      env: { DAY2_MAINTENANCE_WINDOW: 'daily 00:00-23:59' },
    });
    const thursday = await runNodeImage(app.deps);
    expect(one(thursday.run, 'aks-prod-weu-01', 'system').reason).toMatch(
      /^outside maintenance window \(aksManagedNodeOSUpgradeSchedule: every week on Sunday at 02:00 UTC\+01:00 for 4h/,
    );
    expect(one(thursday.run, 'aks-dev-weu-01', 'apps').outcome).toBe('InProgress'); // the setting applies to clusters without a configuration

    await setClock(app, '2026-01-18T01:30:00Z'); // Sunday 02:30 at UTC+01:00
    const sunday = await runNodeImage(app.deps);
    expect(one(sunday.run, 'aks-prod-weu-01', 'system')).toMatchObject({
      outcome: 'InProgress',
      reason: expect.stringContaining('inside aksManagedNodeOSUpgradeSchedule') as unknown,
    });
  });

  it('upgrades one pool of a cluster at a time; the other pool waits for it', async () => {
    app = await startWindowOpenApp();
    const r = await runNodeImage(app.deps);
    expect(one(r.run, 'aks-dev-weu-01', 'apps').outcome).toBe('InProgress');
    expect(one(r.run, 'aks-dev-weu-01', 'system')).toMatchObject({
      outcome: 'Skipped',
      reason: 'waiting for pool apps',
    });
    const ops = await nodeImageOps(app);
    expect(ops).toHaveLength(1);
    expect(ops[0]).toMatchObject({
      status: 'InProgress',
      nodePool: 'apps',
      poller: expect.stringContaining('upgradeNodeImageVersion') as unknown,
    });
  });

  it('leaves pools of clusters with an AKS-managed node OS channel to AKS, and says so', async () => {
    app = await startWindowOpenApp();
    const r = await runNodeImage(app.deps);
    expect(one(r.run, 'aks-test-cin-01', 'system')).toMatchObject({
      outcome: 'Skipped',
      reason: 'left to AKS: nodeOSUpgradeChannel is NodeImage',
      details: { finding: true, findingKind: 'aks-managed' },
    });
    expect((await nodeImageOps(app)).some((o) => o.cluster.name === 'aks-test-cin-01')).toBe(false);
  });

  it('skips a stopped cluster and reports it', async () => {
    app = await startWindowOpenApp();
    const r = await runNodeImage(app.deps);
    const stopped = outcomesOf(r.run, 'aks-dev-eus-01');
    expect(stopped.map((o) => o.nodePool).sort()).toEqual(['batch', 'system']);
    expect(
      stopped.every(
        (o) => o.outcome === 'Skipped' && o.reason === 'cluster is stopped' && o.details?.finding === true,
      ),
    ).toBe(true);
  });

  it('ignores pools tagged off and only reports protected and notify clusters', async () => {
    app = await startWindowOpenApp();
    const r = await runNodeImage(app.deps);
    expect(outcomesOf(r.run, 'aks-test-weu-02')).toHaveLength(0);
    expect(one(r.run, 'aks-prod-eus-01', 'apps')).toMatchObject({
      action: 'node-image-available',
      outcome: 'Skipped',
      reason: expect.stringMatching(/^day2-protect is set/) as unknown,
    });
    expect(one(r.run, 'aks-test-eus-01', 'web')).toMatchObject({
      action: 'node-image-available',
      reason: `${LATEST_UBUNTU} is available (day2-node-image is notify)`,
    });
  });

  it('tells a finding once: the next hourly run with nothing new posts no card', async () => {
    app = await startTestApp({ speed: 0, startTime: THURSDAY });
    const first = await runNodeImage(app.deps);
    expect(first.run.outcomes.some((o) => o.details?.finding === true)).toBe(true);
    expect(await teamsCards(app)).toHaveLength(1);
    await admin(app.sim, 'POST', '/clock/advance', { hours: 1 });
    const second = await runNodeImage(app.deps);
    expect(second.run.outcomes.some((o) => o.details?.finding === true)).toBe(false);
    expect(second.run.outcomes.length).toBe(first.run.outcomes.length);
    expect(await teamsCards(app)).toHaveLength(1);
  });

  it('plans without changing anything in a dry run', async () => {
    app = await startTestApp({
      speed: 0,
      startTime: THURSDAY,
      env: { DAY2_MAINTENANCE_WINDOW: 'daily 00:00-23:59', DAY2_DRY_RUN: 'true' },
    });
    const r = await runNodeImage(app.deps);
    expect(one(r.run, 'aks-dev-weu-01', 'apps').outcome).toBe('Planned');
    expect(await armCalls(app, 'AgentPools_UpgradeNodeImageVersion')).toBe(0);
    expect(await nodeImageOps(app)).toHaveLength(0);
  });

  it('waits for the next run when AKS answers 409 and keeps no operation in flight', async () => {
    app = await startWindowOpenApp();
    await admin(app.sim, 'POST', '/faults', {
      type: 'httpStatus',
      match: { operation: 'AgentPools_UpgradeNodeImageVersion' },
      status: 409,
      times: 1,
    });
    const r = await runNodeImage(app.deps);
    expect(one(r.run, 'aks-dev-weu-01', 'apps')).toMatchObject({
      outcome: 'Skipped',
      reason: expect.stringMatching(/^AKS is busy/) as unknown,
    });
    expect(await app.deps.state.operations.inFlight()).toHaveLength(0);
    const again = await runNodeImage(app.deps);
    expect(one(again.run, 'aks-dev-weu-01', 'apps').outcome).toBe('InProgress');
  });

  it('lets the next ring go once a lower-ring cluster that got the image without aks-day2 has run it for the soak', async () => {
    // Ring 0 already runs the latest image (a new cluster, or upgraded by hand): no aks-day2 rollout of it.
    const fleet = demoFleetWith({
      'aks-dev-eus-01': (c) => void (c.tags = { ...c.tags, 'day2-node-image': 'notify' }),
      'aks-dev-weu-01': (c) =>
        void (c.pools = c.pools.map((p) => ({ ...p, nodeImageVersion: LATEST_UBUNTU }))),
    });
    app = await startTestApp({
      fleet,
      speed: 0,
      startTime: THURSDAY,
      env: { DAY2_MAINTENANCE_WINDOW: 'daily 00:00-23:59', DAY2_RING_SOAK_HOURS: '24' },
    });
    const first = await runNodeImage(app.deps);
    expect(one(first.run, 'aks-test-weu-01', 'payments').reason).toBe(
      `waiting for ring 0 to run ${LATEST_UBUNTU} for 24h: aks-dev-weu-01/apps soaks 24h more (on it since aks-day2 first saw it, ${THURSDAY.replace('Z', '.000Z')}); aks-dev-weu-01/system soaks 24h more (on it since aks-day2 first saw it, ${THURSDAY.replace('Z', '.000Z')})`,
    );
    await admin(app.sim, 'POST', '/clock/advance', { hours: 12 });
    const half = await runNodeImage(app.deps);
    expect(one(half.run, 'aks-test-weu-01', 'payments').reason).toMatch(
      /aks-dev-weu-01\/apps soaks 12h more \(on it since aks-day2 first saw it, 2026-01-15T06:00:00\.000Z\)/,
    );
    await admin(app.sim, 'POST', '/clock/advance', { hours: 12 });
    const soaked = await runNodeImage(app.deps);
    expect(one(soaked.run, 'aks-test-weu-01', 'payments')).toMatchObject({
      outcome: 'InProgress',
      toVersion: LATEST_UBUNTU,
      details: { ring: 1 },
    });
    expect((await nodeImageOps(app)).map((o) => `${o.cluster.name}/${o.nodePool}`)).toEqual([
      'aks-test-weu-01/payments',
    ]);
  });

  it('only reports a cluster whose day2-ring does not parse, even when it is tagged auto, and says why', async () => {
    const fleet = demoFleetWith({
      'aks-dev-weu-01': (c) => void (c.tags = { ...c.tags, 'day2-ring': 'zero' }),
    });
    app = await startTestApp({
      fleet,
      speed: 0,
      startTime: THURSDAY,
      env: { DAY2_MAINTENANCE_WINDOW: 'daily 00:00-23:59' },
    });
    const r = await runNodeImage(app.deps);
    expect(one(r.run, 'aks-dev-weu-01', 'apps')).toMatchObject({
      action: 'node-image-available',
      outcome: 'Skipped',
      reason: `${LATEST_UBUNTU} is available (day2-node-image is notify)`,
    });
    expect(outcomesOf(r.run, 'aks-dev-weu-01').find((o) => o.action === 'tag-check')?.reason).toMatch(
      /^tag day2-ring="zero": expected a whole number from 0 to 9; no automatic node-image/,
    );
    expect((await nodeImageOps(app)).some((o) => o.cluster.name === 'aks-dev-weu-01')).toBe(false);
  });

  it('reports a run that fails in discovery, with a Failed outcome, and rethrows a typed error', async () => {
    app = await startTestApp({ speed: 0, startTime: THURSDAY });
    await admin(app.sim, 'POST', '/faults', {
      type: 'httpStatus',
      match: { operation: 'Subscriptions_List' },
      status: 403,
      times: 1,
    });
    await expect(runNodeImage(app.deps)).rejects.toMatchObject({ name: 'Day2Error', code: 'Forbidden' });
    const run = await lastRun(app);
    expect(run).toMatchObject({ job: 'node-image', endedAt: expect.any(Date) as unknown });
    expect(run?.outcomes).toEqual([
      expect.objectContaining({
        action: 'run',
        outcome: 'Failed',
        reason: expect.stringMatching(
          /^the node-image run did not finish: list subscriptions failed/,
        ) as unknown,
        details: expect.objectContaining({ errorCode: 'Forbidden' }) as unknown,
      }),
    ]);
    const cards = await teamsCards(app);
    expect(cards).toHaveLength(1);
    expect(cards[0]).toContain('the node-image run did not finish');
  });

  it('reports a run whose state storage fails, with a Failed outcome, and rethrows a typed error', async () => {
    app = await startTestApp({ speed: 0, startTime: THURSDAY });
    const storage = app.settings.storageConnectionString;
    if (typeof storage !== 'string') throw new Error('the test app uses an Azurite connection string');
    const deadStorage = storage.replace(
      /TableEndpoint=http:\/\/127\.0\.0\.1:\d+/,
      'TableEndpoint=http://127.0.0.1:9',
    );
    expect(deadStorage).not.toBe(app.settings.storageConnectionString);
    const deps = { ...app.deps, state: createStateStore(deadStorage, uniqueName('t')) };
    await expect(runNodeImage(deps)).rejects.toMatchObject({ name: 'Day2Error' });
    const run = await lastRun(app);
    expect(run?.job).toBe('node-image');
    expect(run?.outcomes).toEqual([
      expect.objectContaining({
        action: 'run',
        outcome: 'Failed',
        reason: expect.stringContaining('127.0.0.1:9') as unknown,
      }),
    ]);
  });

  it('prints the plan in ring order', async () => {
    app = await startTestApp({ speed: 0, startTime: THURSDAY });
    const text = formatNodeImagePlan(await planNodeImageRun(app.deps));
    expect(text).toMatch(/^0\s+aks-dev-weu-01\s+apps\s+skip\s+202609\.02\.0 → 202610\.07\.0/m);
    expect(text.indexOf('aks-dev-weu-01')).toBeLessThan(text.indexOf('aks-prod-weu-01'));
  });
});
