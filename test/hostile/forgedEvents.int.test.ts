import { aksEventsHandler } from '../../functions/aksEvents';
import { loggerFromContext } from '../../shared/log';
import { startTestApp, type TestApp } from '../support/app';
import { admin } from '../sim/simClient';
import { invocationContext } from '../events/eventBridge';

const SUB = '6f1c2a3b-4d5e-4f60-8a71-92b3c4d5e6f7';
const clusterId = (name: string): string =>
  `/subscriptions/${SUB}/resourceGroups/rg-forged/providers/Microsoft.ContainerService/managedClusters/${name}`;

let n = 0;
const event = (over: Record<string, unknown>): Record<string, unknown> => ({
  id: `forged-${++n}-${Date.now()}`,
  eventType: 'Microsoft.ContainerService.NodePoolRollingFailed',
  topic: clusterId('aks-forged'),
  subject: 'aks-forged',
  eventTime: '2026-01-12T06:00:00Z',
  dataVersion: '1',
  data: { nodePoolName: 'nodepool1' },
  ...over,
});

describe('forged and corrupt Event Grid events', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  const deliver = async (body: unknown): Promise<string[]> => {
    const lines: string[] = [];
    await aksEventsHandler((ctx) => ({ ...app.deps, log: loggerFromContext(ctx) }))(
      body,
      invocationContext(lines),
    );
    return lines;
  };
  const rejectedRows = async (): Promise<Array<Record<string, unknown>>> =>
    (await admin<{ rows: Array<{ row: Record<string, unknown> }> }>(app.sim, 'GET', '/logs')).rows
      .map((r) => r.row)
      .filter((r) => r.Action === 'event-rejected');

  it.each([
    ['a topic of 5,000 characters', { topic: clusterId('a'.repeat(5000)) }, 'topic'],
    ['a subject of 5,000 characters', { subject: 's'.repeat(5000) }, 'subject'],
    [
      'a CJK subject of 2,000 characters',
      {
        subject: '群'.repeat(2000),
        eventType: 'Microsoft.ContainerService.ClusterSupportEnded',
        data: { kubernetesVersion: '1.30.1' },
      },
      'subject',
    ],
    ['data that is an array', { data: [1, 2] }, 'data'],
    ['a time that is a number', { eventTime: 12 }, 'eventTime'],
  ])(
    'acknowledges an event with %s and reports its rejection, so Event Grid does not redeliver it',
    async (_, over, field) => {
      const before = (await rejectedRows()).length;
      const e = event(over);
      await expect(deliver(e)).resolves.toBeDefined();
      const rows = (await rejectedRows()).slice(before);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ Outcome: 'Failed', Job: 'events', Actor: 'eventgrid' });
      expect(String(rows[0]!.Reason)).toContain(field);
      expect(String(rows[0]!.Reason).length).toBeLessThan(1000);
    },
  );
});
