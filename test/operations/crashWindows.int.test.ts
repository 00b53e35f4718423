import { simAdmin } from '../../shared/local/simAdmin';
import { runPowerSchedule } from '../../shared/power/runPowerSchedule';
import type { RunRecord } from '../../shared/records/outcome';
import { runSweep } from '../../shared/sweeper/runSweep';
import { startTestApp, type TestApp } from '../support/app';
import { dyingAt, type KillPoint } from '../support/dying';
import { brief, PARIS_OFFICE, powerFleet, powerOf } from '../power/intSupport';

// Monday 8 June 2026, 19:00 Paris = 17:00Z: aks-crash's stop edge. A stop takes 2 virtual minutes.
const EDGE = '2026-06-08T17:00:00Z';

interface LogRow {
  row: Record<string, unknown>;
}

/** `Action Outcome: Reason` of every Log Analytics row the simulator received for aks-crash. */
async function rowsOfCluster(app: TestApp): Promise<string[]> {
  const { rows } = await simAdmin<{ rows: LogRow[] }>(app.sim, 'GET', '/logs');
  return rows
    .map((r) => r.row)
    .filter((r) => r.Cluster === 'aks-crash')
    .map((r) => `${String(r.Action)} ${String(r.Outcome)}: ${String(r.Reason)}`);
}

async function startApp(): Promise<TestApp> {
  return startTestApp({
    fleet: powerFleet([{ name: 'aks-crash', tags: PARIS_OFFICE }]),
    startTime: '2026-06-08T16:59:00Z',
    speed: 0,
  });
}

/** The tick at the edge, in a process killed at `at`; resolves once it died (its tick never ends). */
async function killedTick(app: TestApp, at: KillPoint): Promise<void> {
  app.sim.clock.set(EDGE);
  const dying = dyingAt(app.deps, at);
  void runPowerSchedule(dying.deps);
  await dying.killed;
}

/**
 * What the timers do after the crash, on a fresh process: the sweeper every minute and the power
 * schedule every 5 minutes (after the sweep of the same minute), from `from` to `to` inclusive.
 */
async function timersUntil(app: TestApp, from: string, to: string): Promise<RunRecord[]> {
  const runs: RunRecord[] = [];
  for (let t = Date.parse(from); t <= Date.parse(to); t += 60_000) {
    app.sim.clock.set(new Date(t).toISOString());
    runs.push(...(await runSweep(app.deps)).runs);
    if (new Date(t).getUTCMinutes() % 5 === 0) runs.push(await runPowerSchedule(app.deps));
  }
  return runs;
}

describe('crash windows: a process killed at any point of an operation never loses its outcome nor invents one', () => {
  let app: TestApp;
  afterEach(async () => app?.close());

  it('acts on the next tick when the process died after taking the lock and before submitting', async () => {
    app = await startApp();
    await killedTick(app, { method: 'start', when: 'after' });
    expect(await powerOf(app, 'aks-crash')).toBe('Running/Succeeded');

    const runs = await timersUntil(app, '2026-06-08T17:01:00Z', '2026-06-08T17:05:00Z');
    expect(brief(runs)).toEqual(['aks-crash stop InProgress']);
    expect(runs.at(-1)!.outcomes[0]!.at.toISOString()).toBe('2026-06-08T17:05:00.000Z');
    expect(app.logs.some((l) => l.includes('was never submitted to AKS'))).toBe(true);
    // The crashed attempt left no outcome: the only operation is the one the 17:05 tick started.
    expect(
      (await app.deps.state.operations.history()).map((o) => `${o.startedAt.toISOString()} ${o.status}`),
    ).toEqual(['2026-06-08T17:05:00.000Z InProgress']);
  });

  it('acts on the next tick when the process died after recording its intent, before the request left', async () => {
    app = await startApp();
    await killedTick(app, { method: 'intend', when: 'after' });

    const runs = await timersUntil(app, '2026-06-08T17:01:00Z', '2026-06-08T17:10:00Z');
    expect(brief(runs)).toEqual(['aks-crash stop InProgress', 'aks-crash stop Succeeded']);
    expect(app.logs.some((l) => /was not accepted by AKS \(ARM shows no trace of it/.test(l))).toBe(true);
    expect(await powerOf(app, 'aks-crash')).toBe('Stopped/Succeeded');
  });

  it('records the true outcome of a stop AKS accepted when the process died before recording it', async () => {
    app = await startApp();
    await killedTick(app, { method: 'submitted', when: 'before' });

    const runs = await timersUntil(app, '2026-06-08T17:01:00Z', '2026-06-08T17:15:00Z');
    expect(brief(runs)).toEqual(['aks-crash stop Succeeded']);
    const rows = await rowsOfCluster(app);
    expect(rows).toEqual([expect.stringMatching(/^stop Succeeded: stop completed \(found from ARM/)]);
    expect(rows.join('\n')).not.toContain('already stopped');
    expect(app.logs.some((l) => l.includes('never submitted'))).toBe(false);
    expect((await app.deps.state.operations.history()).map((o) => o.status)).toEqual(['Succeeded']);
  });

  it('follows a stop whose answer was lost on the connection, without a false "already stopped"', async () => {
    app = await startApp();
    await simAdmin(app.sim, 'POST', '/faults', {
      type: 'dropResponse',
      match: { operation: 'ManagedClusters_Stop' },
      times: 1,
    });
    const runs = await timersUntil(app, EDGE, '2026-06-08T17:15:00Z');
    expect(brief(runs)).toEqual(['aks-crash stop InProgress', 'aks-crash stop Succeeded']);
    expect(runs[0]!.outcomes[0]!.reason).toContain('its answer was lost on the way');
    const rows = await rowsOfCluster(app);
    expect(rows).toHaveLength(2);
    expect(rows.join('\n')).not.toContain('already stopped');
    expect(await powerOf(app, 'aks-crash')).toBe('Stopped/Succeeded');
  });

  it('records the outcome once and writes no "already stopped" row when the process died after recording the poller', async () => {
    app = await startApp();
    await killedTick(app, { method: 'submitted', when: 'after' });

    const runs = await timersUntil(app, '2026-06-08T17:01:00Z', '2026-06-08T17:15:00Z');
    expect(brief(runs)).toEqual(['aks-crash stop Succeeded']);
    const rows = await rowsOfCluster(app);
    expect(rows).toEqual([expect.stringMatching(/^stop Succeeded: stop completed after \d+ min/)]);
  });

  it('reports an outcome recorded by a tick that died before reporting it, once', async () => {
    app = await startApp();
    app.sim.clock.set(EDGE);
    expect(brief(await runPowerSchedule(app.deps))).toEqual(['aks-crash stop InProgress']);
    app.sim.clock.set('2026-06-08T17:05:00Z');
    const dying = dyingAt(app.deps, { method: 'finish', when: 'after' });
    void runPowerSchedule(dying.deps);
    await dying.killed;

    const runs = await timersUntil(app, '2026-06-08T17:06:00Z', '2026-06-08T17:15:00Z');
    expect(brief(runs)).toEqual(['aks-crash stop Succeeded']);
    const rows = await rowsOfCluster(app);
    expect(rows).toEqual([
      expect.stringMatching(/^stop InProgress/),
      expect.stringMatching(/^stop Succeeded: .*reported by the sweeper/),
    ]);
  });
});
