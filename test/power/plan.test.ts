import type { ClusterSnapshot } from '../../shared/fleet/cluster';
import { handledAfter, nextEdges, planPowerSchedule, type PowerPlanInput } from '../../shared/power/plan';
import { brief, cluster, PARIS_OFFICE, simulate } from './fixtures';

// Monday 8 June 2026, Paris is on CEST (UTC+2): the 19:00 stop edge is 17:00Z, the 07:30 start edge 05:30Z.

function input(clusters: ClusterSnapshot[], now: string, over: Partial<PowerPlanInput> = {}): PowerPlanInput {
  return {
    now: new Date(now),
    clusters,
    defaultTimezone: 'UTC',
    catchupMinutes: 30,
    snoozes: new Map(),
    handledEdges: new Map(),
    ...over,
  };
}

/** Handled edges as they stand after the app has been running up to `at`. */
function warm(clusters: ClusterSnapshot[], at: string): Map<string, Date> {
  return handledAfter(new Map(), planPowerSchedule(input(clusters, at)).decisions);
}

/** Decisions at `now`, the app having been up until `upTo` (default: 5 minutes earlier). */
function decide(
  clusters: ClusterSnapshot[],
  now: string,
  over: Partial<PowerPlanInput> & { upTo?: string } = {},
): string[] {
  const upTo = over.upTo ?? new Date(Date.parse(now) - 5 * 60_000).toISOString();
  const plan = planPowerSchedule(input(clusters, now, { handledEdges: warm(clusters, upTo), ...over }));
  return plan.decisions.map((d) => `${d.cluster.name} ${d.action} ${d.kind}: ${d.reason}`);
}

describe('planPowerSchedule: edges in the cluster zone', () => {
  it.each([
    ['Europe/Paris', '0 19 * * 1-5', '2026-06-08T17:00:00Z', 'stop edge 19:00 Europe/Paris'],
    ['America/New_York', '0 19 * * 1-5', '2026-06-08T23:00:00Z', 'stop edge 19:00 America/New_York'],
    ['America/New_York', '0 19 * * 1-5', '2026-01-10T00:00:00Z', 'stop edge 19:00 America/New_York'], // Friday evening, Saturday in UTC
    ['Asia/Kolkata', '0 19 * * 1-5', '2026-06-08T13:30:00Z', 'stop edge 19:00 Asia/Kolkata'],
    ['Pacific/Auckland', '0 8 * * 1', '2026-06-07T20:00:00Z', 'stop edge 08:00 Pacific/Auckland'], // Monday 08:00 local, Sunday in UTC
  ])('in %s stops "%s" at %s', (zone, stop, now, reason) => {
    const c = cluster('dev', { 'day2-stop': stop, 'day2-timezone': zone });
    expect(decide([c], now)).toEqual([`dev stop act: ${reason}`]);
  });

  it('does nothing between edges', () => {
    const c = cluster('dev', PARIS_OFFICE);
    expect(decide([c], '2026-06-08T12:00:00Z')).toEqual([]);
  });

  it('starts a stopped cluster at its start edge', () => {
    const c = cluster('dev', PARIS_OFFICE, { powerState: 'Stopped' });
    expect(decide([c], '2026-06-08T05:30:00Z')).toEqual(['dev start act: start edge 07:30 Europe/Paris']);
  });

  it('uses DAY2_DEFAULT_TIMEZONE when the cluster has no day2-timezone', () => {
    const c = cluster('dev', { 'day2-stop': '0 19 * * *' });
    expect(decide([c], '2026-06-08T17:00:00Z', { defaultTimezone: 'Europe/Paris' })).toEqual([
      'dev stop act: stop edge 19:00 Europe/Paris',
    ]);
  });
});

