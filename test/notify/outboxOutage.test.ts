import { spawn } from 'node:child_process';
import path from 'node:path';
import { createOutbox } from '../../shared/notify/outbox';
import type { OutboxMessage } from '../../shared/notify/outboxTypes';
import { createTeamsSender } from '../../shared/notify/teamsSender';
import type { DelivererConfig } from '../../shared/chaos/deliverer';
import { admin } from '../sim/simClient';
import { azuriteConnectionString } from '../support/storage';
import { notifyWorld, type NotifyWorld } from './helpers';
import { nodeImageRun } from './runs';

const runIds = (n: number): string[] =>
  Array.from({ length: n }, (_, i) => `20261005T07${String(i).padStart(2, '0')}00000Z-1000000${i % 10}`);
const postedRunIds = (posts: Array<{ body: unknown }>): string[] =>
  posts.map((p) => /Run (\S+) ·/.exec(JSON.stringify(p.body))?.[1] ?? '?');

describe('outbox: receivers down for hours', () => {
  let w: NotifyWorld;
  beforeEach(async () => {
    w = await notifyWorld();
    w.sim.clock.set(w.clock.now());
  });
  afterEach(async () => {
    await w.close();
  });

  /** Moves the app's and the simulator's clocks together, delivering once a minute of virtual time. */
  async function minutes(n: number, every = 1, retryForMs?: number): Promise<void> {
    const notifier = w.notifier({
      outbox: { backoff: { baseMs: 30_000, maxMs: 600_000 }, ...(retryForMs ? { retryForMs } : {}) },
    });
    for (let i = 0; i < n; i += every) {
      w.clock.advance(every * 60_000);
      w.sim.clock.set(w.clock.now());
      await notifier.deliverPending();
    }
  }

  it.each([
    ['answering 503', 503],
    ['dropping every connection', 'reset'],
  ] as const)(
    'with Teams and Log Analytics %s for 70 minutes, every card and row arrives once, in order, when they are back, and nothing is parked',
    async (_, status) => {
      await admin(w.sim, 'POST', '/teams/outage', { minutes: 70, status });
      await admin(w.sim, 'POST', '/logs/outage', { minutes: 70, status });
      const ids = runIds(3);
      const n = w.notifier({ outbox: { backoff: { baseMs: 30_000, maxMs: 600_000 } } });
      for (const id of ids) await n.report(nodeImageRun(id));
      await minutes(70);
      expect(await w.teamsPosts()).toHaveLength(0);
      await minutes(15);

      expect(postedRunIds(await w.teamsPosts())).toEqual(ids);
      expect((await w.logRows()).map((r) => r.row.RunId)).toEqual(
        ids.flatMap((id) => nodeImageRun(id).outcomes.map(() => id)),
      );
      expect(await n.outbox.parked('teams')).toEqual([]);
      expect(await n.outbox.parked('logs')).toEqual([]);
    },
  );

  it('parks a card only once Teams has failed for the whole retry window, then alerts and goes on', async () => {
    await admin(w.sim, 'POST', '/teams/outage', { minutes: 300, status: 503 });
    const w2 = w.notifier({ outbox: { retryForMs: 3 * 3_600_000 } });
    const [first] = runIds(1);
    await w2.report(nodeImageRun(first));
    await minutes(170, 10, 3 * 3_600_000);
    expect(await w2.outbox.parked('teams')).toEqual([]);
    await minutes(20, 10, 3 * 3_600_000);
    const parked = await w2.outbox.parked('teams');
    expect(parked).toEqual([expect.objectContaining({ runId: first, kind: 'card', lastStatus: 503 })]);
    const alertRows = (await w.logRows()).filter((r) => r.row.Action === 'notify-dead-letter');
    expect(alertRows).toHaveLength(1);
    expect(String(alertRows[0]?.row.Reason)).toContain(`Teams card of run ${first} (node-image) parked`);
  });

  it.each([
    [404, 'the webhook does not exist'],
    [415, 'the content type is refused'],
    [422, 'the card is refused'],
  ])('parks a card at once when Teams answers %i (%s)', async (status) => {
    await admin(w.sim, 'POST', '/teams/failures', { status, count: 1 });
    const n = w.notifier();
    const [first, second] = runIds(2);
    await n.report(nodeImageRun(first));
    await n.report(nodeImageRun(second));
    expect(await n.outbox.parked('teams')).toEqual([
      expect.objectContaining({ runId: first, attempts: 1, lastStatus: status }),
    ]);
    expect(postedRunIds((await w.teamsPosts()).slice(1))).toEqual([second]);
  });

  it('parks a card at once when the webhook URL cannot be used at all', async () => {
    const outbox = createOutbox({
      connectionString: azuriteConnectionString(),
      tablePrefix: w.tablePrefix,
      clock: w.clock,
      log: w.log,
      senders: {
        teams: createTeamsSender(
          { ...w.settings, teamsWebhookUrl: 'ftp://teams.invalid/webhook' },
          { clock: w.clock, paceMs: 0 },
        ),
      },
    });
    const m: OutboxMessage = {
      key: 'bad-url',
      kind: 'card',
      runId: 'r-bad-url',
      job: 'node-image',
      actor: 'timer',
      payload: '{"type":"message","attachments":[]}',
    };
    await outbox.enqueue('teams', [m]);
    expect((await outbox.deliverPending()).parked).toBe(1);
  });
});

describe('outbox: the deliverer killed after Teams accepted a card', () => {
  let w: NotifyWorld;
  beforeEach(async () => {
    w = await notifyWorld();
  });
  afterEach(async () => {
    await w.close();
  });

  it('re-sends that card once after the lease, so Teams shows it twice and no card is lost', async () => {
    const ids = runIds(2);
    const writer = w.notifier({ deliverOnReport: false });
    for (const id of ids) await writer.report(nodeImageRun(id));
    await admin(w.sim, 'POST', '/teams/delay', { ms: 60_000 });

    const cfg: DelivererConfig = {
      env: {
        AzureWebJobsStorage: azuriteConnectionString(),
        DAY2_ARM_ENDPOINT: w.sim.arm,
        DAY2_AUTH: 'local',
        DAY2_LOCAL_CA_CERT: w.sim.caCertPath,
        DAY2_TEAMS_WEBHOOK_URL: w.sim.teamsWebhookUrl,
      },
      tablePrefix: w.tablePrefix,
      at: w.clock.now().toISOString(),
    };
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.resolve(__dirname, '../../shared/chaos/deliverer.ts'), JSON.stringify(cfg)],
      { stdio: 'ignore' },
    );
    const exited = new Promise<NodeJS.Signals | null>((r) => child.once('exit', (_c, sig) => r(sig)));
    for (let i = 0; (await w.teamsPosts()).length === 0; i++) {
      if (i > 600) throw new Error('the deliverer never posted');
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    await admin(w.sim, 'POST', '/teams/delay', { ms: 0 });

    const restarted = w.notifier();
    expect((await restarted.deliverPending()).destinations.teams).toMatchObject({
      delivered: 0,
      blocked: { reason: 'in-flight' },
    });
    w.clock.advance(5 * 60_000 + 1000);
    expect((await restarted.deliverPending()).destinations.teams).toMatchObject({ delivered: 2, pending: 0 });
    expect(postedRunIds(await w.teamsPosts())).toEqual([ids[0], ids[0], ids[1]]);
    expect(w.log.lines.some((l) => l.includes('was being sent by an instance that stopped'))).toBe(true);
  });
});
