import { InvocationContext, type Timer } from '@azure/functions';
import { powerSchedule } from '../../functions/powerSchedule';
import { startTestApp, type TestApp } from '../support/app';
import { cardText, PARIS_OFFICE, powerFleet, powerOf } from '../power/intSupport';
import { simAdmin } from '../../shared/local/simAdmin';
import type { RunRecord } from '../../shared/records/outcome';

const timer = (isPastDue = false): Timer => ({
  isPastDue,
  schedule: { adjustForDST: false },
  scheduleStatus: {
    last: new Date().toISOString(),
    next: new Date().toISOString(),
    lastUpdated: new Date().toISOString(),
  },
});

describe('the powerSchedule function', () => {
  let app: TestApp;
  const saved = { ...process.env };
  afterEach(async () => {
    process.env = { ...saved };
    await app?.close();
  });

  it('runs one power-schedule tick with the app settings and logs through the invocation context', async () => {
    // A weekday 19:00 Paris stop, and the handler run on the virtual clock at the 17:00Z tick of
    // DAY2_POWER_CRON (every 5 minutes) on Monday 8 June 2026.
    app = await startTestApp({
      fleet: powerFleet([{ name: 'aks-fn', tags: PARIS_OFFICE }]),
      isolatedStorage: true,
      startTime: '2026-06-08T17:00:00Z',
      speed: 0,
    });
    Object.assign(process.env, app.env);
    const logs: string[] = [];
    const ctx = new InvocationContext({
      invocationId: 'test-invocation',
      functionName: 'powerSchedule',
      logHandler: (level, ...args) => void logs.push(`${level}: ${args.map(String).join(' ')}`),
    });

    await powerSchedule(timer(true), ctx, app.sim.clock);

    expect(await powerOf(app, 'aks-fn')).toBe('Running/Stopping');
    expect(logs.some((l) => /^information: power-schedule: run .* \(timer past due\)$/.test(l))).toBe(true);
    expect(
      logs.some((l) => /^information: power-schedule: stop aks-fn: InProgress: stop accepted by AKS/.test(l)),
    ).toBe(true);
    const { posts } = await simAdmin<{ posts: Array<{ body: unknown }> }>(app.sim, 'GET', '/teams');
    expect(posts).toHaveLength(1);
    const runId = /Run (\S+) · by timer/.exec(JSON.stringify(posts[0]!.body))?.[1];
    expect(runId).toBeDefined();
    expect(await cardText(app, { runId } as RunRecord)).toContain('aks-fn');
    const { rows } = await simAdmin<{ rows: Array<{ row: Record<string, unknown> }> }>(
      app.sim,
      'GET',
      '/logs',
    );
    expect(rows.map((r) => r.row)).toEqual([
      expect.objectContaining({
        RunId: runId,
        Job: 'power-schedule',
        Action: 'stop',
        Outcome: 'InProgress',
        Cluster: 'aks-fn',
        Actor: 'timer',
      }),
    ]);
  });
});