describe('planPowerSchedule: catch-up after missed ticks', () => {
  it.each([
    [20, ['dev stop act: stop edge 19:00 Europe/Paris, caught up 20 min late']],
    [30, ['dev stop act: stop edge 19:00 Europe/Paris, caught up 30 min late']],
    [40, ['dev stop skip: stop edge 19:00 Europe/Paris missed by 40 min, past the catch-up window (30 min)']],
  ])('when the app was down and comes back %i minutes after the edge: %j', (late, expected) => {
    const c = cluster('dev', PARIS_OFFICE);
    const now = new Date(Date.parse('2026-06-08T17:00:00Z') + late * 60_000).toISOString();
    expect(decide([c], now, { upTo: '2026-06-08T16:55:00Z' })).toEqual(expected);
  });

  it('reports a missed edge once and then leaves the cluster running until the next edge', () => {
    const c = cluster('dev', PARIS_OFFICE);
    const { log } = simulate([c], '2026-06-08T17:40:00Z', '2026-06-09T17:00:00Z', {
      handledEdges: warm([c], '2026-06-08T16:55:00Z'),
    });
    expect(brief(log)).toEqual([
      '2026-06-08T17:40Z dev stop skip: stop edge 19:00 Europe/Paris missed by 40 min, past the catch-up window (30 min)',
      '2026-06-09T05:30Z dev start skip: already running (start edge 07:30 Europe/Paris)',
      '2026-06-09T17:00Z dev stop act: stop edge 19:00 Europe/Paris',
    ]);
  });
});

describe('planPowerSchedule: manual changes between edges', () => {
  it('respects a manual start at 21:00 after the 19:00 stop until the next stop edge', () => {
    const c = cluster('dev', PARIS_OFFICE);
    const { log } = simulate([c], '2026-06-08T16:55:00Z', '2026-06-09T17:00:00Z', {
      handledEdges: warm([c], '2026-06-08T16:50:00Z'),
      events: {
        '2026-06-08T19:00:00.000Z': ([x]) => {
          x!.powerState = 'Running';
        },
      },
    });
    expect(brief(log)).toEqual([
      '2026-06-08T17:00Z dev stop act: stop edge 19:00 Europe/Paris',
      '2026-06-09T05:30Z dev start skip: already running (start edge 07:30 Europe/Paris)',
      '2026-06-09T17:00Z dev stop act: stop edge 19:00 Europe/Paris',
    ]);
  });

  it('respects a manual stop during the day until the next start edge', () => {
    const c = cluster('dev', PARIS_OFFICE);
    const { log } = simulate([c], '2026-06-08T06:00:00Z', '2026-06-09T05:30:00Z', {
      handledEdges: warm([c], '2026-06-08T05:55:00Z'),
      events: {
        '2026-06-08T09:00:00.000Z': ([x]) => {
          x!.powerState = 'Stopped';
        },
      },
    });
    expect(brief(log)).toEqual([
      '2026-06-08T17:00Z dev stop skip: already stopped (stop edge 19:00 Europe/Paris)',
      '2026-06-09T05:30Z dev start act: start edge 07:30 Europe/Paris',
    ]);
  });
});

