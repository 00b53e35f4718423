import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { enqueueCommand } from '../../shared/commands/enqueue';
import { COMMAND_QUEUE, queueClient } from '../../shared/commands/queue';
import { createDeps } from '../../shared/deps';
import { simAdmin } from '../../shared/local/simAdmin';
import { silentLogger } from '../../shared/log';
import { startTestApp, type TestApp } from '../support/app';
import { BIN } from '../support/cli';
import { call } from '../support/serve';
import { until } from '../support/until';

interface Served {
  child: ChildProcess;
  api: string;
  exited: Promise<void>;
}

/** `aks-day2 serve` as a child process on this test's simulator and Azurite (settings from the environment). */
async function serveChild(env: Record<string, string>, timers: boolean): Promise<Served> {
  const child = spawn(
    process.execPath,
    [
      BIN,
      'serve',
      '--port',
      '0',
      ...(timers ? [] : ['--no-timers']),
      '--queue-lease',
      '2',
      '--queue-retry',
      '0',
    ],
    { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'ignore'] },
  );
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const line = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout });
    rl.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`serve exited with ${String(code)} before listening`)));
  });
  const { api } = JSON.parse(line) as { api: string };
  return { child, api, exited };
}

type Puts = { cluster: { received: number; accepted: number } };
type Run = { id: string; state: string; steps: Array<{ kind: string; status: string }> };

describe('a commandWorker killed in the middle of a command', () => {
  let app: TestApp;
  let served: Served | undefined;
  beforeAll(async () => {
    app = await startTestApp({ isolatedStorage: true, startTime: '2026-01-12T06:00:00Z' });
  });
  afterAll(async () => {
    served?.child.kill('SIGKILL');
    await served?.exited;
    await app.close();
  });

  it('resumes after a restart without a second change: AKS got one control-plane PUT', async () => {
    const env = { ...app.env };
    served = await serveChild(env, false);
    // ARM accepts the control-plane PUT of aks-dev-weu-02, and its answer is held back (15 s).
    await simAdmin(app.sim, 'POST', '/faults', {
      type: 'latency',
      match: { method: 'PUT', cluster: 'aks-dev-weu-02' },
      ms: 15_000,
      afterHandling: true,
      times: 1,
    });
    const posted = await call(`${served.api}/upgrades`, { body: { cluster: 'aks-dev-weu-02' } });
    expect(posted.status).toBe(202);
    const id = (posted.body as Run).id;

    await until('AKS to accept the control-plane PUT', async () => {
      const p = await simAdmin<Puts>(app.sim, 'GET', '/puts/aks-dev-weu-02');
      return p.cluster.accepted === 1 ? true : undefined;
    });
    served.child.kill('SIGKILL'); // the worker dies waiting for AKS's answer: the change is made, not recorded
    await served.exited;
    await simAdmin(app.sim, 'DELETE', '/faults');

    // Restarted with its timers: the queue message comes back after its lease and a new worker takes it;
    // the sweeper frees the lock the dead worker held once it is older than its grace.
    served = await serveChild(env, true);
    const deps = createDeps(app.settings, { log: silentLogger, clock: { now: () => app.sim.clock.now() } });
    const queue = await queueClient(app.settings.storageConnectionString, COMMAND_QUEUE);
    const drained = () =>
      until('the worker to empty the queue', async () =>
        (await queue.getProperties()).approximateMessagesCount === 0 ? true : undefined,
      );
    await drained();
    let run = (await call(`${served.api}/upgrades/${id}`)).body as Run;
    for (let i = 0; i < 40 && !['Succeeded', 'Failed', 'Halted', 'Cancelled'].includes(run.state); i++) {
      app.sim.clock.advance(5 * 60_000); // as the sweeper would each minute: time passes, the run is advanced
      await enqueueCommand(deps, { kind: 'upgrade', runId: id }, 'timer');
      await drained();
      run = (await call(`${served.api}/upgrades/${id}`)).body as Run;
    }
    expect(run.state).toBe('Succeeded');
    const puts = await simAdmin<Puts>(app.sim, 'GET', '/puts/aks-dev-weu-02');
    expect(puts.cluster.accepted).toBe(1);
  });
});
