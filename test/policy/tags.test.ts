import { describePolicy, formatTagError, parseClusterPolicy } from '../../shared/policy/tags';
import { parseCronSpec } from '../../shared/policy/cron';

const defaults = { defaultTimezone: 'UTC' };

describe('parseClusterPolicy', () => {
  it('gives the documented defaults to an untagged cluster', () => {
    expect(parseClusterPolicy({}, defaults)).toEqual({
      stop: undefined,
      start: undefined,
      timezone: 'UTC',
      skipDates: [],
      ring: 5,
      nodeImage: 'notify',
      upgrade: 'notify',
      protect: false,
      prod: false,
      errors: [],
    });
  });

  it('reads every day2 tag of a fully tagged cluster', () => {
    const p = parseClusterPolicy(
      {
        'day2-stop': '0 19 * * 1-5',
        'day2-start': '30 7 * * 1-5',
        'day2-timezone': 'Europe/Paris',
        'day2-skip': '2026-12-25, 2026-12-24',
        'day2-ring': '1',
        'day2-node-image': 'auto',
        'day2-upgrade': 'patch',
        'day2-protect': 'true',
      },
      defaults,
    );
    expect(p).toMatchObject({
      stop: { expression: '0 19 * * 1-5' },
      start: { expression: '30 7 * * 1-5' },
      timezone: 'Europe/Paris',
      skipDates: ['2026-12-24', '2026-12-25'],
      ring: 1,
      nodeImage: 'auto',
      upgrade: 'patch',
      protect: true,
      errors: [],
    });
  });

  it('uses the default zone when day2-timezone is absent', () => {
    expect(
      parseClusterPolicy({ 'day2-stop': '0 19 * * *' }, { defaultTimezone: 'America/New_York' }).timezone,
    ).toBe('America/New_York');
  });

  it('finds tag keys whatever their case, as Azure does', () => {
    const p = parseClusterPolicy(
      { 'Day2-Stop': '0 19 * * *', 'DAY2-TIMEZONE': 'europe/paris', 'Day2-Ring': '2' },
      defaults,
    );
    expect(p).toMatchObject({
      stop: { expression: '0 19 * * *' },
      timezone: 'Europe/Paris',
      ring: 2,
      errors: [],
    });
  });

  it('keeps a valid zone as written when ICU knows it under another name', () => {
    expect(parseClusterPolicy({ 'day2-timezone': 'Asia/Kolkata' }, defaults).timezone).toBe('Asia/Kolkata');
  });

  it.each([
    [{ environment: 'prod' }, true],
    [{ Environment: 'Production' }, true],
    [{ ENV: 'PROD' }, true],
    [{ env: 'dev', environment: 'production' }, true],
    [{ environment: 'dev' }, false],
    [{ environment: 'preprod' }, false],
    [{ stage: 'prod' }, false],
  ])('marks %j as prod = %s', (tags, prod) => {
    expect(parseClusterPolicy(tags, defaults).prod).toBe(prod);
  });

  it.each([
    ['day2-stop', '0 25 * * *', 'hour 25 is out of range 0-23'],
    ['day2-stop', '61 19 * * *', 'minute 61 is out of range 0-59'],
    ['day2-start', '0 7 32 * *', 'day of month 32 is out of range 1-31'],
    ['day2-start', '0 7 * 13 *', 'month 13 is out of range 1-12'],
    ['day2-start', '0 7 * * 8', 'day of week 8 is out of range 0-7'],
    ['day2-stop', '0 19-25 * * *', 'hour range 19-25 is out of range 0-23'],
    ['day2-stop', 'seven pm', 'expected 5 fields'],
    ['day2-stop', '0 0 19 * * 1-5', 'got 6 fields'],
    ['day2-stop', '@daily', 'got 1 field'],
    ['day2-stop', '', 'got 0 fields'],
    ['day2-stop', '0 H * * *', 'hashed values (H) are not supported'],
    ['day2-stop', '0 0 30 2 *', 'day of month never occurs'],
    ['day2-stop', 'x 19 * * *', 'minute "x" is not a number'],
  ])('reports %s "%s" with a readable reason and leaves the action off', (tag, value, reason) => {
    const p = parseClusterPolicy({ [tag]: value }, defaults);
    expect(p.stop).toBeUndefined();
    expect(p.start).toBeUndefined();
    expect(p.errors).toHaveLength(1);
    expect(p.errors[0]).toMatchObject({ tag, value });
    expect(p.errors[0]!.reason).toContain(reason);
  });

  it('keeps a good start cron when only the stop cron is bad', () => {
    const p = parseClusterPolicy({ 'day2-stop': '0 25 * * *', 'day2-start': '30 7 * * 1-5' }, defaults);
    expect(p.stop).toBeUndefined();
    expect(p.start).toEqual({ expression: '30 7 * * 1-5' });
  });

  it('drops both crons when the zone is not an IANA zone, and reports the zone', () => {
    const p = parseClusterPolicy(
      { 'day2-stop': '0 19 * * *', 'day2-start': '0 7 * * *', 'day2-timezone': 'CEST+1' },
      defaults,
    );
    expect(p.stop).toBeUndefined();
    expect(p.start).toBeUndefined();
    expect(p.errors).toEqual([
      {
        tag: 'day2-timezone',
        value: 'CEST+1',
        reason:
          '"CEST+1" is not an IANA time zone (e.g. Europe/Paris); no scheduled start/stop until it is fixed',
      },
    ]);
  });

  it.each([
    [{ 'day2-ring': '12' }, { ring: 5 }],
    [{ 'day2-ring': 'first' }, { ring: 5 }],
    [{ 'day2-node-image': 'yes' }, { nodeImage: 'off' }],
    [{ 'day2-upgrade': 'major' }, { upgrade: 'off' }],
    [{ 'day2-protect': 'yes' }, { protect: true }],
    [{ 'day2-skip': '2026-02-30,2026-12-24,24/12/2026' }, { skipDates: [] }],
  ])('reports %j and falls back to %j', (tags, fallback) => {
    const p = parseClusterPolicy(tags, defaults);
    expect(p).toMatchObject(fallback);
    expect(p.errors).toHaveLength(1);
    const [tag, value] = Object.entries(tags)[0]!;
    expect(p.errors[0]).toMatchObject({ tag, value });
  });

  it.each([
    [
      { 'day2-ring': 'first', 'day2-node-image': 'auto', 'day2-upgrade': 'patch' },
      { ring: 5, nodeImage: 'notify', upgrade: 'notify' },
    ],
    [
      { 'day2-ring': '12', 'day2-node-image': 'auto', 'day2-upgrade': 'minor' },
      { ring: 5, nodeImage: 'notify', upgrade: 'notify' },
    ],
    [
      { 'day2-ring': '-1', 'day2-node-image': 'off', 'day2-upgrade': 'off' },
      { ring: 5, nodeImage: 'off', upgrade: 'off' },
    ],
    [
      { 'day2-ring': '1.5', 'day2-node-image': 'notify' },
      { ring: 5, nodeImage: 'notify', upgrade: 'notify' },
    ],
  ])(
    'does not opt a cluster with a bad day2-ring into automatic upgrades: %j → %j, reported',
    (tags, expected) => {
      const p = parseClusterPolicy(tags, defaults);
      expect(p).toMatchObject(expected);
      expect(p.errors).toEqual([
        {
          tag: 'day2-ring',
          value: tags['day2-ring'],
          reason: expect.stringContaining('no automatic node-image or Kubernetes upgrades') as unknown,
        },
      ]);
    },
  );

  it('names every bad skip date in one error, says a date that does not exist is not a real date, and turns the whole skip list off', () => {
    const p = parseClusterPolicy({ 'day2-skip': '2026-02-30, 24/12/2026,2026-12-24' }, defaults);
    expect(p.errors[0]!.reason).toBe(
      '"2026-02-30" is not a real date; "24/12/2026" is not a date written yyyy-mm-dd; the skip list is off (no date is skipped) until it is fixed',
    );
    expect(p.skipDates).toEqual([]);
  });

  it.each([
    ['-1 * * * *', 'minute "-1" has a negative number; minute values are 0-59'],
    ['0,0 19 * * *', 'minute "0,0" gives 0 more than once; list each value once'],
    ['0 19 * * 1-5,3', 'day of week "1-5,3" gives 3 more than once; list each value once'],
    ['*/15,30 * * * *', 'minute gives 30 more than once; list each value once'],
  ])('explains the cron %j in words: %s', (cron, reason) => {
    expect(parseClusterPolicy({ 'day2-stop': cron }, defaults).errors[0]!.reason).toBe(reason);
  });

  it('quotes a bad value with its invisible characters shown, in every report of it', () => {
    const p = parseClusterPolicy(
      { 'day2-stop': '0 19 * * 1-5\u200b', 'day2-timezone': 'Europe/Paris\u0007' },
      defaults,
    );
    expect(p.errors.map(formatTagError)).toEqual([
      'day2-timezone="Europe/Paris\\u{0007}": "Europe/Paris\\u{0007}" is not an IANA time zone (e.g. Europe/Paris); no scheduled start/stop until it is fixed',
      expect.stringMatching(/^day2-stop="0 19 \* \* 1-5\\u\{200b\}": day of week /) as unknown,
    ]);
  });

  it('accepts day2-protect=false as not protected, without an error', () => {
    expect(parseClusterPolicy({ 'day2-protect': 'false' }, defaults)).toMatchObject({
      protect: false,
      errors: [],
    });
  });

  it('accepts mode values in any case', () => {
    expect(
      parseClusterPolicy(
        { 'day2-node-image': 'Auto', 'day2-upgrade': 'MINOR', 'day2-protect': 'True' },
        defaults,
      ),
    ).toMatchObject({ nodeImage: 'auto', upgrade: 'minor', protect: true, errors: [] });
  });
});

