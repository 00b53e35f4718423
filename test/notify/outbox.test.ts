import { createOutbox } from '../../shared/notify/outbox';
import type { OutboxMessage, SendResult } from '../../shared/notify/outboxTypes';
import { createTeamsSender } from '../../shared/notify/teamsSender';
import { admin } from '../sim/simClient';
import { azuriteConnectionString } from '../support/storage';
import { notifyWorld, type NotifyWorld } from './helpers';
import { nodeImageRun } from './runs';

const runIds = (n: number): string[] =>
  Array.from({ length: n }, (_, i) => `20261005T06${String(i).padStart(2, '0')}00000Z-0000000${i % 10}`);
const postedRunIds = (posts: Array<{ body: unknown }>): string[] =>
  posts.map((p) => /Run (\S+) ·/.exec(JSON.stringify(p.body))?.[1] ?? '?');

/** Calls deliverPending, moving the clock past each backoff, until the outbox is empty (at most `rounds` passes). */
async function drain(w: NotifyWorld, rounds = 30): Promise<number> {
  const n = w.notifier();
  for (let i = 0; i < rounds; i++) {
    const r = await n.deliverPending();
    if (r.pending === 0) return i + 1;
    w.clock.advance(61_000);
  }
  throw new Error(`outbox still not empty after ${rounds} passes`);
}

