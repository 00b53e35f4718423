import type { Deps } from '../../shared/deps';
import { acquire, LEASE_MS, submit } from '../../shared/operations/lifecycle';
import { createStateStore } from '../../shared/state/stateStore';
import { Tables } from '../../shared/storage/tables';
import { lockKeys } from '../../shared/state/operationStore';
import { startTestApp, type TestApp } from '../support/app';
import { azuriteConnectionString, uniqueName } from '../support/storage';
import { client, PARIS_OFFICE, powerFleet, powerOf, RG, SUB } from '../power/intSupport';

describe('the operation lifecycle frees a cluster a crashed holder left locked as soon as its lease ran out', () => {
  let app: TestApp;
  afterEach(async () => app?.close());

  async function setup(): Promise<{
    deps: Deps;
    tables: Tables;
    cluster: { id: string; name: string; subscriptionId: string; resourceGroup: string };
  }> {
    app = await startTestApp({
      fleet: powerFleet([{ name: 'aks-lock', tags: PARIS_OFFICE }]),
      startTime: '2026-06-08T17:00:00Z',
      speed: 0,
    });
    const prefix = uniqueName('t');
    const deps = { ...app.deps, state: createStateStore(azuriteConnectionString(), prefix) };
    const mc = await client(app).managedClusters.get(RG, 'aks-lock');
    return {
      deps,
      tables: new Tables(azuriteConnectionString(), prefix),
      cluster: { id: mc.id!, name: 'aks-lock', subscriptionId: SUB, resourceGroup: RG },
    };
  }

  const request = (cluster: { id: string; name: string; subscriptionId: string; resourceGroup: string }) => ({
    runId: 'r',
    job: 'power-schedule' as const,
    action: 'stop',
    actor: 'timer' as const,
    cluster,
  });

  it('takes over a lock whose holder died before writing its record, once the lease ran out', async () => {
    const { deps, tables, cluster } = await setup();
    // A process killed between taking the lock and recording its operation leaves only the lock row.
    const t = await tables.table('locks');
    await t.createEntity({
      ...lockKeys(cluster.id),
      operationId: 'ghost',
      takenAt: '2026-06-08T17:00:00.000Z',
      expiresAt: '2026-06-08T23:00:00.000Z',
    });
    app.sim.clock.set('2026-06-08T17:02:00Z');
    expect(await acquire(deps, request(cluster))).toBeUndefined();
    app.sim.clock.set(new Date(Date.parse('2026-06-08T17:00:00Z') + LEASE_MS + 1000).toISOString());
    expect(await acquire(deps, request(cluster))).toBeDefined();
  });

  it("records a dead holder's accepted stop from ARM and frees the cluster once its lease ran out", async () => {
    const { deps, cluster } = await setup();
    const dead = (await acquire(deps, request(cluster)))!;
    // The holder recorded its intent and sent the stop; it died before AKS's answer was recorded.
    const mc = client(app).managedClusters;
    void submit(deps, dead, {
      expect: { powerState: 'Stopped' },
      during: ['Stopping'],
      observed: { provisioningState: 'Succeeded', powerState: 'Running' },
      send: () => {
        const poller = mc.stop(RG, 'aks-lock');
        return {
          submitted: async () => {
            await poller.submitted();
            await new Promise<never>(() => undefined); // killed here: the answer is never recorded
          },
          serialize: () => poller.serialize(),
        };
      },
    });
    for (let i = 0; i < 200 && (await powerOf(app, 'aks-lock')) !== 'Running/Stopping'; i++)
      await new Promise((r) => setTimeout(r, 10)); // until the request reached the simulator
    expect(await powerOf(app, 'aks-lock')).toBe('Running/Stopping');

    app.sim.clock.set('2026-06-08T17:01:00Z');
    expect(await acquire(deps, { ...request(cluster), action: 'start' })).toBeUndefined(); // lease not out yet
    app.sim.clock.set('2026-06-08T17:04:00Z');
    // Lease out: the holder's fate is read from ARM: the stop ran and ended; its outcome is recorded, the cluster free.
    const next = await acquire(deps, { ...request(cluster), action: 'start' });
    expect(next).toBeDefined();
    const history = await deps.state.operations.history();
    expect(history.map((o) => `${o.action} ${o.status}`)).toEqual(['stop Succeeded']);
    expect(history[0]!.reason).toContain('found from ARM');
  });
});