describe('planPowerSchedule: rules that hold whatever the tags say', () => {
  it.each([
    [
      'a skip date (the edge local date)',
      { ...PARIS_OFFICE, 'day2-skip': '2026-12-24,2026-06-08' },
      'dev stop skip: skip date 2026-06-08 (stop edge 19:00 Europe/Paris)',
    ],
    [
      'the prod guard',
      { ...PARIS_OFFICE, environment: 'prod' },
      'dev stop skip: prod guard: environment=prod is never stopped by a schedule (stop edge 19:00 Europe/Paris)',
    ],
    [
      'the prod guard, any spelling',
      { ...PARIS_OFFICE, Env: 'Production' },
      'dev stop skip: prod guard: Env=Production is never stopped by a schedule (stop edge 19:00 Europe/Paris)',
    ],
    [
      'day2-protect',
      { ...PARIS_OFFICE, 'day2-protect': 'true' },
      'dev stop skip: day2-protect=true: nothing is changed automatically (stop edge 19:00 Europe/Paris)',
    ],
  ])('does not stop at the edge because of %s', (_, tags, expected) => {
    expect(decide([cluster('dev', tags)], '2026-06-08T17:00:00Z')).toEqual([expected]);
  });

  it('compares skip dates with the local date, not the UTC date', () => {
    const tags = { 'day2-start': '0 8 * * 1', 'day2-timezone': 'Pacific/Auckland' };
    const now = '2026-06-07T20:00:00Z'; // Monday 8 June 08:00 in Auckland
    const stopped = (skip: string) => [
      cluster('nz', { ...tags, 'day2-skip': skip }, { powerState: 'Stopped' }),
    ];
    expect(decide(stopped('2026-06-08'), now)).toEqual([
      'nz start skip: skip date 2026-06-08 (start edge 08:00 Pacific/Auckland)',
    ]);
    expect(decide(stopped('2026-06-07'), now)).toEqual(['nz start act: start edge 08:00 Pacific/Auckland']);
  });

  it('still starts a prod cluster on its start edge (the guard is about stopping)', () => {
    const c = cluster('dev', { ...PARIS_OFFICE, environment: 'prod' }, { powerState: 'Stopped' });
    expect(decide([c], '2026-06-08T05:30:00Z')).toEqual(['dev start act: start edge 07:30 Europe/Paris']);
  });

  it('reports bad tags with tag, value and reason and leaves the cluster alone', () => {
    const bad = cluster('bad', {
      'day2-stop': '0 25 * * *',
      'day2-start': '30 7 * * 1-5',
      'day2-timezone': 'Mars/Olympus',
      'day2-ring': 'x',
    });
    const plan = planPowerSchedule(
      input([bad], '2026-06-08T05:30:00Z', { handledEdges: warm([bad], '2026-06-08T05:25:00Z') }),
    );
    expect(plan.decisions).toEqual([]);
    expect(plan.tagErrors).toEqual([
      {
        cluster: { id: bad.id, name: 'bad', subscriptionId: bad.subscriptionId, resourceGroup: 'rg-dev' },
        errors: [
          {
            tag: 'day2-timezone',
            value: 'Mars/Olympus',
            reason:
              '"Mars/Olympus" is not an IANA time zone (e.g. Europe/Paris); no scheduled start/stop until it is fixed',
          },
          { tag: 'day2-stop', value: '0 25 * * *', reason: 'hour 25 is out of range 0-23' },
        ],
      },
    ]);
  });

  it('keeps acting on the valid action when only the other cron is bad', () => {
    const c = cluster('half', {
      'day2-stop': '0 19 * * 1-5',
      'day2-start': '30 7 * * 8',
      'day2-timezone': 'Europe/Paris',
    });
    const plan = planPowerSchedule(
      input([c], '2026-06-08T17:00:00Z', { handledEdges: warm([c], '2026-06-08T16:55:00Z') }),
    );
    expect(plan.decisions.map((d) => `${d.action} ${d.kind}`)).toEqual(['stop act']);
    expect(plan.tagErrors[0]!.errors).toEqual([
      { tag: 'day2-start', value: '30 7 * * 8', reason: 'day of week 8 is out of range 0-7' },
    ]);
  });
});