describe('outbox: delivery that loses nothing', () => {
  let w: NotifyWorld;
  beforeEach(async () => {
    w = await notifyWorld();
  });
  afterEach(async () => {
    await w.close();
  });

  it('with Teams answering 503 and then 429 for a while, every card arrives once, in order, after it recovers', async () => {
    await admin(w.sim, 'POST', '/teams/failures', { status: 503, count: 3 });
    await admin(w.sim, 'POST', '/teams/failures', { status: 429, count: 2, retryAfterSeconds: 30 });
    const ids = runIds(4);
    const n = w.notifier();
    for (const id of ids) await n.report(nodeImageRun(id));
    expect((await w.teamsPosts()).length).toBeLessThan(4);

    await drain(w);
    const posts = await w.teamsPosts();
    expect(postedRunIds(posts)).toEqual(ids);
    expect((await admin<{ rejected: number }>(w.sim, 'GET', '/teams')).rejected).toBe(5);
    expect(await w.logRows()).toHaveLength(4 * nodeImageRun().outcomes.length);
  });

  it('with Log Analytics answering 503 for a while, every row arrives once, in order, after it recovers', async () => {
    await admin(w.sim, 'POST', '/logs/failures', { status: 503, count: 4 });
    const ids = runIds(3);
    const n = w.notifier();
    for (const id of ids) await n.report(nodeImageRun(id));
    await drain(w);
    const rows = await w.logRows();
    expect(rows.map((r) => r.row.RunId)).toEqual(
      ids.flatMap((id) => nodeImageRun(id).outcomes.map(() => id)),
    );
    expect(new Set(rows.map((r) => (r.row.Details as { rowId: string }).rowId)).size).toBe(rows.length);
  });

  it('does not post again before the Retry-After that Teams asked for has passed', async () => {
    await admin(w.sim, 'POST', '/teams/failures', { status: 429, count: 1, retryAfterSeconds: 120 });
    const n = w.notifier();
    await n.report(nodeImageRun());
    w.clock.advance(60_000);
    const early = await n.deliverPending();
    expect(early.destinations.teams).toMatchObject({
      delivered: 0,
      pending: 1,
      blocked: { reason: 'backoff' },
    });
    expect(await w.teamsPosts()).toHaveLength(0);
    w.clock.advance(61_000);
    expect((await n.deliverPending()).destinations.teams).toMatchObject({ delivered: 1, pending: 0 });
    expect(await w.teamsPosts()).toHaveLength(1);
  });

  it('with the process stopped between storing and sending, a new instance delivers everything exactly once', async () => {
    const ids = runIds(3);
    const before = w.notifier({ deliverOnReport: false });
    for (const id of ids) await before.report(nodeImageRun(id));
    expect(await w.teamsPosts()).toHaveLength(0);
    expect(await w.logRows()).toHaveLength(0);

    const after = w.notifier(); // the restarted process
    const r = await after.deliverPending();
    expect(r).toMatchObject({ delivered: 6, pending: 0, parked: 0 });
    expect(await after.deliverPending()).toMatchObject({ delivered: 0, pending: 0 });
    expect(postedRunIds(await w.teamsPosts())).toEqual(ids);
    expect(await w.logRows()).toHaveLength(3 * nodeImageRun().outcomes.length);
  });

  it('concurrent deliverPending calls from several instances deliver each entry once, in order', async () => {
    const ids = runIds(12);
    const writer = w.notifier({ deliverOnReport: false });
    for (const id of ids) await writer.report(nodeImageRun(id));
    const instances = [w.notifier(), w.notifier(), w.notifier()];
    for (let round = 0; round < 10; round++) {
      const reports = await Promise.all(instances.map((i) => i.deliverPending()));
      if (reports.every((r) => r.pending === 0)) break;
    }
    expect(postedRunIds(await w.teamsPosts())).toEqual(ids);
    const rows = await w.logRows();
    expect(rows).toHaveLength(12 * nodeImageRun().outcomes.length);
    expect(new Set(rows.map((r) => (r.row.Details as { rowId: string }).rowId)).size).toBe(rows.length);
  });

  it('parks an entry in the dead-letter table once its retry window has passed, alerts in Teams and Log Analytics, and goes on with the next', async () => {
    await admin(w.sim, 'POST', '/teams/failures', { status: 503, count: 3 });
    const n = w.notifier({ outbox: { retryForMs: 4000, backoff: { baseMs: 2000, maxMs: 2000 } } });
    const [first, second] = runIds(2);
    await n.report(nodeImageRun(first));
    await n.report(nodeImageRun(second));
    for (let i = 0; i < 5; i++) {
      w.clock.advance(2000);
      await n.deliverPending();
    }
    const parked = await n.outbox.parked('teams');
    expect(parked).toEqual([
      expect.objectContaining({ runId: first, kind: 'card', attempts: 3, lastStatus: 503 }),
    ]);
    const posts = await w.teamsPosts();
    expect(postedRunIds(posts.slice(0, 1))).toEqual([second]);
    expect(JSON.stringify(posts[1]?.body)).toContain(
      `Teams card of run ${first} (node-image) parked after 3 failed attempt(s), last answer 503`,
    );
    const alertRows = (await w.logRows()).filter((r) => r.row.Action === 'notify-dead-letter');
    expect(alertRows).toHaveLength(1);
    expect(alertRows[0]?.row).toMatchObject({ RunId: first, Outcome: 'Failed', Job: 'node-image' });
    expect(String(alertRows[0]?.row.Reason)).toContain(parked[0]!.deadLetterTable);
  });

  it('parks a card Teams refuses (400) at once, without blocking the cards behind it', async () => {
    await admin(w.sim, 'POST', '/teams/failures', { status: 400, count: 1 });
    const n = w.notifier();
    const [first, second] = runIds(2);
    await n.report(nodeImageRun(first));
    await n.report(nodeImageRun(second));
    expect(await n.outbox.parked('teams')).toEqual([
      expect.objectContaining({ runId: first, attempts: 1, lastStatus: 400 }),
    ]);
    const posts = await w.teamsPosts();
    expect(posts).toHaveLength(2);
    expect(JSON.stringify(posts[0]?.body)).toContain(
      `Teams card of run ${first} (node-image) parked after 1 failed attempt(s), last answer 400`,
    );
    expect(postedRunIds(posts.slice(1))).toEqual([second]);
  });

  it('re-sends an entry left "sending" by a stopped instance only after its lease ran out, and the stopped instance cannot then delete it', async () => {
    const base = {
      connectionString: azuriteConnectionString(),
      tablePrefix: w.tablePrefix,
      clock: w.clock,
      log: w.log,
      leaseMs: 60_000,
    };
    let release: (r: SendResult) => void = () => undefined;
    let started: () => void = () => undefined;
    const sendStarted = new Promise<void>((r) => (started = r));
    const stuck = createOutbox({
      ...base,
      senders: {
        teams: () => {
          started();
          return new Promise<SendResult>((r) => (release = r));
        },
      },
    });
    const message: OutboxMessage = {
      key: 'card:stuck',
      kind: 'card',
      runId: 'r1',
      job: 'node-image',
      actor: 'timer',
      payload: JSON.stringify({ type: 'message', attachments: [] }),
    };
    expect(await stuck.enqueue('teams', [message])).toBe(1);
    const stuckPass = stuck.deliverPending();
    await sendStarted;

    const other = createOutbox({
      ...base,
      senders: { teams: createTeamsSender(w.settings, { clock: w.clock, paceMs: 0 }) },
    });
    expect((await other.deliverPending()).destinations.teams).toMatchObject({
      delivered: 0,
      pending: 1,
      blocked: { reason: 'in-flight' },
    });
    w.clock.advance(61_000);
    expect((await other.deliverPending()).destinations.teams).toMatchObject({ delivered: 1, pending: 0 });
    expect(w.log.lines.some((l) => l.includes('was being sent by an instance that stopped'))).toBe(true);

    release({ ok: true });
    expect((await stuckPass).destinations.teams).toMatchObject({ delivered: 1, pending: 0 });
    expect(w.log.lines.some((l) => l.includes('was taken over by another instance'))).toBe(true);
    expect(await w.teamsPosts()).toHaveLength(1);
  });

  it('enqueues a key once even when two instances enqueue it at the same time', async () => {
    const base = {
      connectionString: azuriteConnectionString(),
      tablePrefix: w.tablePrefix,
      clock: w.clock,
      log: w.log,
      senders: { teams: async (): Promise<SendResult> => ({ ok: true }) },
    };
    const a = createOutbox(base);
    const b = createOutbox(base);
    const msg = (k: string): OutboxMessage => ({
      key: k,
      kind: 'card',
      runId: k,
      job: 'sweep',
      actor: 'timer',
      payload: '{}',
    });
    const stored = await Promise.all([
      a.enqueue('teams', [msg('x'), msg('y')]),
      b.enqueue('teams', [msg('y'), msg('x'), msg('z')]),
    ]);
    expect(stored[0] + stored[1]).toBe(3);
    expect(await a.pendingCount('teams')).toBe(3);
  });
});
