import type { SimHandle } from '../../shared/sim/server';
import { startEventReceiver, type EventReceiver } from './eventReceiver';
import { admin, aksClient, sim, SUB } from './simClient';

/** `expect.any(String)`, typed so that object literals holding it stay type-safe. */
const anyString = expect.any(String) as unknown as string;
/** The samples' `2023-03-29T18:00:00.0000000Z`. */
const sampleTimeFormat = expect.stringMatching(
  /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$/,
) as unknown as string;

interface EgEvent {
  id: string;
  topic: string;
  subject: string;
  eventType: string;
  data: Record<string, string>;
  dataVersion: string;
  metadataVersion: string;
  eventTime: string;
}

const TOPIC = `/subscriptions/${SUB.dev}/resourceGroups/rg-aks-dev-weu/providers/Microsoft.ContainerService/managedClusters/aks-dev-weu-01`;

describe('simulated Event Grid delivery', () => {
  let s: SimHandle;
  let rx: EventReceiver;
  beforeEach(async () => {
    rx = await startEventReceiver();
    s = await sim({ speed: 0, eventGrid: { url: rx.url } });
  });
  afterEach(async () => {
    await s.close();
    await rx.close();
  });

  async function upgradeNodeImage(pool = 'apps'): Promise<void> {
    const poller = aksClient(s, SUB.dev).agentPools.upgradeNodeImageVersion(
      'rg-aks-dev-weu',
      'aks-dev-weu-01',
      pool,
      { updateIntervalInMs: 10 },
    );
    await poller.submitted();
    s.clock.advance(60 * 60_000);
    await poller;
    await admin(s, 'POST', '/eventgrid/flush');
  }

  it('pushes NodePoolRollingStarted and Succeeded in the Event Grid schema, one event per array', async () => {
    await upgradeNodeImage();
    expect(rx.deliveries).toHaveLength(2);
    for (const d of rx.deliveries) {
      expect(d.headers['aeg-event-type']).toBe('Notification');
      expect(Array.isArray(d.body)).toBe(true);
      expect(d.body).toHaveLength(1);
    }
    const [started, succeeded] = rx.deliveries.map((d) => (d.body as EgEvent[])[0]!);
    expect(started).toEqual({
      topic: TOPIC,
      subject: 'aks-dev-weu-01',
      eventType: 'Microsoft.ContainerService.NodePoolRollingStarted',
      id: anyString,
      data: { nodePoolName: 'apps' },
      dataVersion: '1',
      metadataVersion: '1',
      eventTime: sampleTimeFormat,
    });
    expect(succeeded?.eventType).toBe('Microsoft.ContainerService.NodePoolRollingSucceeded');
    expect(started?.id).not.toBe(succeeded?.id);
  });

  it('pushes CloudEvents with content-type application/cloudevents+json when asked', async () => {
    await admin(s, 'POST', '/eventgrid', { url: rx.url, schema: 'CloudEventSchema' });
    await upgradeNodeImage();
    const d = rx.deliveries[0]!;
    expect(d.headers['content-type']).toContain('application/cloudevents+json');
    expect(d.body).toEqual({
      source: TOPIC,
      subject: 'aks-dev-weu-01',
      type: 'Microsoft.ContainerService.NodePoolRollingStarted',
      time: anyString,
      id: anyString,
      data: { nodePoolName: 'apps' },
      specversion: '1.0',
    });
  });

  it('pushes NodePoolRollingFailed when a drain is blocked', async () => {
    await admin(s, 'POST', '/faults', {
      type: 'operationFailure',
      cluster: 'aks-dev-weu-01',
      operation: 'nodeImageUpgrade',
    });
    await upgradeNodeImage().catch(() => undefined);
    await admin(s, 'POST', '/eventgrid/flush');
    expect(rx.deliveries.map((d) => (d.body as EgEvent[])[0]!.eventType)).toEqual([
      'Microsoft.ContainerService.NodePoolRollingStarted',
      'Microsoft.ContainerService.NodePoolRollingFailed',
    ]);
  });

  it('delivers duplicates and reorders events on demand', async () => {
    await admin(s, 'POST', '/eventgrid', { duplicate: true, reorder: true });
    await upgradeNodeImage();
    const types = rx.deliveries.map((d) =>
      (d.body as EgEvent[])[0]!.eventType.replace('Microsoft.ContainerService.', ''),
    );
    expect(types).toEqual([
      'NodePoolRollingSucceeded',
      'NodePoolRollingSucceeded',
      'NodePoolRollingStarted',
      'NodePoolRollingStarted',
    ]);
    const ids = rx.deliveries.map((d) => (d.body as EgEvent[])[0]!.id);
    expect(ids[0]).toBe(ids[1]);
  });

  it('emits support and new-version events for a cluster through the admin API', async () => {
    await admin(s, 'POST', '/eventgrid/emit', { cluster: 'aks-test-eus-01', type: 'ClusterSupportEnded' });
    await admin(s, 'POST', '/eventgrid/emit', {
      cluster: 'aks-test-eus-01',
      type: 'ClusterSupportEnding',
      data: { kubernetesVersion: '1.30.14' },
    });
    await admin(s, 'POST', '/eventgrid/emit', {
      cluster: 'aks-dev-weu-01',
      type: 'NewKubernetesVersionAvailable',
    });
    await admin(s, 'POST', '/eventgrid/flush');
    const events = rx.deliveries.map((d) => (d.body as EgEvent[])[0]!);
    expect(events[0]).toMatchObject({
      eventType: 'Microsoft.ContainerService.ClusterSupportEnded',
      subject: 'aks-test-eus-01',
      data: { kubernetesVersion: '1.30.14' },
    });
    expect(events[2]?.data).toEqual({
      latestSupportedKubernetesVersion: '1.34.2',
      latestStableKubernetesVersion: '1.33.5',
      lowestMinorKubernetesVersion: '1.32.8',
      latestPreviewKubernetesVersion: '1.35.0',
    });
  });

  it('retries a failed delivery and records every attempt', async () => {
    rx.failNext(500, 1);
    await admin(s, 'POST', '/eventgrid/emit', { cluster: 'aks-dev-weu-01', type: 'ClusterSupportEnding' });
    await admin(s, 'POST', '/eventgrid/flush');
    expect(rx.deliveries).toHaveLength(1);
    const { events } = await admin<{
      events: Array<{ outcome: string; deliveries: Array<{ status: number }> }>;
    }>(s, 'GET', '/eventgrid');
    expect(events[0]).toMatchObject({ outcome: 'delivered', deliveries: [{ status: 500 }, { status: 200 }] });
    rx.failNext(503, 5);
    await admin(s, 'POST', '/eventgrid/emit', { cluster: 'aks-dev-weu-01', type: 'ClusterSupportEnding' });
    await admin(s, 'POST', '/eventgrid/flush');
    const after = await admin<{ events: Array<{ outcome: string; deliveries: unknown[] }> }>(
      s,
      'GET',
      '/eventgrid',
    );
    expect(after.events[1]).toMatchObject({ outcome: 'failed' });
    expect(after.events[1]?.deliveries).toHaveLength(3);
  });
});
