import { createDeps } from '../../shared/deps';
import { enqueueCommand } from '../../shared/commands/enqueue';
import { COMMAND_QUEUE, encodeMessage, poisonQueueOf, queueClient } from '../../shared/commands/queue';
import { simAdmin } from '../../shared/local/simAdmin';
import { clusterId } from '../../shared/fleet/cluster';
import { silentLogger } from '../../shared/log';
import { DEMO_SUBSCRIPTIONS } from '../../shared/sim/fleet/demoFleet';
import { startServedApp, type ServedApp } from '../support/serve';
import { until } from '../support/until';

type Rows = { rows: Array<{ row: Record<string, unknown> }> };
type Posts = { posts: Array<{ body: unknown }> };

describe('commandWorker under aks-day2 serve (real queue in Azurite)', () => {
  let s: ServedApp;
  beforeAll(async () => {
    s = await startServedApp();
  });
  afterAll(async () => {
    await s.close();
  });

  const deps = () =>
    createDeps(s.app.settings, { log: silentLogger, clock: { now: () => s.app.sim.clock.now() } });

  async function delivered(): Promise<{ rows: Rows['rows']; posts: Posts['posts'] }> {
    await deps().notifier.deliverPending();
    const { rows } = await simAdmin<Rows>(s.app.sim, 'GET', '/logs');
    const { posts } = await simAdmin<Posts>(s.app.sim, 'GET', '/teams');
    return { rows, posts };
  }

  it('carries out a queued command and removes it from the queue', async () => {
    const env = await enqueueCommand(
      deps(),
      { kind: 'snooze', cluster: 'aks-dev-weu-01', for: '2h' },
      'http:alice',
    );
    await until('the snooze to be carried out', async () =>
      s.logs.some((l) => l.includes('aks-dev-weu-01 snoozed until')) ? true : undefined,
    );
    const q = await queueClient(s.app.settings.storageConnectionString, COMMAND_QUEUE);
    const props = await q.getProperties();
    expect(props.approximateMessagesCount).toBe(0);
    expect(env.actor).toBe('http:alice');
  });

  it('reports a command refused for good (unknown cluster) once, with a card and a row, without retrying it', async () => {
    const env = await enqueueCommand(
      deps(),
      { kind: 'snooze', cluster: 'no-such-cluster', for: '1h' },
      'http:bob',
    );
    const { rows, posts } = await until('the refusal to be reported', async () => {
      const d = await delivered();
      return d.rows.some((r) => JSON.stringify(r.row).includes(env.id)) ? d : undefined;
    });
    const row = rows.find((r) => JSON.stringify(r.row).includes(env.id))!.row;
    expect(row).toMatchObject({ Action: 'command', Outcome: 'Failed', Actor: 'http:bob' });
    expect(String(row.Reason)).toContain('no-such-cluster');
    expect(posts.some((p) => JSON.stringify(p.body).includes('no-such-cluster'))).toBe(true);
    expect(s.logs.filter((l) => l.includes('snooze no-such-cluster refused'))).toHaveLength(1);
  });

  it('moves a command that fails 5 times to the poison queue and reports it with its last error, never dropping it', async () => {
    // Reading clusters is forbidden (a missing role assignment): not a bad request, so it is retried.
    await simAdmin(s.app.sim, 'POST', '/faults', {
      type: 'httpStatus',
      status: 403,
      code: 'AuthorizationFailed',
      message: 'The client does not have authorization to perform action read',
      match: { method: 'GET', cluster: 'aks-dev-eus-01' },
    });
    try {
      const env = await enqueueCommand(
        deps(),
        {
          kind: 'snooze',
          cluster: clusterId(DEMO_SUBSCRIPTIONS.dev, 'rg-aks-dev-eus', 'aks-dev-eus-01'),
          for: '1h',
        },
        'teams:7d3c0a57-0000-4000-8000-000000000001',
      );
      const { rows } = await until('the poisoned command to be reported', async () => {
        const d = await delivered();
        return d.rows.some((r) => JSON.stringify(r.row).includes(env.id)) ? d : undefined;
      });
      const row = rows.find((r) => JSON.stringify(r.row).includes(env.id))!.row;
      expect(row).toMatchObject({
        Action: 'command',
        Outcome: 'Failed',
        Actor: 'teams:7d3c0a57-0000-4000-8000-000000000001',
      });
      expect(String(row.Reason)).toContain('failed 5 times');
      expect(String(row.Reason)).toContain(poisonQueueOf(COMMAND_QUEUE));
      expect(String(row.Reason)).toContain('authorization');
      expect(s.logs.filter((l) => /try \d failed/.test(l) && l.includes('[commandWorker]'))).toHaveLength(5);
    } finally {
      await simAdmin(s.app.sim, 'DELETE', '/faults');
    }
  });

  it('reports a message that is not a command instead of retrying it', async () => {
    const q = await queueClient(s.app.settings.storageConnectionString, COMMAND_QUEUE);
    await q.sendMessage(encodeMessage({ kind: 'reboot-the-world', cluster: 'x' }));
    const { rows } = await until('the bad message to be reported', async () => {
      const d = await delivered();
      return d.rows.some((r) => String(r.row.Reason).includes('not a command')) ? d : undefined;
    });
    expect(rows.filter((r) => String(r.row.Reason).includes('not a command'))).toHaveLength(1);
  });
});
