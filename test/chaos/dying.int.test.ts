import { simAdmin } from '../../shared/local/simAdmin';
import { PARIS_OFFICE, powerFleet, RG, SUB } from '../power/intSupport';
import { startTestApp, type TestApp } from '../support/app';
import { dyingAt } from '../support/dying';
import { latencyGate } from '../support/latencyGate';

interface StoredFault {
  id: string;
  used: number;
}

describe('the kill harness', () => {
  let app: TestApp;
  afterEach(async () => app?.close());

  it('declares a process dead only once the request it had sent has landed, and lets it send nothing after, not even the SDK retry of that request', async () => {
    const gate = latencyGate();
    app = await startTestApp({
      fleet: powerFleet([
        { name: 'aks-dead', tags: PARIS_OFFICE },
        { name: 'aks-alive', tags: PARIS_OFFICE },
      ]),
      startTime: '2026-06-08T12:00:00Z',
      speed: 0,
      sleep: gate.sleep,
    });
    // Reads of aks-dead: the first is held on its way, and every one of them fails (the SDK retries it).
    const {
      ids: [, failing],
    } = await simAdmin<{ ids: string[] }>(app.sim, 'POST', '/faults', [
      { type: 'latency', ms: 1000, times: 1, match: { cluster: 'aks-dead' } },
      { type: 'httpStatus', status: 503, match: { cluster: 'aks-dead' } },
    ]);
    const answered = async (): Promise<number> => {
      const { faults } = await simAdmin<{ faults: StoredFault[] }>(app.sim, 'GET', '/faults');
      return faults.find((f) => f.id === failing)?.used ?? 0;
    };
    const dying = dyingAt(
      app.deps,
      { method: 'start', when: 'before' },
      { retryDelayInMs: 1, maxRetryDelayInMs: 1, maxRetries: 5 },
    );
    let dead = false;
    void dying.killed.then(() => (dead = true));
    void dying.deps.azure
      .aks(SUB)
      .managedClusters.get(RG, 'aks-dead')
      .catch(() => undefined);
    await gate.held;

    // The process dies at its next write, its read of aks-dead still on the way: not dead yet for the harness.
    void dying.deps.state.operations.start({} as never);
    await app.deps.azure.aks(SUB).managedClusters.get(RG, 'aks-alive');
    expect(dead).toBe(false);

    // The read lands (and fails): now it is dead, and its retry never reaches ARM.
    gate.open();
    await dying.killed;
    for (let i = 0; i < 3; i++) await app.deps.azure.aks(SUB).managedClusters.get(RG, 'aks-alive');
    expect(await answered()).toBe(1);
  });
});