describe('planPowerSchedule: snooze', () => {
  const until = new Date('2026-06-08T20:00:00Z'); // 22:00 in Paris

  it('keeps a snoozed cluster running at the stop edge and stops it when the snooze ends', () => {
    const c = cluster('dev', PARIS_OFFICE);
    const { log } = simulate([c], '2026-06-08T16:55:00Z', '2026-06-09T17:00:00Z', {
      handledEdges: warm([c], '2026-06-08T16:50:00Z'),
      snoozes: new Map([[c.id.toLowerCase(), until]]),
    });
    expect(brief(log)).toEqual([
      '2026-06-08T17:00Z dev stop skip: snoozed until 22:00 Europe/Paris (stop edge 19:00 Europe/Paris)',
      '2026-06-08T20:00Z dev stop act: snooze ended 22:00 Europe/Paris; stop edge 19:00 Europe/Paris was postponed',
      '2026-06-09T05:30Z dev start act: start edge 07:30 Europe/Paris',
      '2026-06-09T17:00Z dev stop act: stop edge 19:00 Europe/Paris',
    ]);
  });

  it('does not stop a cluster again when the snooze ends if it was stopped by hand meanwhile', () => {
    const c = cluster('dev', PARIS_OFFICE);
    const { log } = simulate([c], '2026-06-08T16:55:00Z', '2026-06-08T23:00:00Z', {
      handledEdges: warm([c], '2026-06-08T16:50:00Z'),
      snoozes: new Map([[c.id.toLowerCase(), until]]),
      events: {
        '2026-06-08T18:00:00.000Z': ([x]) => {
          x!.powerState = 'Stopped';
        },
        '2026-06-08T21:00:00.000Z': ([x]) => {
          x!.powerState = 'Running';
        },
      },
    });
    expect(brief(log)).toEqual([
      '2026-06-08T17:00Z dev stop skip: snoozed until 22:00 Europe/Paris (stop edge 19:00 Europe/Paris)',
      '2026-06-08T20:00Z dev stop skip: already stopped (snooze ended 22:00 Europe/Paris; stop edge 19:00 Europe/Paris was postponed)',
    ]);
  });

  it('stops when a snooze set after a manual start ends (the schedule says stopped)', () => {
    const c = cluster('dev', PARIS_OFFICE);
    const { log } = simulate([c], '2026-06-08T16:55:00Z', '2026-06-08T23:00:00Z', {
      handledEdges: warm([c], '2026-06-08T16:50:00Z'),
      snoozes: new Map([[c.id.toLowerCase(), until]]),
      events: {
        '2026-06-08T17:30:00.000Z': ([x]) => {
          x!.powerState = 'Running';
        },
      },
    });
    expect(brief(log).slice(-1)).toEqual([
      '2026-06-08T20:00Z dev stop act: snooze ended 22:00 Europe/Paris; stop edge 19:00 Europe/Paris was postponed',
    ]);
  });

  it.each([
    [
      'ended before the stop edge',
      new Date('2026-06-08T16:00:00Z'),
      ['dev stop act: stop edge 19:00 Europe/Paris'],
    ],
    ['ended yesterday', new Date('2026-06-07T20:00:00Z'), ['dev stop act: stop edge 19:00 Europe/Paris']],
  ])('ignores a snooze that %s', (_, snoozedUntil, expected) => {
    const c = cluster('dev', PARIS_OFFICE);
    expect(
      decide([c], '2026-06-08T17:00:00Z', { snoozes: new Map([[c.id.toLowerCase(), snoozedUntil]]) }),
    ).toEqual(expected);
  });

  it('does not act on a stale snooze once the next start edge has passed', () => {
    const c = cluster('dev', PARIS_OFFICE);
    expect(decide([c], '2026-06-09T06:00:00Z', { snoozes: new Map([[c.id.toLowerCase(), until]]) })).toEqual(
      [],
    );
  });

  it('does not stop late when the app was down past the catch-up window after the snooze ended', () => {
    const c = cluster('dev', PARIS_OFFICE);
    const handledEdges = handledAfter(
      warm([c], '2026-06-08T16:55:00Z'),
      planPowerSchedule(
        input([c], '2026-06-08T17:00:00Z', {
          snoozes: new Map([[c.id.toLowerCase(), until]]),
          handledEdges: warm([c], '2026-06-08T16:55:00Z'),
        }),
      ).decisions,
    );
    const plan = planPowerSchedule(
      input([c], '2026-06-08T20:45:00Z', { snoozes: new Map([[c.id.toLowerCase(), until]]), handledEdges }),
    );
    expect(plan.decisions.map((d) => `${d.kind}: ${d.reason}`)).toEqual([
      'skip: snooze ended 22:00 Europe/Paris; stop edge 19:00 Europe/Paris was postponed missed by 45 min, past the catch-up window (30 min)',
    ]);
  });
});

