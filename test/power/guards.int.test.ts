import { Day2Error } from '../../shared/errors';
import { snoozeCluster } from '../../shared/power/snoozeCluster';
import { startTestApp, type TestApp } from '../support/app';
import { brief, cardText, PARIS_OFFICE, powerFleet, powerOf, rowsOf, tickAt, ticks } from './intSupport';

// Monday 8 June 2026, 19:00 Paris = 17:00Z.

describe('power schedule apply: guards, tag errors and snoozes', () => {
  let app: TestApp;
  afterEach(async () => app?.close());

  it.each([
    [
      'a skip date',
      { ...PARIS_OFFICE, 'day2-skip': '2026-06-08' },
      /^skip date 2026-06-08 \(stop edge 19:00 Europe\/Paris\)$/,
    ],
    [
      'the prod guard',
      { ...PARIS_OFFICE, environment: 'prod' },
      /^prod guard: environment=prod is never stopped by a schedule/,
    ],
    [
      'the prod guard (env=production)',
      { ...PARIS_OFFICE, env: 'production' },
      /^prod guard: env=production/,
    ],
    [
      'day2-protect',
      { ...PARIS_OFFICE, 'day2-protect': 'true' },
      /^day2-protect=true: nothing is changed automatically/,
    ],
  ])(
    'leaves the cluster running at its stop edge because of %s, and says why',
    async (_why, tags, reason) => {
      app = await startTestApp({
        fleet: powerFleet([{ name: 'aks-guarded', tags }]),
        startTime: '2026-06-08T16:55:00Z',
        speed: 0,
      });
      await tickAt(app, '2026-06-08T16:55:00Z');
      const run = await tickAt(app, '2026-06-08T17:00:00Z');
      expect(brief(run)).toEqual(['aks-guarded stop Skipped']);
      expect(run.outcomes[0]!.reason).toMatch(reason);
      expect(await powerOf(app, 'aks-guarded')).toBe('Running/Succeeded');
      const rows = await rowsOf(app, run);
      expect(rows).toEqual([
        expect.objectContaining({
          Job: 'power-schedule',
          Action: 'stop',
          Outcome: 'Skipped',
          Cluster: 'aks-guarded',
        }),
      ]);
      expect(String(rows[0]!.Reason)).toMatch(reason);
      expect(await cardText(app, run)).toBeUndefined(); // only skips: no card
      expect(brief(await tickAt(app, '2026-06-08T17:05:00Z'))).toEqual([]); // reported once
    },
  );

  it('reports a bad tag once per cluster, tag and value, with the tag, the value and why', async () => {
    app = await startTestApp({
      fleet: powerFleet([
        {
          name: 'aks-badtag',
          tags: { 'day2-stop': '0 25 * * *', 'day2-start': '30 7 * * 1-5', 'day2-timezone': 'Europe/Paris' },
        },
      ]),
      startTime: '2026-06-08T16:55:00Z',
      speed: 0,
    });
    const first = await tickAt(app, '2026-06-08T16:55:00Z');
    expect(brief(first)).toEqual(['aks-badtag tag-check Skipped']);
    expect(first.outcomes[0]!.reason).toMatch(/^day2-stop="0 25 \* \* \*": hour 25 is out of range 0-23/);
    const card = await cardText(app, first);
    expect(card).toContain('Findings (1)');
    expect(card).toContain('aks-badtag');
    expect(card).toContain('day2-stop="0 25 * * *"');
    expect(await rowsOf(app, first)).toEqual([
      expect.objectContaining({
        Action: 'tag-check',
        Outcome: 'Skipped',
        Cluster: 'aks-badtag',
        Reason: first.outcomes[0]!.reason,
      }),
    ]);
    const later = await ticks(app, '2026-06-08T17:00:00Z', '2026-06-08T17:20:00Z');
    expect(brief(later)).toEqual([]);
    expect(later.every((r) => r.outcomes.length === 0)).toBe(true);
  });

  it('keeps a snoozed cluster running past its stop edge, then stops it when the snooze ends', async () => {
    app = await startTestApp({
      fleet: powerFleet([{ name: 'aks-snoozed', tags: PARIS_OFFICE }]),
      startTime: '2026-06-08T16:30:00Z',
      speed: 0,
    });
    await tickAt(app, '2026-06-08T16:30:00Z');
    const said = await snoozeCluster(app.deps, { cluster: 'aks-snoozed', for: '2h', actor: 'cli:test' });
    expect(said).toBe(
      'aks-snoozed snoozed until 20:30 Europe/Paris (18:30Z): its stop edge 19:00 Europe/Paris is postponed; when the snooze ends it is stopped if its schedule still says stopped.',
    );

    const atEdge = await tickAt(app, '2026-06-08T17:00:00Z');
    expect(brief(atEdge)).toEqual(['aks-snoozed stop Skipped']);
    expect(atEdge.outcomes[0]!.reason).toBe(
      'snoozed until 20:30 Europe/Paris (stop edge 19:00 Europe/Paris)',
    );
    expect(await rowsOf(app, atEdge)).toEqual([
      expect.objectContaining({ Action: 'stop', Outcome: 'Skipped', Cluster: 'aks-snoozed' }),
    ]);

    const during = await ticks(app, '2026-06-08T17:05:00Z', '2026-06-08T18:25:00Z', 10);
    expect(brief(during)).toEqual([]);
    expect(await powerOf(app, 'aks-snoozed')).toBe('Running/Succeeded');

    const end = await tickAt(app, '2026-06-08T18:30:00Z');
    expect(brief(end)).toEqual(['aks-snoozed stop InProgress']);
    expect(end.outcomes[0]!.reason).toContain(
      'snooze ended 20:30 Europe/Paris; stop edge 19:00 Europe/Paris was postponed',
    );
    const card = await cardText(app, end);
    expect(card).toContain('aks-snoozed');
    expect(await rowsOf(app, end)).toEqual([
      expect.objectContaining({ Action: 'stop', Outcome: 'InProgress', Cluster: 'aks-snoozed' }),
    ]);
    expect(brief(await tickAt(app, '2026-06-08T18:35:00Z'))).toEqual(['aks-snoozed stop Succeeded']);
    expect(await powerOf(app, 'aks-snoozed')).toBe('Stopped/Succeeded');
  });

  it('refuses an ambiguous cluster name, listing the resource ids', async () => {
    const fleet = powerFleet([{ name: 'aks-twin', tags: PARIS_OFFICE }]);
    fleet.subscriptions[0]!.resourceGroups!.push({
      name: 'rg-other',
      clusters: [{ ...fleet.subscriptions[0]!.resourceGroups![0]!.clusters![0]! }],
    });
    app = await startTestApp({ fleet, startTime: '2026-06-08T16:30:00Z', speed: 0 });
    const ambiguous = await rejection(
      snoozeCluster(app.deps, { cluster: 'aks-twin', until: '22:00', actor: 'cli:test' }),
    );
    expect(ambiguous.code).toBe('BadRequest');
    expect(ambiguous.message).toMatch(/^"aks-twin" names 2 clusters; give the resource id of one:/);
    expect(ambiguous.message).toContain('/resourcegroups/rg-power/');
    expect(ambiguous.message).toContain('/resourcegroups/rg-other/');
    expect(
      (
        await rejection(
          snoozeCluster(app.deps, { cluster: 'aks-nowhere', until: '22:00', actor: 'cli:test' }),
        )
      ).code,
    ).toBe('NotFound');
    const bad = await rejection(
      snoozeCluster(app.deps, {
        cluster: fleetId('rg-other', 'aks-twin'),
        until: '25:00',
        actor: 'cli:test',
      }),
    );
    expect(bad.code).toBe('BadRequest');
    expect(bad.message).toContain('HH:MM');
  });
});

async function rejection(p: Promise<unknown>): Promise<Day2Error> {
  try {
    await p;
  } catch (err) {
    if (err instanceof Day2Error) return err;
    throw err;
  }
  throw new Error('expected a Day2Error, the call succeeded');
}

function fleetId(rg: string, name: string): string {
  return `/subscriptions/11111111-2222-4333-8444-555555555555/resourceGroups/${rg}/providers/Microsoft.ContainerService/managedClusters/${name}`;
}
