import type { ManagedCluster } from '@azure/arm-containerservice';
import { simAdmin } from '../../shared/local/simAdmin';
import type { CounterSnapshot } from '../../shared/sim/counters';
import { startTestApp, type TestApp } from '../support/app';
import { brief, cardText, client, PARIS_OFFICE, powerFleet, powerOf, RG, rowsOf, tickAt } from './intSupport';

// Monday 8 June 2026, 19:00 Paris = 17:00Z.

const BUSY =
  'Operation is not allowed: Another operation (Updating) is in progress, please wait for it to finish before starting a new operation. See https://aka.ms/aks-pending-operation for more details';

/** Starts a control-plane upgrade to 1.34.2 through the SDK and returns once AKS accepted it (3 virtual minutes). */
async function startUpgrade(app: TestApp, name: string): Promise<void> {
  const mc: ManagedCluster = await client(app).managedClusters.get(RG, name);
  const poller = client(app).managedClusters.createOrUpdate(RG, name, { ...mc, kubernetesVersion: '1.34.2' });
  await poller.submitted();
}

describe('power schedule apply: AKS refusals, throttling and failed operations', () => {
  let app: TestApp;
  afterEach(async () => app?.close());

  it.each([
    [
      'a 409 OperationNotAllowed from AKS',
      'fault',
      /deferred: stop on aks-busy failed: Operation is not allowed: Another operation \(Updating\) is in progress/,
    ],
    [
      'an upgrade started through the SDK just before the edge',
      'upgrade',
      /deferred: operation in progress \(Upgrading\); retrying next tick/,
    ],
  ])('defers the stop on %s and stops the cluster on the next tick', async (_what, cause, reason) => {
    app = await startTestApp({
      fleet: powerFleet([{ name: 'aks-busy', tags: PARIS_OFFICE }], {
        timings: { controlPlaneUpgradeSeconds: 180 },
      }),
      startTime: '2026-06-08T16:55:00Z',
      speed: 0,
    });
    await tickAt(app, '2026-06-08T16:55:00Z');
    app.sim.clock.set('2026-06-08T16:59:00Z');
    if (cause === 'fault') {
      await simAdmin(app.sim, 'POST', '/faults', {
        type: 'httpStatus',
        match: { operation: 'ManagedClusters_Stop' },
        status: 409,
        code: 'OperationNotAllowed',
        message: BUSY,
        times: 1,
      });
    } else {
      await startUpgrade(app, 'aks-busy');
    }
    const deferred = await tickAt(app, '2026-06-08T17:00:00Z');
    expect(brief(deferred)).toEqual(['aks-busy stop Skipped']);
    expect(deferred.outcomes[0]!.reason).toMatch(reason);
    expect(deferred.outcomes[0]!.details).toMatchObject({ deferred: true });
    const rows = await rowsOf(app, deferred);
    expect(rows).toEqual([
      expect.objectContaining({
        Job: 'power-schedule',
        Action: 'stop',
        Outcome: 'Skipped',
        Cluster: 'aks-busy',
      }),
    ]);
    expect(String(rows[0]!.Reason)).toMatch(reason);
    expect(await app.deps.state.operations.inFlight()).toEqual([]); // the lock was released

    const next = await tickAt(app, '2026-06-08T17:05:00Z');
    expect(brief(next)).toEqual(['aks-busy stop InProgress']);
    expect(next.outcomes[0]!.reason).toContain('caught up 5 min late');
    expect(await cardText(app, next)).toContain('aks-busy');
    expect(await rowsOf(app, next)).toEqual([
      expect.objectContaining({ Action: 'stop', Outcome: 'InProgress', Cluster: 'aks-busy' }),
    ]);
    expect(brief(await tickAt(app, '2026-06-08T17:10:00Z'))).toEqual(['aks-busy stop Succeeded']);
    expect(await powerOf(app, 'aks-busy')).toBe('Stopped/Succeeded');
  });

  it('absorbs ARM throttling: the run completes and the 429s were served and retried by the SDK', async () => {
    const names = ['aks-t1', 'aks-t2', 'aks-t3', 'aks-t4'];
    app = await startTestApp({
      fleet: powerFleet(names.map((name) => ({ name, tags: PARIS_OFFICE }))),
      startTime: '2026-06-08T16:55:00Z',
      speed: 0,
      // The listing and every re-read in one subscription's read budget: ARM listing, always re-read.
      env: { DAY2_DISCOVERY: 'arm', DAY2_LISTING_MAX_AGE_SECONDS: '0' },
    });
    await tickAt(app, '2026-06-08T16:55:00Z');
    await simAdmin(app.sim, 'POST', '/throttling', {
      enabled: true,
      // Refill slowly enough that a loaded machine still runs out of tokens (the bucket refills on real time).
      reads: { bucket: 3, refillPerSecond: 0.5 },
    });
    await simAdmin(app.sim, 'DELETE', '/counters');
    const run = await tickAt(app, '2026-06-08T17:00:00Z');
    expect(brief(run).sort()).toEqual(names.map((n) => `${n} stop InProgress`));
    const counters = await simAdmin<CounterSnapshot>(app.sim, 'GET', '/counters');
    expect(counters.byStatus['429'] ?? 0).toBeGreaterThan(0);
    expect(counters.byOperation['ManagedClusters_Get']).toBeGreaterThan(names.length); // re-reads retried after their 429s
    const card = await cardText(app, run);
    for (const n of names) expect(card).toContain(n);
    expect(await rowsOf(app, run)).toHaveLength(names.length);
  });

  it('records a stop that AKS fails as Failed, with AKS reason, on the next tick', async () => {
    app = await startTestApp({
      fleet: powerFleet([{ name: 'aks-fails', tags: PARIS_OFFICE }]),
      startTime: '2026-06-08T16:55:00Z',
      speed: 0,
    });
    await simAdmin(app.sim, 'POST', '/faults', {
      type: 'operationFailure',
      cluster: 'aks-fails',
      operation: 'stop',
      code: 'VMExtensionProvisioningError',
      message: 'VM has reported a failure when processing extension vmssCSE.',
      afterSeconds: 30,
    });
    await tickAt(app, '2026-06-08T16:55:00Z');
    expect(brief(await tickAt(app, '2026-06-08T17:00:00Z'))).toEqual(['aks-fails stop InProgress']);
    const failed = await tickAt(app, '2026-06-08T17:05:00Z');
    expect(brief(failed)).toEqual(['aks-fails stop Failed']);
    expect(failed.outcomes[0]!.reason).toBe(
      'stop on aks-fails failed: VMExtensionProvisioningError: VM has reported a failure when processing extension vmssCSE.',
    );
    const card = await cardText(app, failed);
    expect(card).toContain('Failed (1)');
    expect(card).toContain('VMExtensionProvisioningError');
    const rows = await rowsOf(app, failed);
    expect(rows).toEqual([
      expect.objectContaining({
        Job: 'power-schedule',
        Action: 'stop',
        Outcome: 'Failed',
        Cluster: 'aks-fails',
        Reason: failed.outcomes[0]!.reason,
      }),
    ]);
    expect(await app.deps.state.operations.inFlight()).toEqual([]);
    expect((await app.deps.state.operations.history({ job: 'power-schedule' })).map((o) => o.status)).toEqual(
      ['Failed'],
    );
    expect(brief(await tickAt(app, '2026-06-08T17:10:00Z'))).toEqual([]); // recorded once
  });

  it('records a 403 on the stop as Failed, naming the missing permission, and does not retry the edge', async () => {
    app = await startTestApp({
      fleet: powerFleet([{ name: 'aks-denied', tags: PARIS_OFFICE }]),
      startTime: '2026-06-08T16:55:00Z',
      speed: 0,
    });
    await simAdmin(app.sim, 'POST', '/faults', {
      type: 'httpStatus',
      match: { operation: 'ManagedClusters_Stop' },
      status: 403,
      code: 'AuthorizationFailed',
      message: 'The client does not have authorization to perform action.',
    });
    await tickAt(app, '2026-06-08T16:55:00Z');
    const run = await tickAt(app, '2026-06-08T17:00:00Z');
    expect(brief(run)).toEqual(['aks-denied stop Failed']);
    expect(run.outcomes[0]!.reason).toContain('Microsoft.ContainerService/managedClusters/stop/action');
    expect(await cardText(app, run)).toContain('Failed (1)');
    expect(brief(await tickAt(app, '2026-06-08T17:05:00Z'))).toEqual([]);
    expect(await powerOf(app, 'aks-denied')).toBe('Running/Succeeded');
  });
});
