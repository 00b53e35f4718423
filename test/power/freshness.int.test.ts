import { simAdmin } from '../../shared/local/simAdmin';
import type { CounterSnapshot } from '../../shared/sim/counters';
import { startTestApp, type TestApp } from '../support/app';
import { brief, PARIS_OFFICE, powerFleet, powerOf, tickAt } from './intSupport';

const FLEET = powerFleet([
  { name: 'aks-paris-1', tags: PARIS_OFFICE },
  { name: 'aks-paris-2', tags: PARIS_OFFICE },
  { name: 'aks-paris-3', tags: PARIS_OFFICE },
]);

async function stopEdge(app: TestApp): Promise<{ brief: string[]; gets: number; stops: number }> {
  await tickAt(app, '2026-06-08T16:55:00Z');
  await simAdmin(app.sim, 'DELETE', '/counters');
  const run = await tickAt(app, '2026-06-08T17:00:00Z');
  const c = await simAdmin<CounterSnapshot>(app.sim, 'GET', '/counters');
  return {
    brief: brief(run),
    gets: c.byOperation['ManagedClusters_Get'] ?? 0,
    stops: c.byOperation['ManagedClusters_Stop'] ?? 0,
  };
}

describe('power schedule: a re-read before acting only when the listing is not fresh', () => {
  let app: TestApp;
  afterEach(async () => app?.close());

  it('stops on a fresh ARM listing without reading each cluster again', async () => {
    app = await startTestApp({
      fleet: FLEET,
      startTime: '2026-06-08T16:50:00Z',
      speed: 0,
      env: { DAY2_DISCOVERY: 'arm' },
    });
    const r = await stopEdge(app);
    expect(r.brief).toEqual([
      'aks-paris-1 stop InProgress',
      'aks-paris-2 stop InProgress',
      'aks-paris-3 stop InProgress',
    ]);
    expect(r).toMatchObject({ gets: 0, stops: 3 });
    expect(await powerOf(app, 'aks-paris-2')).toBe('Running/Stopping');
  });

  it.each([
    [
      'the listing is older than DAY2_LISTING_MAX_AGE_SECONDS (0: always)',
      { DAY2_DISCOVERY: 'arm', DAY2_LISTING_MAX_AGE_SECONDS: '0' },
    ],
    ['the listing came from Resource Graph', { DAY2_DISCOVERY: 'resource-graph' }],
  ])('re-reads each cluster before stopping it when %s', async (_why, env) => {
    app = await startTestApp({ fleet: FLEET, startTime: '2026-06-08T16:50:00Z', speed: 0, env });
    const r = await stopEdge(app);
    expect(r.brief).toEqual([
      'aks-paris-1 stop InProgress',
      'aks-paris-2 stop InProgress',
      'aks-paris-3 stop InProgress',
    ]);
    expect(r).toMatchObject({ gets: 3, stops: 3 });
  });

  it("still defers on AKS's 409 when the cluster became busy after a fresh listing", async () => {
    app = await startTestApp({
      fleet: powerFleet([{ name: 'aks-busy', tags: PARIS_OFFICE }]),
      startTime: '2026-06-08T16:50:00Z',
      speed: 0,
      env: { DAY2_DISCOVERY: 'arm' },
    });
    await tickAt(app, '2026-06-08T16:55:00Z');
    await simAdmin(app.sim, 'POST', '/faults', {
      type: 'httpStatus',
      match: { operation: 'ManagedClusters_Stop' },
      status: 409,
      code: 'OperationNotAllowed',
      message:
        'Operation is not allowed: Another operation (Updating) is in progress, please wait for it to finish before starting a new operation.',
      times: 1,
    });
    const deferred = await tickAt(app, '2026-06-08T17:00:00Z');
    expect(brief(deferred)).toEqual(['aks-busy stop Skipped']);
    expect(deferred.outcomes[0]!.details).toMatchObject({ deferred: true });
    expect(deferred.outcomes[0]!.reason).toMatch(
      /^deferred: .*Another operation \(Updating\) is in progress/,
    );
    expect(brief(await tickAt(app, '2026-06-08T17:05:00Z'))).toEqual(['aks-busy stop InProgress']);
  });
});
