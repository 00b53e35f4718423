import path from 'node:path';
import { parseAksEvents, type AksEvent } from '../../shared/events/parse';
import { fixtureJsonFiles, fixtureText } from '../support/fixtures';

const FOLDERS = [
  { folder: 'event-grid-schema', schema: 'EventGrid' },
  { folder: 'cloud-events-schema', schema: 'CloudEvents' },
] as const;

const samples = FOLDERS.flatMap(({ folder, schema }) =>
  fixtureJsonFiles('eventgrid-aks', folder).map((file) => ({
    file: `${folder}/${file}`,
    schema,
    text: fixtureText('eventgrid-aks', folder, file),
  })),
);

const EXPECTED: Record<string, { type: AksEvent['type']; data: unknown; time: string }> = {
  'new_kubernetes_version_available.json': {
    type: 'NewKubernetesVersionAvailable',
    time: '2021-07-01T04:52:57.000Z',
    data: {
      latestSupportedKubernetesVersion: '1.20.7',
      latestStableKubernetesVersion: '1.19.11',
      lowestMinorKubernetesVersion: '1.18.19',
      latestPreviewKubernetesVersion: '1.21.1',
    },
  },
  'cluster_support_ending.json': {
    type: 'ClusterSupportEnding',
    time: '2023-03-29T18:00:00.000Z',
    data: { kubernetesVersion: '1.24.10' },
  },
  'cluster_support_ended.json': {
    type: 'ClusterSupportEnded',
    time: '2023-03-29T18:00:00.000Z',
    data: { kubernetesVersion: '1.23.15' },
  },
  'node_pool_rolling_started.json': {
    type: 'NodePoolRollingStarted',
    time: '2023-03-29T18:00:00.000Z',
    data: { nodePoolName: 'nodepool1' },
  },
  'node_pool_rolling_succeeded.json': {
    type: 'NodePoolRollingSucceeded',
    time: '2023-03-29T18:00:00.000Z',
    data: { nodePoolName: 'nodepool1' },
  },
  'node_pool_rolling_failed.json': {
    type: 'NodePoolRollingFailed',
    time: '2023-03-29T18:00:00.000Z',
    data: { nodePoolName: 'nodepool1' },
  },
  'ContainerServiceEventResources_ScheduledEventEmitted.json': {
    type: 'Unknown',
    time: '2024-04-16T22:17:12.103Z',
    data: expect.objectContaining({ apiVersion: '2023-11-02-preview' }),
  },
};

describe('parseAksEvents on the official AKS Event Grid samples', () => {
  it('has a sample for each of the six AKS event types in both schemas', () => {
    const aks = samples.filter((s) => EXPECTED[path.basename(s.file)]?.type !== 'Unknown');
    expect(aks).toHaveLength(12);
  });

  it.each(samples.map((s) => [s.file, s] as const))(
    'parses %s with the right type, cluster and data',
    (_file, s) => {
      const expected = EXPECTED[path.basename(s.file)];
      if (!expected) throw new Error(`no expectation for ${s.file}`);
      const sample = JSON.parse(s.text) as unknown;
      // Event Grid schema is delivered as a one-event array; CloudEvents structured mode as one object
      const body = s.schema === 'EventGrid' ? [sample] : sample;
      const r = parseAksEvents(body);
      expect(r.errors).toEqual([]);
      expect(r.events).toHaveLength(1);
      const e = r.events[0]!;
      expect(typeof e.id).toBe('string');
      expect(e).toMatchObject({ type: expected.type, schema: s.schema, data: expected.data });
      expect(e.time.toISOString()).toBe(expected.time);
      if (e.type !== 'Unknown') {
        expect(e.fullType).toBe(`Microsoft.ContainerService.${e.type}`);
        expect(e.clusterId).toBe(
          '/subscriptions/{subscription-id}/resourceGroups/{resource-group}/providers/Microsoft.ContainerService/managedClusters/{cluster}',
        );
        expect(e.clusterName).toBe('{cluster}');
      }
    },
  );

  it('parses the raw text of a delivery the same as its JSON', () => {
    const s = samples.find((x) => x.file === 'event-grid-schema/node_pool_rolling_failed.json');
    if (!s) return;
    const r = parseAksEvents(`[${s.text}]`);
    expect(r.events[0]).toMatchObject({ type: 'NodePoolRollingFailed', data: { nodePoolName: 'nodepool1' } });
    expect(parseAksEvents(Buffer.from(`[${s.text}]`)).events).toEqual(r.events);
  });

  it('parses a CloudEvents batch of every sample', () => {
    const batch = samples.filter((s) => s.schema === 'CloudEvents').map((s) => JSON.parse(s.text) as unknown);
    const r = parseAksEvents(batch);
    expect(r.errors).toEqual([]);
    expect(r.events.map((e) => e.type).sort()).toEqual([
      'ClusterSupportEnded',
      'ClusterSupportEnding',
      'NewKubernetesVersionAvailable',
      'NodePoolRollingFailed',
      'NodePoolRollingStarted',
      'NodePoolRollingSucceeded',
      'Unknown',
    ]);
  });
});