describe('parseCronSpec', () => {
  it.each([
    '0 19 * * 1-5',
    '30 7 * * MON-FRI',
    '*/15 8-18 * * *',
    '0 0 L * *',
    '0 9 * * 5#3',
    '  0   19 * * *  ',
  ])('accepts "%s"', (text) => {
    expect(parseCronSpec(text)).toHaveProperty('spec');
  });
});

describe('describePolicy', () => {
  it('summarises a scheduled cluster on one line', () => {
    const p = parseClusterPolicy(
      {
        'day2-stop': '0 19 * * 1-5',
        'day2-start': '30 7 * * 1-5',
        'day2-timezone': 'Europe/Paris',
        'day2-ring': '1',
        'day2-node-image': 'auto',
      },
      defaults,
    );
    expect(describePolicy(p)).toBe(
      'stop 0 19 * * 1-5 / start 30 7 * * 1-5 Europe/Paris; ring 1; node-image auto; upgrade notify',
    );
  });

  it('says when there is no schedule and counts tag errors', () => {
    const p = parseClusterPolicy(
      { 'day2-stop': 'nope', environment: 'prod', 'day2-protect': 'true' },
      defaults,
    );
    expect(describePolicy(p)).toBe(
      'no power schedule; ring 5; node-image notify; upgrade notify; prod; protected; 1 tag error',
    );
  });
});