describe('planPowerSchedule: AKS operations in progress', () => {
  it('defers a busy cluster and acts on the next tick once AKS is done', () => {
    const c = cluster('dev', PARIS_OFFICE, { provisioningState: 'Upgrading' });
    const { log } = simulate([c], '2026-06-08T16:55:00Z', '2026-06-08T17:15:00Z', {
      handledEdges: warm([c], '2026-06-08T16:50:00Z'),
      events: {
        '2026-06-08T17:05:00.000Z': ([x]) => {
          x!.provisioningState = 'Succeeded';
        },
      },
    });
    expect(brief(log)).toEqual([
      '2026-06-08T17:00Z dev stop defer: operation in progress (Upgrading); retrying next tick (stop edge 19:00 Europe/Paris)',
      '2026-06-08T17:05Z dev stop act: stop edge 19:00 Europe/Paris, caught up 5 min late',
    ]);
  });

  it('gives up on the edge once a busy cluster stays busy past the catch-up window', () => {
    const c = cluster('dev', PARIS_OFFICE, { provisioningState: 'Updating' });
    const { log } = simulate([c], '2026-06-08T16:55:00Z', '2026-06-08T18:00:00Z', {
      handledEdges: warm([c], '2026-06-08T16:50:00Z'),
    });
    const kinds = log.map((l) => l.decision.kind);
    expect(kinds.filter((k) => k === 'defer')).toHaveLength(7); // 17:00 .. 17:30
    expect(brief(log.slice(-1))).toEqual([
      '2026-06-08T17:35Z dev stop skip: stop edge 19:00 Europe/Paris missed by 35 min, past the catch-up window (30 min)',
    ]);
  });
});

describe('planPowerSchedule: a stop and a start both pending', () => {
  const tags = { 'day2-stop': '0 19 * * *', 'day2-start': '20 19 * * *', 'day2-timezone': 'Europe/Paris' };
  it.each([
    [
      'Running',
      [
        'dev stop skip: superseded by the later start edge 19:20 Europe/Paris, 20 min later',
        'dev start skip: already running (start edge 19:20 Europe/Paris)',
      ],
    ],
    [
      'Stopped',
      [
        'dev stop skip: superseded by the later start edge 19:20 Europe/Paris, 20 min later',
        'dev start act: start edge 19:20 Europe/Paris, caught up 5 min late',
      ],
    ],
  ] as const)('lets only the later edge act on a %s cluster', (powerState, expected) => {
    const c = cluster('dev', tags, { powerState });
    expect(decide([c], '2026-06-08T17:25:00Z', { upTo: '2026-06-08T16:55:00Z' })).toEqual(expected);
  });

  it('lets a later stop win over an earlier start', () => {
    const c = cluster('dev', {
      'day2-start': '50 18 * * *',
      'day2-stop': '0 19 * * *',
      'day2-timezone': 'Europe/Paris',
    });
    expect(decide([c], '2026-06-08T17:05:00Z', { upTo: '2026-06-08T16:45:00Z' })).toEqual([
      'dev start skip: superseded by the later stop edge 19:00 Europe/Paris, 10 min later',
      'dev stop act: stop edge 19:00 Europe/Paris, caught up 5 min late',
    ]);
  });

  it('does not carry out both when every tick runs on time: the earlier stop is superseded, the cluster stays up', () => {
    const c = cluster('dev', tags);
    const { log } = simulate([c], '2026-06-08T16:55:00Z', '2026-06-08T17:30:00Z', {
      handledEdges: warm([c], '2026-06-08T16:50:00Z'),
    });
    expect(brief(log)).toEqual([
      '2026-06-08T17:00Z dev stop skip: superseded by the later start edge 19:20 Europe/Paris, 20 min later: a stop and a start less than 30 min apart are not both carried out (stop edge 19:00 Europe/Paris)',
      '2026-06-08T17:20Z dev start skip: already running (start edge 19:20 Europe/Paris)',
    ]);
  });

  it('lets a stopped cluster start 20 minutes before its stop edge stay stopped only once: the later stop wins', () => {
    const c = cluster(
      'dev',
      { 'day2-start': '40 18 * * *', 'day2-stop': '0 19 * * *', 'day2-timezone': 'Europe/Paris' },
      { powerState: 'Stopped' },
    );
    const { log } = simulate([c], '2026-06-08T16:35:00Z', '2026-06-08T17:10:00Z', {
      handledEdges: warm([c], '2026-06-08T16:30:00Z'),
    });
    expect(brief(log)).toEqual([
      '2026-06-08T16:40Z dev start skip: superseded by the later stop edge 19:00 Europe/Paris, 20 min later: a stop and a start less than 30 min apart are not both carried out (start edge 18:40 Europe/Paris)',
      '2026-06-08T17:00Z dev stop skip: already stopped (stop edge 19:00 Europe/Paris)',
    ]);
  });

  it('still acts on an edge whose opposite edge 20 minutes later falls on a skip date', () => {
    const c = cluster('dev', {
      'day2-stop': '50 23 * * *',
      'day2-start': '10 0 * * *',
      'day2-timezone': 'UTC',
      'day2-skip': '2026-06-09',
    });
    expect(decide([c], '2026-06-08T23:50:00Z', { upTo: '2026-06-08T23:45:00Z' })).toEqual([
      'dev stop act: stop edge 23:50 UTC',
    ]);
  });
});

