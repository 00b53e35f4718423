import { startTestApp, type TestApp } from '../support/app';
import { brief, cardText, PARIS_OFFICE, powerFleet, rowsOf, tickAt, ticks } from './intSupport';

describe('power schedule apply: daylight saving and missed ticks', () => {
  let app: TestApp;
  afterEach(async () => app?.close());

  it.each([
    // 29 March 2026: 02:00 CET jumps to 03:00 CEST; 02:30 does not exist and fires once at 03:00 CEST = 01:00Z.
    [
      '29 March 2026 (spring forward)',
      '2026-03-28T23:00:00Z',
      '2026-03-29T02:00:00Z',
      '2026-03-29T01:00:00.000Z',
    ],
    // 25 October 2026: 03:00 CEST falls back to 02:00 CET; 02:30 happens twice and fires once, the first time (00:30Z).
    [
      '25 October 2026 (fall back)',
      '2026-10-24T23:30:00Z',
      '2026-10-25T02:30:00Z',
      '2026-10-25T00:30:00.000Z',
    ],
  ])('acts exactly once on an edge at 02:30 Europe/Paris on %s', async (_day, from, to, edgeAt) => {
    app = await startTestApp({
      fleet: powerFleet([
        { name: 'aks-dst', tags: { 'day2-stop': '30 2 * * *', 'day2-timezone': 'Europe/Paris' } },
      ]),
      startTime: from,
      speed: 0,
    });
    const runs = await ticks(app, from, to);
    const acted = runs.filter((r) => r.outcomes.some((o) => o.outcome === 'InProgress'));
    expect(acted.map((r) => r.startedAt.toISOString())).toEqual([edgeAt]);
    expect(brief(runs)).toEqual(['aks-dst stop InProgress', 'aks-dst stop Succeeded']);
    expect(await rowsOf(app, acted[0]!)).toEqual([
      expect.objectContaining({ Action: 'stop', Outcome: 'InProgress', Cluster: 'aks-dst' }),
    ]);
  });

  it.each([
    [20, 'aks-catchup stop InProgress', /caught up 20 min late/],
    [40, 'aks-catchup stop Skipped', /missed by 40 min, past the catch-up window \(30 min\)/],
  ])('when the ticks stop for %i minutes after the 19:00 edge: %s', async (late, expected, reason) => {
    app = await startTestApp({
      fleet: powerFleet([{ name: 'aks-catchup', tags: PARIS_OFFICE }]),
      startTime: '2026-06-08T16:55:00Z',
      speed: 0,
    });
    expect(brief(await tickAt(app, '2026-06-08T16:55:00Z'))).toEqual([]);
    const run = await tickAt(
      app,
      new Date(Date.parse('2026-06-08T17:00:00Z') + late * 60_000).toISOString(),
      { pastDue: true },
    );
    expect(brief(run)).toEqual([expected]);
    expect(run.outcomes[0]!.reason).toMatch(reason);
    const rows = await rowsOf(app, run);
    expect(rows).toEqual([
      expect.objectContaining({
        Job: 'power-schedule',
        Action: 'stop',
        Cluster: 'aks-catchup',
        Outcome: expected.split(' ')[2],
      }),
    ]);
    expect(String(rows[0]!.Reason)).toMatch(reason);
    const card = await cardText(app, run);
    if (late === 20) expect(card).toContain('aks-catchup');
    else expect(card).toBeUndefined(); // nothing changed, nothing found: no card, the row is enough
    expect(
      brief(
        await tickAt(app, new Date(Date.parse('2026-06-08T17:05:00Z') + late * 60_000).toISOString()),
      ).filter((b) => !b.endsWith('Succeeded')),
    ).toEqual([]);
  });

  it('does not report edges missed before the app first ran, only logs them', async () => {
    app = await startTestApp({
      fleet: powerFleet([{ name: 'aks-new', tags: PARIS_OFFICE }]),
      startTime: '2026-06-08T12:00:00Z',
      speed: 0,
    });
    const run = await tickAt(app, '2026-06-08T12:00:00Z');
    expect(brief(run)).toEqual([]);
    expect(
      app.logs.some((l) =>
        /aks-new start: start edge 07:30 Europe\/Paris missed .* \(first sight of this edge, not reported\)/.test(
          l,
        ),
      ),
    ).toBe(true);
    expect(await cardText(app, run)).toBeUndefined();
  });
});
