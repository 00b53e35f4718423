import { readOperationStatus } from '../../shared/operations/lifecycle';
import { restoreOperation } from '../../shared/operations/restore';
import { admin } from '../sim/simClient';
import { startTestApp, type TestApp } from '../support/app';
import { client, PARIS_OFFICE, powerFleet, RG } from '../power/intSupport';

const where = { cluster: 'aks-st', operation: 'stop' };

describe("an accepted operation's status, read once from its status URL", () => {
  let app: TestApp;
  beforeEach(async () => {
    app = await startTestApp({
      fleet: powerFleet([{ name: 'aks-st', tags: PARIS_OFFICE }]),
      startTime: '2026-06-08T17:00:00Z',
      speed: 0,
    });
  });
  afterEach(async () => app?.close());

  async function stopStarted(): Promise<string> {
    const poller = client(app).managedClusters.stop(RG, 'aks-st');
    await poller.submitted();
    return poller.serialize();
  }

  it('says how far a running operation is, then that it succeeded, one GET each and no read of the resource', async () => {
    const serialized = await stopStarted();
    app.sim.clock.set('2026-06-08T17:01:00Z');
    await admin(app.sim, 'DELETE', '/counters');
    const running = await readOperationStatus(client(app), serialized, where);
    expect(running.state).toBe('running');
    expect(running.state === 'running' && running.percentComplete).toBeGreaterThan(0);

    app.sim.clock.set('2026-06-08T17:30:00Z');
    expect(await readOperationStatus(client(app), serialized, where)).toEqual({ state: 'Succeeded' });
    const counted = await admin<{ byOperation: Record<string, number> }>(app.sim, 'GET', '/counters');
    expect(counted.byOperation).toEqual({ Operations_GetStatus: 2 });
  });

  it("carries AKS's code and message for a failed operation, worded as the SDK's poller words them", async () => {
    await admin(app.sim, 'POST', '/faults', {
      type: 'operationFailure',
      cluster: 'aks-st',
      operation: 'stop',
      code: 'InternalOperationError',
      message: 'the stop could not finish',
      afterSeconds: 30,
    });
    const serialized = await stopStarted();
    app.sim.clock.set('2026-06-08T17:30:00Z');
    const failed = await readOperationStatus(client(app), serialized, where);
    expect(failed.state).toBe('Failed');
    expect(failed.state === 'Failed' && failed.error).toMatchObject({
      code: 'OperationFailed',
      azureCode: 'InternalOperationError',
      message: 'stop on aks-st failed: InternalOperationError: the stop could not finish',
    });
    // The SDK's own poller, restored from the same state, reports the same failure.
    let sdkMessage = '';
    try {
      await restoreOperation(client(app), serialized).pollUntilDone();
    } catch (err) {
      sdkMessage = (err as Error).message;
    }
    expect(sdkMessage).toBe(
      'The long-running operation has failed. InternalOperationError. the stop could not finish',
    );
  });

  it('throws a typed error when the status cannot be read (an operation ARM does not know)', async () => {
    const serialized = (await stopStarted()).replace(
      /operations\/[0-9a-f-]+\?/,
      'operations/00000000-0000-4000-8000-000000000000?',
    );
    await expect(readOperationStatus(client(app), serialized, where)).rejects.toMatchObject({
      code: 'NotFound',
      cluster: 'aks-st',
      operation: 'stop',
    });
  });

  it("leaves a stored state it does not poll itself to the SDK's restored poller (here one that already ended: no request)", async () => {
    const ended = (await stopStarted()).replace('"status":"running"', '"status":"succeeded"');
    await admin(app.sim, 'DELETE', '/counters');
    expect(await readOperationStatus(client(app), ended, where)).toEqual({ state: 'Succeeded' });
    const counted = await admin<{ total: number }>(app.sim, 'GET', '/counters');
    expect(counted.total).toBe(0);
  });
});
