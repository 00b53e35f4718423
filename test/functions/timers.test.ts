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
    // The demo fleet on the demo day (its regions offer what AKS offered then); real-time clock from there.
    app = await startTestApp({
      isolatedStorage: true,
      startTime: '2026-01-12T06:00:00Z',
      env: { DAY2_MAINTENANCE_WINDOW: 'daily 00:00-00:00' },
    }); // all day: the handlers read the wall clock
    Object.assign(process.env, app.env);
  });
  afterEach(async () => {
    process.env = { ...saved };
    await app.close();
  });

  it('versionSupport posts one card and one Log Analytics row per cluster', async () => {
    await versionSupport(timer, context('versionSupport', []));
    const { posts } = await simAdmin<{ posts: unknown[] }>(app.sim, 'GET', '/teams');
    expect(posts).toHaveLength(1);
    const { rows } = await simAdmin<Rows>(app.sim, 'GET', '/logs');
    expect(
      rows.filter((r) => r.row.Job === 'version-support' && r.row.Action === 'version-check'),
    ).toHaveLength(13);
    expect(JSON.stringify(posts[0])).toContain('aks-test-eus-01');
  });

  it('nodeImageUpgrade starts node-image upgrades of ring-0 auto pools inside the window and records them in flight', async () => {
    const logs: string[] = [];
    await nodeImageUpgrade(timer, context('nodeImageUpgrade', logs));
    const { rows } = await simAdmin<Rows>(app.sim, 'GET', '/logs');
    const started = rows.filter((r) => r.row.Job === 'node-image' && r.row.Outcome === 'InProgress');
    expect(started.length).toBeGreaterThan(0);
    expect(
      started.every((r) => typeof r.row.ToVersion === 'string' && r.row.ToVersion !== r.row.FromVersion),
    ).toBe(true);
  });

  it('upgradeSweeper records the end of an operation that no event reported', async () => {
    await nodeImageUpgrade(timer, context('nodeImageUpgrade', []));
    app.sim.clock.advance(6 * 3_600_000); // every roll of the demo fleet is over by then
    const logs: string[] = [];
    await upgradeSweeper(timer, context('upgradeSweeper', logs));
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
      /operations 0, locks 0, findings 0, edges 0, edgesdryrun 0, events 0, snoozes 0, Runs 0, RunIndex 0, Outbox 0, OutboxDead 0$/,
    );
  });
});
