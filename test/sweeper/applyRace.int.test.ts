import { simAdmin } from '../../shared/local/simAdmin';
import { settleJob as settleOperations } from '../../shared/operations/lifecycle';
import { runPowerSchedule } from '../../shared/power/runPowerSchedule';
import { runSweep } from '../../shared/sweeper/runSweep';
import { startTestApp, type TestApp } from '../support/app';
import { latencyGate } from '../support/latencyGate';
import {
  brief,
  client,
  PARIS_OFFICE,
  powerFleet,
  powerOf,
  RG,
  rowsOf,
  SUB,
  tickAt,
} from '../power/intSupport';

// Monday 8 June 2026, 19:00 Paris = 17:00Z.

describe('sweeper and apply: an operation is settled only once AKS accepted it, and every outcome is reported under its job', () => {
  let app: TestApp;
  afterEach(async () => app?.close());

  it('does not settle a stop that a sweep sees between the lock and the submit, nor let the tick resurrect it', async () => {
    const gate = latencyGate();
    app = await startTestApp({
      fleet: powerFleet([{ name: 'aks-race', tags: PARIS_OFFICE }]),
      startTime: '2026-06-08T16:55:00Z',
      speed: 0,
      sleep: gate.sleep,
    });
    await tickAt(app, '2026-06-08T16:55:00Z');
    // The tick's re-read (after it took the lock) is held until the sweep is done: the sweep runs in that gap.
    await simAdmin(app.sim, 'POST', '/faults', {
      type: 'latency',
      match: { operation: 'ManagedClusters_Get' },
      ms: 1500,
      times: 1,
    });
    await simAdmin(app.sim, 'DELETE', '/counters');
    app.sim.clock.set('2026-06-08T17:00:00Z');
    const tick = runPowerSchedule(app.deps);
    await gate.held;

    // The race is on: the lock is taken, nothing is submitted to AKS yet.
    const mc = await client(app).managedClusters.get(RG, 'aks-race');
    const probe = {
      id: 'probe',
      runId: 'r',
      job: 'power-schedule' as const,
      action: 'stop',
      actor: 'timer' as const,
      cluster: { id: mc.id!, name: 'aks-race', subscriptionId: SUB, resourceGroup: RG },
      startedAt: app.sim.clock.now(),
    };
    expect(await app.deps.state.operations.start(probe)).toBeUndefined();
    expect(
      (await simAdmin<{ byOperation: Record<string, number> }>(app.sim, 'GET', '/counters')).byOperation
        .ManagedClusters_Stop,
    ).toBeUndefined();

    const sweep = await runSweep(app.deps);
    expect(sweep.run.outcomes).toEqual([]);
    expect(sweep.runs).toEqual([]);

    gate.open();
    expect(brief(await tick)).toEqual(['aks-race stop InProgress']);
    const [op] = await app.deps.state.operations.inFlight();
    expect(op).toMatchObject({ status: 'InProgress', poller: expect.stringContaining('/stop') as unknown });
    expect(brief(await tickAt(app, '2026-06-08T17:05:00Z'))).toEqual(['aks-race stop Succeeded']);
    expect((await app.deps.state.operations.history()).map((o) => o.status)).toEqual(['Succeeded']);
    expect(await powerOf(app, 'aks-race')).toBe('Stopped/Succeeded');
  });

  it('releases an operation left Starting by a crash after a few minutes, and never records it Succeeded', async () => {
    app = await startTestApp({
      fleet: powerFleet([{ name: 'aks-crash', tags: PARIS_OFFICE }]),
      startTime: '2026-06-08T17:00:00Z',
      speed: 0,
    });
    const mc = await client(app).managedClusters.get(RG, 'aks-crash');
    const cluster = { id: mc.id!, name: 'aks-crash', subscriptionId: SUB, resourceGroup: RG };
    const claim = await app.deps.state.operations.start({
      id: 'crashed',
      runId: 'r',
      job: 'power-schedule',
      action: 'stop',
      actor: 'timer',
      cluster,
      startedAt: app.sim.clock.now(),
    });
    expect(claim).toBeDefined();

    app.sim.clock.set('2026-06-08T17:02:00Z');
    expect((await runSweep(app.deps)).runs).toEqual([]);
    expect(await app.deps.state.operations.start({ ...claim!.op, id: 'other' })).toBeUndefined(); // still held

    app.sim.clock.set('2026-06-08T17:07:00Z');
    const sweep = await runSweep(app.deps);
    expect(sweep.runs).toEqual([]);
    expect(
      app.logs.some((l) =>
        /warn: sweep: power-schedule stop on aks-crash \(operation crashed\) was never submitted/.test(l),
      ),
    ).toBe(true);
    expect(await app.deps.state.operations.history()).toEqual([]);
    // The cluster is free: the tick (still inside the catch-up window) stops it.
    expect(brief(await tickAt(app, '2026-06-08T17:08:00Z'))).toEqual(['aks-crash stop InProgress']);
  });

  it('goes on settling the other operations and planning when one record cannot be settled', async () => {
    const late = { 'day2-stop': '5 19 * * 1-5', 'day2-timezone': 'Europe/Paris' };
    app = await startTestApp({
      fleet: powerFleet([
        { name: 'aks-bad', tags: PARIS_OFFICE },
        { name: 'aks-good', tags: PARIS_OFFICE },
        { name: 'aks-late', tags: late },
      ]),
      startTime: '2026-06-08T16:55:00Z',
      speed: 0,
    });
    await tickAt(app, '2026-06-08T16:55:00Z');
    expect(brief(await tickAt(app, '2026-06-08T17:00:00Z')).sort()).toEqual([
      'aks-bad stop InProgress',
      'aks-good stop InProgress',
    ]);
    const bad = (await app.deps.state.operations.inFlight()).find((o) => o.cluster.name === 'aks-bad')!;
    const unknownPoller = JSON.stringify({
      state: { config: { initialRequestUrl: 'https://arm/unknown', requestMethod: 'GET' } },
    });
    // A record ARM alone cannot settle (its intent says the cluster already showed the effect before, so
    // only the operation's status can tell) and whose poller cannot be restored.
    const corrupt = {
      ...bad,
      poller: unknownPoller,
      intent: { ...bad.intent, before: { provisioningState: 'Succeeded', powerState: 'Stopped' } },
    };
    expect(await app.deps.state.operations.update(corrupt)).toBe(true);

    const run = await tickAt(app, '2026-06-08T17:05:00Z');
    expect(brief(run).sort()).toEqual(['aks-good stop Succeeded', 'aks-late stop InProgress']);
    expect(
      app.logs.some(
        (l) =>
          l.startsWith('error: power-schedule: stop on aks-bad') &&
          l.includes(bad.id) &&
          l.includes('Internal'),
      ),
    ).toBe(true);
    expect((await app.deps.state.operations.inFlight()).map((o) => o.cluster.name).sort()).toEqual([
      'aks-bad',
      'aks-late',
    ]);
  });

  it('reports an outcome recorded by a run that crashed before reporting it, once, under its own job', async () => {
    app = await startTestApp({
      fleet: powerFleet([{ name: 'aks-lost', tags: PARIS_OFFICE }]),
      startTime: '2026-06-08T16:55:00Z',
      speed: 0,
    });
    await tickAt(app, '2026-06-08T16:55:00Z');
    expect(brief(await tickAt(app, '2026-06-08T17:00:00Z'))).toEqual(['aks-lost stop InProgress']);
    app.sim.clock.set('2026-06-08T17:05:00Z');
    // A tick records the outcome, then dies before `report`.
    expect((await settleOperations(app.deps, 'power-schedule')).outcomes.map((o) => o.outcome)).toEqual([
      'Succeeded',
    ]);

    app.sim.clock.set('2026-06-08T17:06:00Z');
    expect((await runSweep(app.deps)).runs).toEqual([]); // within the grace period: the run may still report it

    app.sim.clock.set('2026-06-08T17:08:00Z');
    const sweep = await runSweep(app.deps);
    expect(sweep.runs.map((r) => [r.job, r.actor])).toEqual([['power-schedule', 'timer']]);
    expect(brief(sweep.runs)).toEqual(['aks-lost stop Succeeded']);
    expect(await rowsOf(app, sweep.runs[0]!)).toEqual([
      expect.objectContaining({
        Job: 'power-schedule',
        Action: 'stop',
        Outcome: 'Succeeded',
        Cluster: 'aks-lost',
      }),
    ]);

    app.sim.clock.set('2026-06-08T17:10:00Z');
    expect((await runSweep(app.deps)).runs).toEqual([]); // reported once
  });

  it('does not report again an outcome the tick reported', async () => {
    app = await startTestApp({
      fleet: powerFleet([{ name: 'aks-ok', tags: PARIS_OFFICE }]),
      startTime: '2026-06-08T16:55:00Z',
      speed: 0,
    });
    await tickAt(app, '2026-06-08T16:55:00Z');
    await tickAt(app, '2026-06-08T17:00:00Z');
    expect(brief(await tickAt(app, '2026-06-08T17:05:00Z'))).toEqual(['aks-ok stop Succeeded']);
    app.sim.clock.set('2026-06-08T17:15:00Z');
    expect((await runSweep(app.deps)).runs).toEqual([]);
  });
});