describe('planPowerSchedule: daylight saving in the plan', () => {
  it.each([
    ['spring forward', '2026-03-28T22:00:00Z', '2026-03-29T22:00:00Z', '2026-03-29T01:00Z'],
    ['fall back', '2026-10-24T22:00:00Z', '2026-10-25T22:00:00Z', '2026-10-25T00:30Z'],
  ])('stops at 02:30 Paris exactly once on the %s day', (_, from, to, at) => {
    const c = cluster('dev', { 'day2-stop': '30 2 * * *', 'day2-timezone': 'Europe/Paris' });
    const { log } = simulate([c], from, to, {
      handledEdges: warm([c], from),
      events: {
        [new Date(Date.parse(at) + 10 * 60_000).toISOString().replace(/\.\d+Z$/, '.000Z')]: ([x]) => {
          x!.powerState = 'Running';
        },
      },
    });
    expect(log.filter((l) => l.decision.kind === 'act').map((l) => l.at.slice(0, 16) + 'Z')).toEqual([at]);
    expect(log).toHaveLength(1);
  });
});

describe('planPowerSchedule: idempotency and order', () => {
  it('yields no new act when run again with the handled edges of the first run', () => {
    const fleet = [
      cluster('b', PARIS_OFFICE),
      cluster('a', { ...PARIS_OFFICE, 'day2-timezone': 'Europe/Berlin' }),
    ];
    const handledEdges = warm(fleet, '2026-06-08T16:55:00Z');
    const first = planPowerSchedule(input(fleet, '2026-06-08T17:00:00Z', { handledEdges }));
    expect(first.decisions.map((d) => [d.cluster.name, d.kind, d.edgeKey])).toEqual([
      ['a', 'act', `${fleet[1]!.id.toLowerCase()}|stop|2026-06-08T17:00:00.000Z`],
      ['b', 'act', `${fleet[0]!.id.toLowerCase()}|stop|2026-06-08T17:00:00.000Z`],
    ]);
    const again = planPowerSchedule(
      input(fleet, '2026-06-08T17:00:00Z', { handledEdges: handledAfter(handledEdges, first.decisions) }),
    );
    expect(again.decisions).toEqual([]);
    const later = planPowerSchedule(
      input(fleet, '2026-06-08T17:20:00Z', { handledEdges: handledAfter(handledEdges, first.decisions) }),
    );
    expect(later.decisions).toEqual([]);
  });

  it('keeps a deferred edge pending (defer does not consume it)', () => {
    const c = cluster('dev', PARIS_OFFICE, { provisioningState: 'Starting' });
    const handled = warm([c], '2026-06-08T16:55:00Z');
    const plan = planPowerSchedule(input([c], '2026-06-08T17:00:00Z', { handledEdges: handled }));
    expect(handledAfter(handled, plan.decisions)).toEqual(handled);
  });
});

describe('nextEdges', () => {
  it('gives the next stop and start of a cluster in its zone', () => {
    expect(
      nextEdges(cluster('dev', PARIS_OFFICE), { defaultTimezone: 'UTC' }, new Date('2026-06-05T18:00:00Z')),
    ).toEqual({
      stop: new Date('2026-06-08T17:00:00Z'),
      start: new Date('2026-06-08T05:30:00Z'),
      zone: 'Europe/Paris',
    });
  });

  it('has no edges for an untagged cluster', () => {
    expect(
      nextEdges(cluster('plain', {}), { defaultTimezone: 'Asia/Kolkata' }, new Date('2026-06-05T18:00:00Z')),
    ).toEqual({
      stop: undefined,
      start: undefined,
      zone: 'Asia/Kolkata',
    });
  });
});
