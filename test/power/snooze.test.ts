import { parseSnooze, parseSnoozeText } from '../../shared/power/snooze';

const iso = (r: { until: Date } | { error: string }): string =>
  'until' in r ? r.until.toISOString() : `error: ${r.error}`;

describe('parseSnooze', () => {
  it.each([
    // args, now, zone, snoozed until
    [{ until: '22:00' }, '2026-06-08T17:00:00Z', 'Europe/Paris', '2026-06-08T20:00:00.000Z'], // 19:00 CEST → 22:00 the same evening
    [{ until: '02:00' }, '2026-06-08T17:00:00Z', 'Europe/Paris', '2026-06-09T00:00:00.000Z'], // already past today: tomorrow
    [{ until: '19:00' }, '2026-06-08T17:00:30Z', 'Europe/Paris', '2026-06-09T17:00:00.000Z'], // the next occurrence strictly after now
    [{ until: '7:30' }, '2026-06-08T13:00:00Z', 'Asia/Kolkata', '2026-06-09T02:00:00.000Z'],
    [{ until: '22:00' }, '2026-06-08T20:00:00Z', 'Pacific/Auckland', '2026-06-09T10:00:00.000Z'],
    [{ until: '02:30' }, '2026-03-28T22:00:00Z', 'Europe/Paris', '2026-03-29T01:00:00.000Z'], // inside the spring-forward gap: end of the gap
    [{ until: '02:30' }, '2026-10-24T22:00:00Z', 'Europe/Paris', '2026-10-25T00:30:00.000Z'], // repeated hour: the first 02:30
    [{ for: '2h' }, '2026-06-08T17:00:00Z', 'Europe/Paris', '2026-06-08T19:00:00.000Z'],
    [{ for: '90m' }, '2026-06-08T17:00:00Z', 'Europe/Paris', '2026-06-08T18:30:00.000Z'],
    [{ for: '1h30m' }, '2026-06-08T17:00:00Z', 'UTC', '2026-06-08T18:30:00.000Z'],
    [{ for: '24h' }, '2026-06-08T17:00:00Z', 'UTC', '2026-06-09T17:00:00.000Z'],
    [{ for: '1H 15M' }, '2026-06-08T17:00:00Z', 'UTC', '2026-06-08T18:15:00.000Z'],
  ])('%j at %s in %s snoozes until %s', (args, now, zone, until) => {
    expect(iso(parseSnooze(args, new Date(now), zone))).toBe(until);
  });

  it.each([
    [{ until: '25:00' }, 'until: expected a local time HH:MM (24-hour), e.g. 22:00; got "25:00"'],
    [{ until: '10pm' }, 'until: expected a local time HH:MM (24-hour), e.g. 22:00; got "10pm"'],
    [{ for: 'two hours' }, 'for: expected a duration such as 2h, 90m or 1h30m; got "two hours"'],
    [{ for: '0m' }, 'for: expected a duration longer than 0; got "0m"'],
    [{ for: '25h' }, 'for: a snooze lasts at most 24h; got "25h"'],
    [{ for: '1441m' }, 'for: a snooze lasts at most 24h; got "1441m"'],
    [{ for: '' }, 'for: expected a duration such as 2h, 90m or 1h30m; got ""'],
    [{ until: '22:00', for: '2h' }, 'give either "for" or "until", not both'],
    [{}, 'expected "for <duration>"'],
  ])('refuses %j and says which field and what was expected', (args, error) => {
    expect(iso(parseSnooze(args, new Date('2026-06-08T17:00:00Z'), 'Europe/Paris'))).toContain(
      `error: ${error}`,
    );
  });

  it('refuses a zone that is not an IANA zone', () => {
    expect(iso(parseSnooze({ for: '2h' }, new Date(), 'Mars/Olympus'))).toBe(
      'error: zone: "Mars/Olympus" is not an IANA time zone',
    );
  });
});

describe('parseSnoozeText', () => {
  it.each([
    ['for 2h', { for: '2h' }],
    ['for 1h 30m', { for: '1h30m' }],
    ['  FOR 90m ', { for: '90m' }],
    ['until 22:00', { until: '22:00' }],
    ['Until 7:30', { until: '7:30' }],
  ])('reads "%s" as %j', (text, args) => {
    expect(parseSnoozeText(text)).toEqual(args);
  });

  it.each(['2h', 'for', 'till 22:00', ''])('answers "%s" with the usage', (text) => {
    expect(parseSnoozeText(text)).toEqual({
      error:
        'expected "for <duration>" (e.g. for 2h, for 90m, for 1h30m) or "until HH:MM" (e.g. until 22:00)',
    });
  });

  it('feeds parseSnooze', () => {
    const args = parseSnoozeText('until 22:00');
    if ('error' in args) throw new Error(args.error);
    expect(iso(parseSnooze(args, new Date('2026-06-08T17:00:00Z'), 'Europe/Paris'))).toBe(
      '2026-06-08T20:00:00.000Z',
    );
  });
});
