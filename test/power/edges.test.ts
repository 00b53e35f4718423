import { DateTime } from 'luxon';
import { edgesBetween, lastEdgeAtOrBefore, nextEdgeAfter } from '../../shared/power/edges';

const cron = (expression: string) => ({ expression });
const iso = (d: Date | undefined): string | undefined => d?.toISOString();

describe('cron edges in a zone', () => {
  it.each([
    // zone, cron, now, last edge at or before now, next edge after now
    [
      'Europe/Paris',
      '0 19 * * 1-5',
      '2026-06-05T20:00:00Z',
      '2026-06-05T17:00:00.000Z',
      '2026-06-08T17:00:00.000Z',
    ], // Fri CEST → Mon
    [
      'Europe/Paris',
      '0 19 * * 1-5',
      '2026-01-09T19:30:00Z',
      '2026-01-09T18:00:00.000Z',
      '2026-01-12T18:00:00.000Z',
    ], // winter, CET
    [
      'Europe/Paris',
      '30 7 * * 1-5',
      '2026-06-08T05:30:00Z',
      '2026-06-08T05:30:00.000Z',
      '2026-06-09T05:30:00.000Z',
    ], // now on the edge
    [
      'America/New_York',
      '0 19 * * 1-5',
      '2026-06-05T23:30:00Z',
      '2026-06-05T23:00:00.000Z',
      '2026-06-08T23:00:00.000Z',
    ], // EDT
    [
      'America/New_York',
      '0 19 * * 1-5',
      '2026-01-09T23:30:00Z',
      '2026-01-09T00:00:00.000Z',
      '2026-01-10T00:00:00.000Z',
    ], // EST: Friday 19:00 is Saturday in UTC
    [
      'Asia/Kolkata',
      '30 7 * * 1-5',
      '2026-06-08T01:00:00Z',
      '2026-06-05T02:00:00.000Z',
      '2026-06-08T02:00:00.000Z',
    ], // UTC+5:30
    [
      'Asia/Kolkata',
      '0 19 * * 1-5',
      '2026-06-08T14:00:00Z',
      '2026-06-08T13:30:00.000Z',
      '2026-06-09T13:30:00.000Z',
    ],
    [
      'Pacific/Auckland',
      '0 8 * * 1',
      '2026-06-07T12:00:00Z',
      '2026-05-31T20:00:00.000Z',
      '2026-06-07T20:00:00.000Z',
    ], // NZST: Monday 08:00 = Sunday 20:00Z
    [
      'Pacific/Auckland',
      '0 8 * * 1',
      '2026-01-11T19:00:00Z',
      '2026-01-11T19:00:00.000Z',
      '2026-01-18T19:00:00.000Z',
    ], // NZDT: Sunday 19:00Z
    ['UTC', '0 19 * * 1-5', '2026-06-06T12:00:00Z', '2026-06-05T19:00:00.000Z', '2026-06-08T19:00:00.000Z'],
  ])('in %s, "%s" at %s: last %s, next %s', (zone, expr, now, last, next) => {
    expect(iso(lastEdgeAtOrBefore(cron(expr), zone, new Date(now)))).toBe(last);
    expect(iso(nextEdgeAfter(cron(expr), zone, new Date(now)))).toBe(next);
  });

  it('puts an Auckland Monday edge on a Sunday in UTC', () => {
    const edge = nextEdgeAfter(cron('0 8 * * 1'), 'Pacific/Auckland', new Date('2026-06-03T00:00:00Z'))!;
    expect(edge.getUTCDay()).toBe(0);
    expect(DateTime.fromJSDate(edge, { zone: 'Pacific/Auckland' }).toFormat('ccc HH:mm')).toBe('Mon 08:00');
  });
});

