import { runNodeImage } from '../../shared/nodeimage/runNodeImage';
import { startEventBridge, type EventBridge } from '../events/eventBridge';
import { admin } from '../sim/simClient';
import { startTestApp, type TestApp } from '../support/app';
import {
  advance,
  LATEST_UBUNTU,
  logRows,
  nodeImageOps,
  one,
  teamsCards,
  THURSDAY,
  waveFleet,
} from './helpers';

describe('node-image wave: rings, soak and a failure that halts the next ring', () => {
  let app: TestApp;
  let bridge: EventBridge;
  beforeEach(async () => {
    app = await startTestApp({
      fleet: waveFleet(),
      speed: 0,
      startTime: THURSDAY,
      env: { DAY2_MAINTENANCE_WINDOW: 'daily 00:00-23:59', DAY2_RING_SOAK_HOURS: '24' },
    });
    bridge = await startEventBridge(app.deps);
    await admin(app.sim, 'POST', '/eventgrid', { url: bridge.url, schema: 'EventGridSchema' });
  });
  afterEach(async () => {
    await app.close();
    await bridge.close();
  });

  it('upgrades ring 0, lets it soak, then ring 1; a failure in ring 1 halts ring 2 and says why', async () => {
    // Ring 0, pool by pool; the events record each end.
    const r1 = await runNodeImage(app.deps);
    expect(one(r1.run, 'aks-dev-weu-01', 'apps').outcome).toBe('InProgress');
    expect(one(r1.run, 'aks-test-weu-01', 'payments').reason).toMatch(
      /^waiting for ring 0 to run .* aks-dev-weu-01\/apps has not run it yet/,
    );
    await advance(app, 10);
    expect((await nodeImageOps(app)).map((o) => [o.nodePool, o.status])).toEqual([['apps', 'Succeeded']]);

    const r2 = await runNodeImage(app.deps);
    expect(one(r2.run, 'aks-dev-weu-01', 'system').outcome).toBe('InProgress');
    await advance(app, 10);

    // Ring 1 waits for ring 0's soak.
    const r3 = await runNodeImage(app.deps);
    expect(one(r3.run, 'aks-test-weu-01', 'payments').reason).toMatch(
      /waiting for ring 0 to run AKSUbuntu-2204gen2containerd-202610\.07\.0 for 24h: aks-dev-weu-01\/apps soaks \d+h more/,
    );
    await admin(app.sim, 'POST', '/clock/advance', { hours: 24 });

    // Ring 1 goes; its payments pool is held by a PodDisruptionBudget and fails after the drain timeout.
    const r4 = await runNodeImage(app.deps);
    expect(one(r4.run, 'aks-test-weu-01', 'payments')).toMatchObject({
      outcome: 'InProgress',
      details: { ring: 1 },
    });
    await advance(app, 20);
    const failed = (await nodeImageOps(app)).find((o) => o.cluster.name === 'aks-test-weu-01')!;
    expect(failed).toMatchObject({ status: 'Failed', nodePool: 'payments' });
    expect(failed.reason).toContain('UpgradeFailed');
    expect(failed.reason).toContain('blocked by pdb payments-api-pdb');

    // Ring 2 is halted for that image, and the card says so.
    const r5 = await runNodeImage(app.deps);
    expect(one(r5.run, 'aks-prod-weu-01', 'system')).toMatchObject({
      outcome: 'Skipped',
      reason: `halted: ring 1 failed on aks-test-weu-01/payments with image ${LATEST_UBUNTU}`,
      details: { finding: true, findingKind: 'halted' },
    });
    expect(one(r5.run, 'aks-test-weu-01', 'payments').reason).toMatch(
      /failed at .*; not retried automatically/,
    );
    const cards = await teamsCards(app);
    expect(cards.some((c) => c.includes('halted: ring 1 failed on aks-test-weu-01/payments'))).toBe(true);
    expect(cards.some((c) => c.includes('Failed (1)') && c.includes('UpgradeFailed: Drain node'))).toBe(true);

    const rows = await logRows(app);
    expect(
      rows
        .filter((r) => r.Action === 'node-image-upgrade' && r.Outcome === 'Succeeded')
        .map((r) => r.NodePool)
        .sort(),
    ).toEqual(['apps', 'system']);
    const failedRow = rows.find((r) => r.Outcome === 'Failed' && r.NodePool === 'payments');
    expect(failedRow).toMatchObject({ Job: 'events', Actor: 'eventgrid', Cluster: 'aks-test-weu-01' });
    expect(failedRow?.Reason).toContain('blocked by pdb payments-api-pdb');

    // The order things happened in: ring 0 both pools before ring 1; the failure halts later rings only,
    // so ring 1's other pool still goes.
    expect(one(r5.run, 'aks-test-weu-01', 'system').outcome).toBe('InProgress');
    const ops = await nodeImageOps(app);
    expect(ops.map((o) => `${o.cluster.name}/${o.nodePool}`)).toEqual([
      'aks-dev-weu-01/apps',
      'aks-dev-weu-01/system',
      'aks-test-weu-01/payments',
      'aks-test-weu-01/system',
    ]);
  });
});