const EG = {
  id: 'e1',
  topic: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks-a',
  subject: 'aks-a',
  eventType: 'Microsoft.ContainerService.NodePoolRollingSucceeded',
  eventTime: '2026-11-25T10:00:00.1234567Z',
  data: { nodePoolName: 'userpool' },
  dataVersion: '1',
  metadataVersion: '1',
};
const CE = {
  id: 'c1',
  source: EG.topic,
  subject: 'aks-a',
  type: 'Microsoft.ContainerService.ClusterSupportEnding',
  time: '2026-11-25T10:00:00Z',
  specversion: '1.0',
  data: { kubernetesVersion: '1.31.9' },
};

describe('parseAksEvents', () => {
  it('accepts a single Event Grid event that is not wrapped in an array', () => {
    expect(parseAksEvents(EG).events[0]).toMatchObject({
      id: 'e1',
      type: 'NodePoolRollingSucceeded',
      schema: 'EventGrid',
      data: { nodePoolName: 'userpool' },
    });
  });

  it('keeps the millisecond of a seven-digit Event Grid time', () => {
    expect(parseAksEvents([EG]).events[0]?.time.toISOString()).toBe('2026-11-25T10:00:00.123Z');
  });

  it('answers the subscription-validation handshake with its code', () => {
    const r = parseAksEvents(
      [
        {
          id: 'v1',
          topic: '/subscriptions/s',
          subject: '',
          eventType: 'Microsoft.EventGrid.SubscriptionValidationEvent',
          eventTime: '2026-11-25T10:00:00Z',
          data: {
            validationCode: '512d38b6-c7b8-40c8-89fe-f46f9e9622b6',
            validationUrl: 'https://rp-eastus2.eventgrid.azure.net/x',
          },
          dataVersion: '2',
          metadataVersion: '1',
        },
      ],
      { 'aeg-event-type': 'SubscriptionValidation' },
    );
    expect(r).toEqual({
      events: [],
      errors: [],
      validation: {
        id: 'v1',
        validationCode: '512d38b6-c7b8-40c8-89fe-f46f9e9622b6',
        validationUrl: 'https://rp-eastus2.eventgrid.azure.net/x',
      },
    });
  });

  it('reports a validation event without a code', () => {
    const r = parseAksEvents([
      { ...EG, eventType: 'Microsoft.EventGrid.SubscriptionValidationEvent', data: {} },
    ]);
    expect(r.validation).toBeUndefined();
    expect(r.errors).toEqual([
      {
        index: 0,
        id: 'e1',
        field: 'data.validationCode',
        message: 'expected a non-empty string, got nothing',
      },
    ]);
  });

  it('returns other event types as Unknown, to be logged and acknowledged', () => {
    const r = parseAksEvents([
      { ...EG, eventType: 'Microsoft.ContainerService.NodePoolRollingProgress', data: { whatever: 1 } },
    ]);
    expect(r.errors).toEqual([]);
    expect(r.events[0]).toMatchObject({
      type: 'Unknown',
      fullType: 'Microsoft.ContainerService.NodePoolRollingProgress',
      data: { whatever: 1 },
    });
  });

  it('reads a CloudEvents event in binary mode from ce- headers, whatever their case', () => {
    const headers = {
      'Ce-Id': 'b1',
      'ce-source': CE.source,
      'ce-subject': 'aks-a',
      'ce-type': CE.type,
      'ce-time': CE.time,
      'CE-SPECVERSION': '1.0',
      'content-type': 'application/json',
    };
    const r = parseAksEvents('{"kubernetesVersion":"1.31.9"}', headers);
    expect(r.errors).toEqual([]);
    expect(r.events[0]).toMatchObject({
      id: 'b1',
      type: 'ClusterSupportEnding',
      schema: 'CloudEvents',
      clusterName: 'aks-a',
      data: { kubernetesVersion: '1.31.9' },
    });
  });

  it('keeps the good events of a batch and reports the bad ones by position', () => {
    const r = parseAksEvents([EG, { ...EG, id: 'e2', data: { nodePoolName: 7 } }, CE]);
    expect(r.events.map((e) => e.id)).toEqual(['e1', 'c1']);
    expect(r.errors).toEqual([
      {
        index: 1,
        id: 'e2',
        field: 'data.nodePoolName',
        message: 'expected a non-empty string, got a number',
      },
    ]);
  });

  it.each([
    [
      'a number',
      42,
      { index: -1, field: '(body)', message: 'expected an event object or an array of events, got a number' },
    ],
    [
      'null',
      null,
      { index: -1, field: '(body)', message: 'expected an event object or an array of events, got null' },
    ],
    [
      'text that is not JSON',
      'hello',
      { index: -1, field: '(body)', message: /^expected JSON, got text that does not parse/ },
    ],
    [
      'an array holding a string',
      ['x'],
      { index: 0, field: '(event)', message: 'expected an event object, got the string "x"' },
    ],
    [
      'an object of neither schema',
      { id: 'z' },
      {
        index: 0,
        id: 'z',
        field: 'eventType/specversion',
        message: /Event Grid event \(with eventType\) or a CloudEvents 1\.0 event/,
      },
    ],
    [
      'an event without an id',
      { ...EG, id: undefined },
      { index: 0, field: 'id', message: 'expected a non-empty string, got nothing' },
    ],
    [
      'an event whose id is a number',
      { ...EG, id: 5 },
      { index: 0, field: 'id', message: 'expected a non-empty string, got a number' },
    ],
    [
      'an AKS event without a topic',
      { ...EG, topic: undefined },
      { index: 0, id: 'e1', field: 'topic', message: 'expected a non-empty string, got nothing' },
    ],
    [
      'an event with a bad time',
      { ...EG, eventTime: 'yesterday' },
      {
        index: 0,
        id: 'e1',
        field: 'eventTime',
        message: 'expected an RFC 3339 date-time such as 2023-03-29T18:00:00Z, got the string "yesterday"',
      },
    ],
    [
      'an AKS event whose data is an array',
      { ...EG, data: [] },
      { index: 0, id: 'e1', field: 'data', message: 'expected an object, got an array' },
    ],
    [
      'a CloudEvent of another spec version',
      { ...CE, specversion: '0.3' },
      { index: 0, id: 'c1', field: 'specversion', message: 'expected "1.0", got the string "0.3"' },
    ],
    [
      'a CloudEvent without time',
      { ...CE, time: undefined },
      { index: 0, id: 'c1', field: 'time', message: 'expected a non-empty string, got nothing' },
    ],
    [
      'a version event missing a field',
      {
        ...CE,
        type: 'Microsoft.ContainerService.NewKubernetesVersionAvailable',
        data: { latestSupportedKubernetesVersion: '1.33.2' },
      },
      {
        index: 0,
        id: 'c1',
        field: 'data.latestStableKubernetesVersion',
        message: 'expected a non-empty string, got nothing',
      },
    ],
  ] as [string, unknown, { index: number; id?: string; field: string; message: string | RegExp }][])(
    'reports %s as an error instead of throwing',
    (_what, body, error) => {
      const r = parseAksEvents(body);
      expect(r.events).toEqual([]);
      expect(r.errors).toHaveLength(1);
      const { message, ...rest } = error;
      const { message: got, ...gotRest } = r.errors[0]!;
      expect(gotRest).toEqual(rest);
      expect(got).toMatch(message);
    },
  );

  it('accepts the specVersion spelling of the official CloudEvents sample', () => {
    const quirky: Record<string, unknown> = { ...CE, specVersion: '1.0' };
    delete quirky.specversion;
    expect(parseAksEvents(quirky).events[0]?.schema).toBe('CloudEvents');
  });

  it('returns nothing for an empty batch', () => {
    expect(parseAksEvents([])).toEqual({ events: [], errors: [] });
  });
});