describe('cron edges across daylight-saving changes', () => {
  it.each([
    // zone, cron, from, to (exclusive, inclusive], expected edges
    [
      'Europe/Paris',
      '30 2 * * *',
      '2026-03-27T12:00:00Z',
      '2026-03-30T12:00:00Z',
      ['2026-03-28T01:30:00.000Z', '2026-03-29T01:00:00.000Z', '2026-03-30T00:30:00.000Z'],
    ], // 02:30 skipped → 03:00 CEST, once
    [
      'Europe/Paris',
      '30 2 * * *',
      '2026-10-23T12:00:00Z',
      '2026-10-26T12:00:00Z',
      ['2026-10-24T00:30:00.000Z', '2026-10-25T00:30:00.000Z', '2026-10-26T01:30:00.000Z'],
    ], // 02:30 twice → first only
    [
      'Europe/Paris',
      '*/15 2 * * *',
      '2026-03-28T22:00:00Z',
      '2026-03-29T22:00:00Z',
      ['2026-03-29T01:00:00.000Z'],
    ], // a whole skipped hour fires once
    [
      'Europe/Paris',
      '0,30 2-3 * * *',
      '2026-03-28T22:00:00Z',
      '2026-03-29T22:00:00Z',
      ['2026-03-29T01:00:00.000Z', '2026-03-29T01:30:00.000Z'],
    ],
    [
      'Europe/Paris',
      '0,30 2-3 * * *',
      '2026-10-24T22:00:00Z',
      '2026-10-25T22:00:00Z',
      [
        '2026-10-25T00:00:00.000Z',
        '2026-10-25T00:30:00.000Z',
        '2026-10-25T02:00:00.000Z',
        '2026-10-25T02:30:00.000Z',
      ],
    ],
    [
      'America/New_York',
      '30 2 * * *',
      '2026-03-07T12:00:00Z',
      '2026-03-09T12:00:00Z',
      ['2026-03-08T07:00:00.000Z', '2026-03-09T06:30:00.000Z'],
    ], // 02:30 skipped → 03:00 EDT
    [
      'America/New_York',
      '30 1 * * *',
      '2026-10-31T12:00:00Z',
      '2026-11-02T12:00:00Z',
      ['2026-11-01T05:30:00.000Z', '2026-11-02T06:30:00.000Z'],
    ], // 01:30 occurs twice → first (EDT) only
    [
      'Pacific/Auckland',
      '30 2 * * *',
      '2026-09-26T00:00:00Z',
      '2026-09-28T00:00:00Z',
      ['2026-09-26T14:00:00.000Z', '2026-09-27T13:30:00.000Z'],
    ], // 27 Sep 02:30 skipped → 03:00 NZDT (14:00Z), then 02:30 NZDT
    [
      'Pacific/Auckland',
      '30 2 * * *',
      '2026-04-04T00:00:00Z',
      '2026-04-06T00:00:00Z',
      ['2026-04-04T13:30:00.000Z', '2026-04-05T14:30:00.000Z'],
    ], // 5 Apr: first 02:30 (NZDT, 13:30Z) only, then 02:30 NZST
  ])('in %s, "%s" in (%s, %s] fires at %j', (zone, expr, from, to, expected) => {
    expect(edgesBetween(cron(expr), zone, new Date(from), new Date(to)).map((d) => d.toISOString())).toEqual(
      expected,
    );
  });

  it.each([
    // now, last edge of "30 2 * * *" in Paris at or before now
    ['2026-03-29T00:59:59Z', '2026-03-28T01:30:00.000Z'],
    ['2026-03-29T01:00:00Z', '2026-03-29T01:00:00.000Z'],
    ['2026-10-25T00:29:00Z', '2026-10-24T00:30:00.000Z'],
    ['2026-10-25T00:30:00Z', '2026-10-25T00:30:00.000Z'],
    ['2026-10-25T01:45:00Z', '2026-10-25T00:30:00.000Z'], // the second 02:45 (CET): the last edge is still the first 02:30
  ])('in Paris at %s the last 02:30 edge is %s', (now, last) => {
    expect(iso(lastEdgeAtOrBefore(cron('30 2 * * *'), 'Europe/Paris', new Date(now)))).toBe(last);
  });

  it('does not fire the repeated 02:30 a second time', () => {
    expect(iso(nextEdgeAfter(cron('30 2 * * *'), 'Europe/Paris', new Date('2026-10-25T00:30:00Z')))).toBe(
      '2026-10-26T01:30:00.000Z',
    );
  });

  it.each(['Europe/Paris', 'America/New_York', 'Asia/Kolkata', 'Pacific/Auckland'])(
    'fires a daily 02:30 exactly once on every local day of 2026 in %s',
    (zone) => {
      const start = DateTime.fromISO('2026-01-01T00:00', { zone });
      const end = DateTime.fromISO('2027-01-01T00:00', { zone });
      const edges = edgesBetween(cron('30 2 * * *'), zone, start.toJSDate(), end.toJSDate(), 400);
      const days = edges.map((d) => DateTime.fromJSDate(d, { zone }).toISODate());
      expect(edges).toHaveLength(365);
      expect(new Set(days).size).toBe(365);
    },
  );

  it('fires weekday office-hour edges only on local weekdays at the local hour through 2026 in Paris', () => {
    const edges = edgesBetween(
      cron('0 19 * * 1-5'),
      'Europe/Paris',
      new Date('2026-01-01T00:00:00Z'),
      new Date('2027-01-01T00:00:00Z'),
      400,
    );
    expect(edges).toHaveLength(261);
    for (const e of edges) {
      const local = DateTime.fromJSDate(e, { zone: 'Europe/Paris' });
      expect([local.weekday <= 5, local.hour, local.minute]).toEqual([true, 19, 0]);
    }
  });
});
