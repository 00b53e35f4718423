import type { SimHandle } from '../../shared/sim/server';
import { SimClock } from '../../shared/sim/clock';
import { startEventReceiver } from './eventReceiver';
import { admin, aksClient, call, sim, SUB } from './simClient';

describe('the simulator clock', () => {
  it('runs X times faster than real time at speed X', () => {
    let real = 1_000_000;
    const clock = new SimClock('2026-10-01T00:00:00Z', 1000, () => real);
    real += 50;
    expect(clock.now().toISOString()).toBe('2026-10-01T00:00:50.000Z');
    clock.setSpeed(0);
    real += 60_000;
    expect(clock.now().toISOString()).toBe('2026-10-01T00:00:50.000Z');
    clock.setSpeed(60);
    real += 1_000;
    expect(clock.now().toISOString()).toBe('2026-10-01T00:01:50.000Z');
  });

  it('pushes events on its own timer at speed X, with nobody polling', async () => {
    const rx = await startEventReceiver();
    const s = await sim({ speed: 6000, eventGrid: { url: rx.url } });
    try {
      const r = await call(
        s,
        'POST',
        `/subscriptions/${SUB.dev}/resourceGroups/rg-aks-dev-weu/providers/Microsoft.ContainerService/managedClusters/aks-dev-weu-01/agentPools/apps/upgradeNodeImageVersion?api-version=2026-06-01`,
        undefined,
        { auth: true },
      );
      expect(r.status).toBe(202);
      // 2 batches x 150 s = 300 virtual s: the simulator's own timer ends the roll; nothing polls it.
      const deliveries = await rx.received(2);
      const types = deliveries.map((d) => (d.body as Array<{ eventType: string }>)[0]!.eventType);
      expect(types).toEqual([
        'Microsoft.ContainerService.NodePoolRollingStarted',
        'Microsoft.ContainerService.NodePoolRollingSucceeded',
      ]);
    } finally {
      await s.close();
      await rx.close();
    }
  });

  describe('through the admin API', () => {
    let s: SimHandle;
    beforeEach(async () => {
      s = await sim({ speed: 0, startTime: '2026-10-05T06:00:00Z' });
    });
    afterEach(async () => {
      await s.close();
    });

    it('reads, sets, advances and changes the speed of the virtual clock', async () => {
      expect(await admin(s, 'GET', '/clock')).toEqual({ now: '2026-10-05T06:00:00.000Z', speed: 0 });
      expect(await admin(s, 'POST', '/clock/advance', { minutes: 90 })).toEqual({
        now: '2026-10-05T07:30:00.000Z',
        speed: 0,
      });
      expect(await admin(s, 'POST', '/clock/set', { time: '2026-10-06T19:00:00+02:00' })).toEqual({
        now: '2026-10-06T17:00:00.000Z',
        speed: 0,
      });
      expect((await admin<{ speed: number }>(s, 'POST', '/clock/speed', { speed: 60 })).speed).toBe(60);
    });

    it('finishes an operation when the clock passes its end, without any polling', async () => {
      const client = aksClient(s, SUB.dev);
      const poller = client.managedClusters.stop('rg-aks-dev-weu', 'aks-dev-weu-02', {
        updateIntervalInMs: 10,
      });
      await poller.submitted();
      await admin(s, 'POST', '/clock/advance', { seconds: 119 });
      expect((await client.managedClusters.get('rg-aks-dev-weu', 'aks-dev-weu-02')).provisioningState).toBe(
        'Stopping',
      );
      await admin(s, 'POST', '/clock/advance', { seconds: 2 });
      const state = await admin<{
        clusters: Array<{ name: string; properties: { powerState: { code: string } } }>;
      }>(s, 'GET', '/state');
      expect(state.clusters.find((c) => c.name === 'aks-dev-weu-02')?.properties.powerState.code).toBe(
        'Stopped',
      );
      await poller;
    });

    it('uses the virtual clock for operation timestamps', async () => {
      const client = aksClient(s, SUB.dev);
      const poller = client.managedClusters.stop('rg-aks-dev-weu', 'aks-dev-weu-02', {
        updateIntervalInMs: 10,
      });
      await poller.submitted();
      s.clock.advance(5 * 60_000);
      await poller;
      const { operations } = await admin<{ operations: Array<{ startMs: number; endedMs: number }> }>(
        s,
        'GET',
        '/operations',
      );
      expect(new Date(operations[0]!.startMs).toISOString()).toBe('2026-10-05T06:00:00.000Z');
      expect(operations[0]!.endedMs - operations[0]!.startMs).toBe(120_000);
    });
  });
});
