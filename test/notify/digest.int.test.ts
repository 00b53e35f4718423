import { simAdmin } from '../../shared/local/simAdmin';
import { runPowerSchedule } from '../../shared/power/runPowerSchedule';
import { brief, PARIS_OFFICE, powerFleet, rowsOf, tickAt } from '../power/intSupport';
import { startTestApp, type TestApp } from '../support/app';

// Monday 8 June 2026: 19:00 in Paris is 17:00Z; Tuesday's 07:30 start is 05:30Z.

interface Post {
  body: { attachments: Array<{ content: { body: Array<Record<string, unknown>> } }> };
}

/** The headline (first TextBlock) of every card the Teams receiver got, in order. */
async function headlines(app: TestApp): Promise<string[]> {
  const { posts } = await simAdmin<{ posts: Post[] }>(app.sim, 'GET', '/teams');
  return posts.map((p) => String(p.body.attachments[0]!.content.body[0]!.text));
}

async function factsOf(app: TestApp, index: number): Promise<Record<string, string>> {
  const { posts } = await simAdmin<{ posts: Post[] }>(app.sim, 'GET', '/teams');
  const set = posts[index]!.body.attachments[0]!.content.body.find((e) => e.type === 'FactSet') as
    { facts: Array<{ title: string; value: string }> } | undefined;
  return Object.fromEntries((set?.facts ?? []).map((f) => [f.title, f.value]));
}

describe('the daily digest: routine successes of unattended runs fold into one card per job and day', () => {
  let app: TestApp;
  afterEach(async () => app?.close());

  const start = (env: Record<string, string> = {}) =>
    startTestApp({
      fleet: powerFleet([
        { name: 'aks-a', tags: PARIS_OFFICE },
        { name: 'aks-b', tags: PARIS_OFFICE },
      ]),
      startTime: '2026-06-08T16:55:00Z',
      speed: 0,
      env: { DAY2_TEAMS_ROUTINE: 'digest', ...env },
    });

  it('posts no card for a routine stop and its completion, one row per outcome, and the digest after midnight', async () => {
    app = await start();
    await tickAt(app, '2026-06-08T16:55:00Z');
    const stopped = await tickAt(app, '2026-06-08T17:00:00Z');
    const completed = await tickAt(app, '2026-06-08T17:05:00Z');
    expect(brief([stopped, completed])).toEqual([
      'aks-a stop InProgress',
      'aks-b stop InProgress',
      'aks-a stop Succeeded',
      'aks-b stop Succeeded',
    ]);
    expect(await headlines(app)).toEqual([]);
    expect(await rowsOf(app, stopped)).toHaveLength(2);
    expect(await rowsOf(app, completed)).toHaveLength(2);

    // Still Monday: nothing to post yet.
    app.sim.clock.set('2026-06-08T23:59:00Z');
    expect(await app.deps.notifier.flushDigests()).toBe(0);

    // Tuesday morning: the start edge is routine too; the first delivery of the day posts Monday's digest.
    await tickAt(app, '2026-06-09T05:25:00Z');
    await tickAt(app, '2026-06-09T05:30:00Z');
    await app.deps.notifier.deliverPending();
    expect(await headlines(app)).toEqual([
      'Power schedule, 2026-06-08: 2 stopped · 0 started · 14 node-hours saved',
    ]);
    expect(await factsOf(app, 0)).toEqual({
      Stopped: 'aks-a, aks-b',
      'Stopped at midnight': 'aks-a, aks-b',
    });
    // Delivering again posts nothing new: a day's digest goes out once.
    await app.deps.notifier.deliverPending();
    expect(await headlines(app)).toHaveLength(1);

    // Wednesday: Tuesday's digest counts the night from midnight to the 05:30Z start (1 node each).
    app.sim.clock.set('2026-06-10T00:01:00Z');
    await app.deps.notifier.deliverPending();
    expect((await headlines(app))[1]).toBe(
      'Power schedule, 2026-06-09: 0 stopped · 2 started · 11 node-hours saved',
    );
  });

  it('posts a failure at once, and counts it in the digest without calling it stopped', async () => {
    app = await start();
    await simAdmin(app.sim, 'POST', '/faults', {
      type: 'operationFailure',
      cluster: 'aks-b',
      operation: 'stop',
      code: 'VMExtensionProvisioningError',
      message: 'VM has reported a failure when processing extension vmssCSE.',
      afterSeconds: 30,
    });
    await tickAt(app, '2026-06-08T16:55:00Z');
    await tickAt(app, '2026-06-08T17:00:00Z');
    expect(await headlines(app)).toEqual([]);
    const failed = await tickAt(app, '2026-06-08T17:05:00Z');
    expect(brief(failed).sort()).toEqual(['aks-a stop Succeeded', 'aks-b stop Failed']);
    expect(await headlines(app)).toEqual([expect.stringMatching(/^Power schedule: .* 1 failed/)]);

    app.sim.clock.set('2026-06-09T00:00:00Z');
    await app.deps.notifier.deliverPending();
    expect((await headlines(app))[1]).toBe(
      'Power schedule, 2026-06-08: 1 stopped · 0 started · 7 node-hours saved',
    );
    expect(await factsOf(app, 1)).toMatchObject({
      Stopped: 'aks-a',
      'Failed (posted at once)': 'stop aks-b',
    });
  });

  it('posts at once what a person asked for, even for a routine stop', async () => {
    app = await start();
    app.sim.clock.set('2026-06-08T17:00:00Z');
    const run = await runPowerSchedule(app.deps, { actor: 'teams:00000000-0000-4000-8000-00000000000a' });
    expect(brief(run)).toEqual(['aks-a stop InProgress', 'aks-b stop InProgress']);
    expect(await headlines(app)).toEqual([expect.stringMatching(/^Power schedule: 2 changed/)]);
  });

  it('posts a card for every run with DAY2_TEAMS_ROUTINE=each, and no digest', async () => {
    app = await start({ DAY2_TEAMS_ROUTINE: 'each' });
    await tickAt(app, '2026-06-08T16:55:00Z');
    await tickAt(app, '2026-06-08T17:00:00Z');
    await tickAt(app, '2026-06-08T17:05:00Z');
    app.sim.clock.set('2026-06-09T00:00:00Z');
    await app.deps.notifier.deliverPending();
    expect(await headlines(app)).toEqual([
      expect.stringMatching(/^Power schedule: 2 changed/),
      expect.stringMatching(/^Power schedule: 2 changed/),
    ]);
  });
});
