/**
 * Conformance with the official AKS Event Grid samples (test/fixtures/eventgrid-aks): the
 * events the simulator delivers carry every field of the samples with the same JSON types, in both
 * the Event Grid schema (a one-event array) and the CloudEvents schema.
 */
import { startSimulator, type SimHandle } from '../../shared/sim/server';
import { startEventReceiver, type EventReceiver } from '../sim/eventReceiver';
import { admin } from '../sim/simClient';
import { shapeMismatches } from './shape';
import { fixtureJson, fixtureJsonFiles } from '../support/fixtures';

const SCHEMAS = [
  { folder: 'event-grid-schema', schema: 'EventGridSchema', typeField: 'eventType' },
  { folder: 'cloud-events-schema', schema: 'CloudEventSchema', typeField: 'type' },
] as const;

const samples = SCHEMAS.flatMap((s) =>
  fixtureJsonFiles('eventgrid-aks', s.folder).map((f) => ({
    ...s,
    file: `${s.folder}/${f}`,
    event: fixtureJson<Record<string, unknown>>('eventgrid-aks', s.folder, f),
  })),
);

/** The six Microsoft.ContainerService.* events; the ScheduledEventEmitted sample (Resource Notifications) is not one of them. */
const aksSamples = samples.filter((s) =>
  String(s.event[s.typeField]).startsWith('Microsoft.ContainerService.'),
);

describe('conformance with the official AKS Event Grid samples', () => {
  let s: SimHandle;
  let rx: EventReceiver;
  beforeAll(async () => {
    rx = await startEventReceiver();
    s = await startSimulator({ speed: 0 });
  });
  afterAll(async () => {
    await s.close();
    await rx.close();
  });

  it('covers the six AKS event types in both schemas', () => {
    expect(aksSamples).toHaveLength(12);
    expect(samples.filter((x) => !aksSamples.includes(x)).map((x) => x.event[x.typeField])).toEqual(
      expect.arrayContaining(['Microsoft.ResourceNotifications.MaintenanceResources.ScheduledEventEmitted']),
    );
  });

  it.each(aksSamples.map((x) => [x.file, x] as const))(
    'delivers %s with every field of the sample',
    async (_file, sample) => {
      rx.deliveries.length = 0;
      await admin(s, 'POST', '/eventgrid', { url: rx.url, schema: sample.schema });
      const type = String(sample.event[sample.typeField]);
      const cluster = type.includes('NodePool') ? 'aks-dev-weu-01' : 'aks-test-eus-01';
      await admin(s, 'POST', '/eventgrid/emit', { cluster, type });
      await admin(s, 'POST', '/eventgrid/flush');
      expect(rx.deliveries).toHaveLength(1);
      const delivered = rx.deliveries[0]!;
      let ours: unknown;
      if (sample.schema === 'EventGridSchema') {
        expect(delivered.headers['aeg-event-type']).toBe('Notification');
        expect(Array.isArray(delivered.body) && delivered.body.length === 1).toBe(true);
        ours = (delivered.body as unknown[])[0];
      } else {
        expect(delivered.headers['content-type']).toContain('application/cloudevents+json');
        ours = delivered.body;
      }
      // One sample spells the CloudEvents attribute `specVersion`; CloudEvents 1.0 (and the other five) say `specversion`.
      const expected = Object.fromEntries(
        Object.entries(sample.event).map(([k, v]) => [k === 'specVersion' ? 'specversion' : k, v]),
      );
      expect(shapeMismatches(expected, ours)).toEqual([]);
      const o = ours as Record<string, unknown>;
      expect(o[sample.typeField]).toBe(type);
      expect(o.subject).toBe(cluster);
      expect(String(o.topic ?? o.source)).toMatch(
        new RegExp(`/providers/Microsoft.ContainerService/managedClusters/${cluster}$`),
      );
    },
  );
});
