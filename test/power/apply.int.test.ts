import type { RunRecord } from '../../shared/records/outcome';
import { runPowerSchedule } from '../../shared/power/runPowerSchedule';
import { startTestApp, type TestApp } from '../support/app';
import {
  brief,
  cardText,
  client,
  PARIS_OFFICE,
  powerFleet,
  powerOf,
  RG,
  rowsOf,
  tickAt,
  ticks,
} from './intSupport';

// Monday 8 June 2026: Paris is on CEST (UTC+2), so 19:00 Paris = 17:00Z and 07:30 Paris = 05:30Z.

describe('power schedule apply: stop and start through the real SDK against the simulator', () => {
  let app: TestApp;
  afterEach(async () => app?.close());

  it('stops a cluster at its 19:00 Europe/Paris stop edge and records Succeeded on the next tick', async () => {
    app = await startTestApp({
      fleet: powerFleet([{ name: 'aks-paris', tags: PARIS_OFFICE }]),
      startTime: '2026-06-08T16:50:00Z',
      speed: 0,
    });
    const before = await tickAt(app, '2026-06-08T16:55:00Z');
    expect(brief(before)).toEqual([]);

    const stop = await tickAt(app, '2026-06-08T17:00:00Z');
    expect(brief(stop)).toEqual(['aks-paris stop InProgress']);
    expect(stop.outcomes[0]!.reason).toContain('stop edge 19:00 Europe/Paris');
    expect(await powerOf(app, 'aks-paris')).toBe('Running/Stopping');
    const card = await cardText(app, stop);
    expect(card).toContain('aks-paris');
    expect(card).toContain('InProgress');
    const rows = await rowsOf(app, stop);
    expect(rows).toEqual([
      expect.objectContaining({
        Job: 'power-schedule',
        Action: 'stop',
        Outcome: 'InProgress',
        Cluster: 'aks-paris',
        Actor: 'timer',
      }),
    ]);
    expect(String(rows[0]!.Reason)).toContain('stop edge 19:00 Europe/Paris');

    const after = await tickAt(app, '2026-06-08T17:05:00Z');
    expect(brief(after)).toEqual(['aks-paris stop Succeeded']);
    expect(after.outcomes[0]!.reason).toMatch(/stop completed after 5 min; aks-paris is Stopped/);
    expect(await powerOf(app, 'aks-paris')).toBe('Stopped/Succeeded');
    expect(await cardText(app, after)).toMatch(/aks-paris[\s\S]*Succeeded/);
    expect(await rowsOf(app, after)).toEqual([
      expect.objectContaining({ Action: 'stop', Outcome: 'Succeeded', Cluster: 'aks-paris' }),
    ]);

    expect(brief(await tickAt(app, '2026-06-08T17:10:00Z'))).toEqual([]);
    expect(app.logs.some((l) => /stop aks-paris: InProgress/.test(l))).toBe(true);
  });

  it.each([
    // zone, tags, power before, tick before the edge, the edge (UTC), action
    [
      'America/New_York',
      { 'day2-stop': '0 19 * * 1-5' },
      'Running',
      '2026-06-08T22:55:00Z',
      '2026-06-08T23:00:00Z',
      'stop',
    ],
    [
      'America/New_York',
      { 'day2-start': '30 7 * * 1-5' },
      'Stopped',
      '2026-06-08T11:25:00Z',
      '2026-06-08T11:30:00Z',
      'start',
    ],
    [
      'Asia/Kolkata',
      { 'day2-stop': '0 20 * * 1-5' },
      'Running',
      '2026-06-08T14:25:00Z',
      '2026-06-08T14:30:00Z',
      'stop',
    ],
    [
      'Asia/Kolkata',
      { 'day2-start': '0 8 * * 1-5' },
      'Stopped',
      '2026-06-08T02:25:00Z',
      '2026-06-08T02:30:00Z',
      'start',
    ],
    [
      'Pacific/Auckland',
      { 'day2-start': '0 7 * * 1-5' },
      'Stopped',
      '2026-06-07T18:55:00Z',
      '2026-06-07T19:00:00Z',
      'start',
    ], // Monday 07:00 NZST is Sunday 19:00Z
    [
      'Pacific/Auckland',
      { 'day2-stop': '0 18 * * 1-5' },
      'Running',
      '2026-06-08T05:55:00Z',
      '2026-06-08T06:00:00Z',
      'stop',
    ],
  ] as const)(
    'in %s acts on %j at its local hour (%s before; ticks at %s and at the edge %s)',
    async (zone, crons, power, warm, edge, action) => {
      app = await startTestApp({
        fleet: powerFleet([
          { name: 'aks-zone', tags: { ...crons, 'day2-timezone': zone }, powerState: power },
        ]),
        startTime: warm,
        speed: 0,
      });
      expect(brief(await tickAt(app, warm))).toEqual([]);
      const run = await tickAt(app, edge);
      expect(brief(run)).toEqual([`aks-zone ${action} InProgress`]);
      expect(run.outcomes[0]!.reason).toContain(zone);
      expect(await cardText(app, run)).toContain('aks-zone');
      expect(await rowsOf(app, run)).toEqual([
        expect.objectContaining({
          Job: 'power-schedule',
          Action: action,
          Outcome: 'InProgress',
          Cluster: 'aks-zone',
        }),
      ]);
    },
  );

  it('respects a manual start at 21:00 after the 19:00 stop: the cluster stays running until the next edge', async () => {
    app = await startTestApp({
      fleet: powerFleet([{ name: 'aks-late', tags: PARIS_OFFICE }]),
      startTime: '2026-06-08T16:55:00Z',
      speed: 0,
    });
    expect(brief(await ticks(app, '2026-06-08T16:55:00Z', '2026-06-08T17:05:00Z'))).toEqual([
      'aks-late stop InProgress',
      'aks-late stop Succeeded',
    ]);

    app.sim.clock.set('2026-06-08T19:00:00Z'); // 21:00 Paris: someone starts it by hand
    const manual = client(app).managedClusters.start(RG, 'aks-late');
    await manual.submitted();
    app.sim.clock.advance(5 * 60_000);
    await manual.pollUntilDone();
    expect(await powerOf(app, 'aks-late')).toBe('Running/Succeeded');

    const evening = await ticks(app, '2026-06-08T19:05:00Z', '2026-06-08T21:55:00Z', 10);
    expect(brief(evening)).toEqual([]);
    expect(await powerOf(app, 'aks-late')).toBe('Running/Succeeded');
  });

  it('changes nothing in a dry run and reports the action as Planned, once', async () => {
    app = await startTestApp({
      fleet: powerFleet([{ name: 'aks-dry', tags: PARIS_OFFICE }]),
      startTime: '2026-06-08T16:55:00Z',
      speed: 0,
    });
    await tickAt(app, '2026-06-08T16:55:00Z', { dryRun: true });
    const run = await tickAt(app, '2026-06-08T17:00:00Z', { dryRun: true });
    expect(run.dryRun).toBe(true);
    expect(brief(run)).toEqual(['aks-dry stop Planned']);
    expect(await powerOf(app, 'aks-dry')).toBe('Running/Succeeded');
    expect(await app.deps.state.operations.inFlight()).toEqual([]);
    const card = await cardText(app, run);
    expect(card).toContain('DRY RUN');
    expect(card).toContain('aks-dry');
    const rows = await rowsOf(app, run);
    expect(rows).toEqual([
      expect.objectContaining({ Action: 'stop', Outcome: 'Planned', Cluster: 'aks-dry' }),
    ]);
    expect(rows[0]!.Details).toMatchObject({ dryRun: true });
    expect(brief(await tickAt(app, '2026-06-08T17:05:00Z', { dryRun: true }))).toEqual([]);
  });

  it('does not consume the real edge in a dry run: the real tick after it still stops the cluster', async () => {
    app = await startTestApp({
      fleet: powerFleet([{ name: 'aks-dry', tags: PARIS_OFFICE }]),
      startTime: '2026-06-08T16:55:00Z',
      speed: 0,
    });
    await tickAt(app, '2026-06-08T16:55:00Z', { dryRun: true });
    expect(brief(await tickAt(app, '2026-06-08T17:00:00Z', { dryRun: true }))).toEqual([
      'aks-dry stop Planned',
    ]);
    expect(await app.deps.state.edges.all()).toEqual(new Map());
    expect(brief(await tickAt(app, '2026-06-08T17:05:00Z'))).toEqual(['aks-dry stop InProgress']);
    expect(await powerOf(app, 'aks-dry')).toBe('Running/Stopping');
  });

  it('reports a bad tag to the real timer even after a dry run reported it', async () => {
    app = await startTestApp({
      fleet: powerFleet([{ name: 'aks-badtag', tags: { 'day2-stop': '0 25 * * *' } }]),
      startTime: '2026-06-08T16:55:00Z',
      speed: 0,
    });
    const tagChecks = (run: RunRecord): string[] =>
      run.outcomes.filter((o) => o.action === 'tag-check').map((o) => o.reason);
    expect(tagChecks(await tickAt(app, '2026-06-08T16:55:00Z', { dryRun: true }))).toEqual([
      'day2-stop="0 25 * * *": hour 25 is out of range 0-23',
    ]);
    expect(tagChecks(await tickAt(app, '2026-06-08T17:00:00Z'))).toEqual([
      'day2-stop="0 25 * * *": hour 25 is out of range 0-23',
    ]);
    expect(tagChecks(await tickAt(app, '2026-06-08T17:05:00Z'))).toEqual([]);
  });

  it('records the run once per tick, with the actor given', async () => {
    app = await startTestApp({
      fleet: powerFleet([{ name: 'aks-actor', tags: PARIS_OFFICE }]),
      startTime: '2026-06-08T17:00:00Z',
      speed: 0,
    });
    const run = await runPowerSchedule(app.deps, { actor: 'teams:00000000-0000-0000-0000-000000000001' });
    expect(run.actor).toBe('teams:00000000-0000-0000-0000-000000000001');
    expect((await app.deps.notifier.runs.get(run.runId))?.runId).toBe(run.runId);
  });
});
