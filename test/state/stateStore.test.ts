import { createStateStore } from '../../shared/state/stateStore';
import type { OperationRecord } from '../../shared/state/operationStore';
import { azuriteConnectionString, uniqueName } from '../support/storage';

const cluster = {
  id: '/subscriptions/6f1c2a3b-4d5e-4f60-8a71-92b3c4d5e6f7/resourcegroups/rg-dev/providers/Microsoft.ContainerService/managedClusters/aks-dev-weu-01',
  name: 'aks-dev-weu-01',
  subscriptionId: '6f1c2a3b-4d5e-4f60-8a71-92b3c4d5e6f7',
  resourceGroup: 'rg-dev',
};

function op(id: string, at = new Date('2026-11-24T18:00:00Z')): OperationRecord {
  return { id, runId: 'run-1', job: 'power-schedule', action: 'stop', actor: 'timer', cluster, startedAt: at, status: 'InProgress' };
}

describe('state in Table storage (Azurite)', () => {
  const store = () => createStateStore(azuriteConnectionString(), uniqueName('st'));

  it('lets only one aks-day2 operation hold a cluster at a time', async () => {
    const s = store();
    expect(await s.operations.start(op('a'))).toBe(true);
    expect(await s.operations.start(op('b'))).toBe(false);
    expect((await s.operations.inFlight()).map((o) => o.id)).toEqual(['a']);
  });

  it('frees the cluster once the outcome is recorded, and records an outcome only once', async () => {
    const s = store();
    await s.operations.start(op('a'));
    const done = await s.operations.finish('a', 'Succeeded', 'stopped', new Date('2026-11-24T18:05:00Z'));
    expect(done?.status).toBe('Succeeded');
    expect(await s.operations.finish('a', 'Failed', 'late event says failed', new Date('2026-11-24T18:06:00Z'))).toBeUndefined();
    expect((await s.operations.get('a'))?.status).toBe('Succeeded');
    expect(await s.operations.start(op('b', new Date('2026-11-24T18:07:00Z')))).toBe(true);
  });

  it('lets a new operation take a lock whose holder crashed and whose expiry passed', async () => {
    const s = store();
    await s.operations.start(op('a'), 60_000);
    expect(await s.operations.start(op('b', new Date('2026-11-24T18:00:30Z')))).toBe(false);
    expect(await s.operations.start(op('c', new Date('2026-11-24T18:02:00Z')))).toBe(true);
  });

  it('keeps the latest handled edge per cluster and action', async () => {
    const s = store();
    await s.edges.markHandled(cluster.id, 'stop', new Date('2026-11-24T18:00:00Z'));
    await s.edges.markHandled(cluster.id, 'stop', new Date('2026-11-23T18:00:00Z'));
    const all = await s.edges.all();
    expect(all.get(`${cluster.id.toLowerCase()}|stop`)?.toISOString()).toBe('2026-11-24T18:00:00.000Z');
  });

  it('sees an Event Grid event id once', async () => {
    const s = store();
    expect(await s.events.firstSeen('evt-1', 'NodePoolRollingSucceeded', new Date())).toBe(true);
    expect(await s.events.firstSeen('evt-1', 'NodePoolRollingSucceeded', new Date())).toBe(false);
  });

  it('keeps a snooze until a day after it ends', async () => {
    const s = store();
    await s.snoozes.set(cluster.id, new Date('2026-11-24T21:00:00Z'), 'teams:abc', new Date('2026-11-24T17:00:00Z'));
    expect((await s.snoozes.all(new Date('2026-11-24T22:00:00Z'))).get(cluster.id.toLowerCase())?.toISOString()).toBe('2026-11-24T21:00:00.000Z');
    expect((await s.snoozes.all(new Date('2026-11-26T22:00:00Z'))).size).toBe(0);
  });
});
