/**
 * The simulator's Microsoft.EventGrid system-topic and event-subscription responses carry every field
 * of the official examples (test/fixtures/eventgrid-systemtopics, copied verbatim; see SOURCES.md) with
 * the same JSON types. The examples describe a Storage source; the requests here keep their shape and
 * point them at a simulated cluster, the only source a system topic of the simulator accepts.
 */
import type { SimHandle } from '../../shared/sim/server';
import { fixtureJson } from '../support/fixtures';
import { call, sim } from '../sim/simClient';
import { shapeMismatches } from './shape';

interface Example {
  parameters: Record<string, unknown>;
  responses: Record<string, { body: unknown }>;
}
const example = (f: string): Example => fixtureJson<Example>('eventgrid-systemtopics', f);
const API = 'api-version=2022-06-15';

let s: SimHandle;
let clusterId: string;
let location: string;
let rgPath: string;

beforeAll(async () => {
  s = await sim();
  const sub = s.subscriptions[0]!;
  const list = await call(
    s,
    'GET',
    `/subscriptions/${sub}/providers/Microsoft.ContainerService/managedClusters?api-version=2025-10-01`,
    undefined,
    { auth: true },
  );
  const first = (list.body as { value: Array<{ id: string; location: string }> }).value[0]!;
  clusterId = first.id;
  location = first.location;
  rgPath = clusterId.replace(/\/providers\/.*$/, '').replace(/resourcegroups/i, 'resourceGroups');
});
afterAll(async () => {
  await s.close();
});

describe('Event Grid system topics in the simulator', () => {
  it('answers SystemTopics_CreateOrUpdate with the shape of the official example, 201 then 200', async () => {
    const ex = example('SystemTopics_CreateOrUpdate.json');
    const req = structuredClone(ex.parameters.systemTopicInfo) as {
      location: string;
      properties: Record<string, string>;
    };
    req.location = location;
    req.properties.source = clusterId;
    req.properties.topicType = 'Microsoft.ContainerService.ManagedClusters';
    // The example's responses describe another topic, untagged (SOURCES.md, quirk 2): send it untagged too.
    delete (req as { tags?: unknown }).tags;
    const url = `${rgPath}/providers/Microsoft.EventGrid/systemTopics/exampleSystemTopic1?${API}`;
    const created = await call(s, 'PUT', url, req, { auth: true });
    expect({
      status: created.status,
      mismatches: shapeMismatches(ex.responses['201']!.body, created.body),
    }).toEqual({
      status: 201,
      mismatches: [],
    });
    const again = await call(s, 'PUT', url, req, { auth: true });
    expect({
      status: again.status,
      mismatches: shapeMismatches(ex.responses['200']!.body, again.body),
    }).toEqual({
      status: 200,
      mismatches: [],
    });
  });

  it('answers SystemTopicEventSubscriptions_CreateOrUpdate with the shape of the official example', async () => {
    const ex = example('SystemTopicEventSubscriptions_CreateOrUpdate.json');
    const url = `${rgPath}/providers/Microsoft.EventGrid/systemTopics/exampleSystemTopic1/eventSubscriptions/exampleEventSubscriptionName1?${API}`;
    const res = await call(s, 'PUT', url, ex.parameters.eventSubscriptionInfo, { auth: true });
    expect({ status: res.status, mismatches: shapeMismatches(ex.responses['201']!.body, res.body) }).toEqual({
      status: 201,
      mismatches: [],
    });
    const body = res.body as { properties: { destination: { properties: Record<string, string> } } };
    expect(body.properties.destination.properties).toEqual({
      endpointBaseUrl: 'https://requestb.in/15ksip71',
    });
  });

  it('refuses a second system topic for the same cluster, as Event Grid allows one per source', async () => {
    const res = await call(
      s,
      'PUT',
      `${rgPath}/providers/Microsoft.EventGrid/systemTopics/another-topic?${API}`,
      {
        location,
        properties: { source: clusterId, topicType: 'Microsoft.ContainerService.ManagedClusters' },
      },
      { auth: true },
    );
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('Only one system topic is allowed per source');
  });

  it('refuses a topic outside the cluster region and event types AKS does not publish', async () => {
    const wrongRegion = await call(
      s,
      'PUT',
      `${rgPath}/providers/Microsoft.EventGrid/systemTopics/elsewhere?${API}`,
      {
        location: 'nowhere',
        properties: { source: clusterId, topicType: 'Microsoft.ContainerService.ManagedClusters' },
      },
      { auth: true },
    );
    expect(wrongRegion.status).toBe(400);
    const badType = await call(
      s,
      'PUT',
      `${rgPath}/providers/Microsoft.EventGrid/systemTopics/exampleSystemTopic1/eventSubscriptions/bad?${API}`,
      {
        properties: {
          destination: { endpointType: 'WebHook', properties: { endpointUrl: 'https://example.invalid/x' } },
          filter: { includedEventTypes: ['Microsoft.Storage.BlobCreated'] },
        },
      },
      { auth: true },
    );
    expect(badType.status).toBe(400);
  });
});
