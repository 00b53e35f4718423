import { InvocationContext, type Timer } from '@azure/functions';
import { housekeeping } from '../../functions/housekeeping';
import { nodeImageUpgrade } from '../../functions/nodeImageUpgrade';
import { upgradeSweeper } from '../../functions/upgradeSweeper';
import { versionSupport } from '../../functions/versionSupport';
import { simAdmin } from '../../shared/local/simAdmin';
import { startTestApp, type TestApp } from '../support/app';

const timer: Timer = {
  isPastDue: false,
  schedule: { adjustForDST: false },
  scheduleStatus: { last: '', next: '', lastUpdated: '' },
};

function context(functionName: string, logs: string[]): InvocationContext {
  return new InvocationContext({
    functionName,
    logHandler: (level, ...args) => void logs.push(`${level}: ${args.map(String).join(' ')}`),
  });
}

type Rows = { rows: Array<{ row: Record<string, unknown> }> };

describe('the timer functions, called as the Functions host calls them (settings from the environment)', () => {
  let app: TestApp;
  const saved = { ...process.env };
  beforeEach(async () => {
    // The demo fleet on the demo day (its regions offer what AKS offered then), on the simulator's
    // virtual clock: each handler runs at an instant its own default schedule fires.
    app = await startTestApp({
      isolatedStorage: true,
      startTime: '2026-01-12T06:00:00Z',
      speed: 0,
      env: { DAY2_MAINTENANCE_WINDOW: 'daily 01:00-05:00' },
    });
    Object.assign(process.env, app.env);
  });
  afterEach(async () => {
    process.env = { ...saved };
    await app.close();
  });

  it('versionSupport posts one card and one Log Analytics row per cluster', async () => {
    app.sim.clock.set('2026-01-12T06:00:00Z'); // DAY2_VERSION_CRON 0 0 6 * * *
    await versionSupport(timer, context('versionSupport', []), app.sim.clock);
    const { posts } = await simAdmin<{ posts: unknown[] }>(app.sim, 'GET', '/teams');
    expect(posts).toHaveLength(1);
    const { rows } = await simAdmin<Rows>(app.sim, 'GET', '/logs');
    expect(
      rows.filter((r) => r.row.Job === 'version-support' && r.row.Action === 'version-check'),
    ).toHaveLength(13);
    expect(JSON.stringify(posts[0])).toContain('aks-test-eus-01');
  });

  it('nodeImageUpgrade starts node-image upgrades of ring-0 auto pools inside the window and records them in flight', async () => {
    app.sim.clock.set('2026-01-13T02:00:00Z'); // DAY2_NODE_IMAGE_CRON 0 0 * * * *, inside 01:00-05:00
    await nodeImageUpgrade(timer, context('nodeImageUpgrade', []), app.sim.clock);
    const { rows } = await simAdmin<Rows>(app.sim, 'GET', '/logs');
    const started = rows.filter((r) => r.row.Job === 'node-image' && r.row.Outcome === 'InProgress');
    expect(started.length).toBeGreaterThan(0);
    expect(
      started.every((r) => typeof r.row.ToVersion === 'string' && r.row.ToVersion !== r.row.FromVersion),
    ).toBe(true);
  });

  it('nodeImageUpgrade leaves every pool alone outside the maintenance window', async () => {
    app.sim.clock.set('2026-01-13T06:00:00Z');
    await nodeImageUpgrade(timer, context('nodeImageUpgrade', []), app.sim.clock);
    const { rows } = await simAdmin<Rows>(app.sim, 'GET', '/logs');
    expect(rows.filter((r) => r.row.Job === 'node-image' && r.row.Outcome === 'InProgress')).toEqual([]);
    expect(
      rows.some(
        (r) => r.row.Job === 'node-image' && String(r.row.Reason).includes('outside maintenance window'),
      ),
    ).toBe(true);
  });

  it('upgradeSweeper records the end of an operation that no event reported', async () => {
    app.sim.clock.set('2026-01-13T02:00:00Z');
    await nodeImageUpgrade(timer, context('nodeImageUpgrade', []), app.sim.clock);
    app.sim.clock.set('2026-01-13T08:00:00Z'); // DAY2_SWEEP_CRON fires every minute; every roll is over by then
    await upgradeSweeper(timer, context('upgradeSweeper', []), app.sim.clock);
    const { rows } = await simAdmin<Rows>(app.sim, 'GET', '/logs');
    const swept = rows.filter(
      (r) => r.row.Job === 'node-image' && String(r.row.Reason).includes('recorded by the sweeper'),
    );
    expect(swept.length).toBeGreaterThan(0);
    expect(swept.every((r) => r.row.Outcome === 'Succeeded' || r.row.Outcome === 'Failed')).toBe(true);
  });

  it('housekeeping goes over every table the app writes, keeps a run younger than DAY2_RETENTION_DAYS and logs the count per table', async () => {
    await versionSupport(timer, context('versionSupport', []));
    const logs: string[] = [];
    await housekeeping(timer, context('housekeeping', logs));
    expect(logs.find((l) => l.includes('housekeeping: kept 90 days'))).toMatch(
      /operations 0, locks 0, findings 0, edges 0, edgesdryrun 0, events 0, snoozes 0, upgraderuns 0, idempotency 0, commandfailures 0, Runs 0, RunIndex 0, Outbox 0, OutboxDead 0$/,
    );
  });
});
