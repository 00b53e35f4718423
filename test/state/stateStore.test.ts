import { TableClient } from '@azure/data-tables';
import { Day2Error } from '../../shared/errors';
import { createStateStore } from '../../shared/state/stateStore';
import { lockKeys, type NewOperation } from '../../shared/state/operationStore';
import { spreadRange } from '../../shared/storage/spread';
import { azuriteConnectionString, uniqueName } from '../support/storage';

const cluster = {
  id: '/subscriptions/6f1c2a3b-4d5e-4f60-8a71-92b3c4d5e6f7/resourcegroups/rg-dev/providers/Microsoft.ContainerService/managedClusters/aks-dev-weu-01',
  name: 'aks-dev-weu-01',
  subscriptionId: '6f1c2a3b-4d5e-4f60-8a71-92b3c4d5e6f7',
  resourceGroup: 'rg-dev',
};

const POLLER = '{"state":{"config":{"initialRequestUrl":"https://arm/x/stop","requestMethod":"POST"}}}';

function op(id: string, at = new Date('2026-11-24T18:00:00Z')): NewOperation {
  return {
    id,
    runId: 'run-1',
    job: 'power-schedule',
    action: 'stop',
    actor: 'timer',
    cluster,
    startedAt: at,
  };
}

describe('state in Table storage (Azurite)', () => {
  let prefix = '';
  const store = (): ReturnType<typeof createStateStore> => {
    prefix = uniqueName('st');
    return createStateStore(azuriteConnectionString(), prefix);
  };
  const table = (name: string): TableClient =>
    TableClient.fromConnectionString(azuriteConnectionString(), `${prefix}${name}`, {
      allowInsecureConnection: true,
    });

  it('lets only one aks-day2 operation hold a cluster at a time', async () => {
    const s = store();
    const a = await s.operations.start(op('a'));
    expect(a).toBeDefined();
    expect(await s.operations.start(op('b'))).toBeUndefined();
    await s.operations.submitted(a!, POLLER);
    expect((await s.operations.inFlight()).map((o) => o.id)).toEqual(['a']);
  });

  it('keeps an operation out of flight until AKS accepted it, then records it in progress with its poller', async () => {
    const s = store();
    const claim = (await s.operations.start(op('a')))!;
    expect(await s.operations.inFlight()).toEqual([]); // a sweep in this gap has nothing to settle
    expect(await s.operations.history()).toEqual([]);
    expect(await s.operations.submitted(claim, POLLER)).toMatchObject({
      id: 'a',
      status: 'InProgress',
      poller: POLLER,
    });
    expect((await s.operations.get('a'))?.status).toBe('InProgress');
  });

  it('refuses to record a submit once the record changed, and an update over a recorded outcome', async () => {
    const s = store();
    const claim = (await s.operations.start(op('a')))!;
    await s.operations.release(op('a')); // given up meanwhile
    expect(await s.operations.submitted(claim, POLLER)).toBeUndefined();
    expect(await s.operations.get('a')).toBeUndefined();

    const b = (await s.operations.start(op('b')))!;
    const read = (await s.operations.submitted(b, POLLER))!;
    await s.operations.finish('b', 'Succeeded', 'stopped', new Date('2026-11-24T18:05:00Z'));
    expect(await s.operations.update({ ...read, reason: 'stale writer' })).toBe(false);
    expect(await s.operations.get('b')).toMatchObject({ status: 'Succeeded', reason: 'stopped' });
    expect(await s.operations.inFlight()).toEqual([]);
  });

  it('frees the cluster once the outcome is recorded, and records an outcome only once', async () => {
    const s = store();
    await s.operations.submitted((await s.operations.start(op('a')))!, POLLER);
    const done = await s.operations.finish('a', 'Succeeded', 'stopped', new Date('2026-11-24T18:05:00Z'));
    expect(done).toMatchObject({ status: 'Succeeded', reported: false });
    expect(
      await s.operations.finish('a', 'Failed', 'late event says failed', new Date('2026-11-24T18:06:00Z')),
    ).toBeUndefined();
    expect((await s.operations.get('a'))?.status).toBe('Succeeded');
    expect(await s.operations.start(op('b', new Date('2026-11-24T18:07:00Z')))).toBeDefined();
  });

  it('records an operation AKS refused as Failed, keeps it in history and frees the cluster', async () => {
    const s = store();
    const claim = (await s.operations.start(op('a')))!;
    expect(await s.operations.fail(claim, 'BadRequest: no', new Date('2026-11-24T18:01:00Z'))).toMatchObject({
      status: 'Failed',
      reason: 'BadRequest: no',
    });
    expect((await s.operations.history()).map((o) => o.status)).toEqual(['Failed']);
    expect(await s.operations.start(op('b', new Date('2026-11-24T18:02:00Z')))).toBeDefined();
  });

  it('lists finished outcomes not reported yet until they are marked reported', async () => {
    const s = store();
    await s.operations.submitted((await s.operations.start(op('a')))!, POLLER);
    await s.operations.finish('a', 'Succeeded', 'stopped', new Date('2026-11-24T18:05:00Z'));
    expect(await s.operations.unreported(new Date('2026-11-24T18:05:00Z'))).toEqual([]); // not older than the cutoff
    expect((await s.operations.unreported(new Date('2026-11-24T18:08:00Z'))).map((o) => o.id)).toEqual(['a']);
    await s.operations.markReported(['a', 'unknown-id']);
    expect(await s.operations.unreported(new Date('2026-11-24T18:08:00Z'))).toEqual([]);
    expect(await s.operations.get('a')).toMatchObject({ status: 'Succeeded', reported: true });
  });

  it('keeps only operations not done with in the index partition that inFlight reads', async () => {
    const s = store();
    for (const id of ['a', 'b']) {
      const claim = (await s.operations.start({
        ...op(id),
        cluster: { ...cluster, id: `${cluster.id}-${id}` },
      }))!;
      await s.operations.submitted(claim, POLLER);
    }
    await s.operations.finish('a', 'Succeeded', 'stopped', new Date('2026-11-24T18:05:00Z'));
    await s.operations.markReported(['a']);
    const index: string[] = [];
    for await (const e of table('operations').listEntities({
      queryOptions: { filter: spreadRange('active') },
    }))
      index.push(e.rowKey!);
    expect(index).toEqual(['b']);
    expect((await s.operations.inFlight()).map((o) => o.id)).toEqual(['b']);
    expect((await s.operations.history()).map((o) => o.id).sort()).toEqual(['a', 'b']);
  });

  it('releases an operation left Starting by a crash once it is older than the cutoff, with no outcome', async () => {
    const s = store();
    await s.operations.start(op('a'));
    expect(await s.operations.abandonStale(new Date('2026-11-24T18:00:00Z'))).toEqual([]);
    expect((await s.operations.abandonStale(new Date('2026-11-24T18:06:00Z'))).map((o) => o.id)).toEqual([
      'a',
    ]);
    expect(await s.operations.history()).toEqual([]);
    expect(await s.operations.start(op('b', new Date('2026-11-24T18:06:00Z')))).toBeDefined();
  });

  it('lets a new operation take a lock whose holder crashed and whose expiry passed', async () => {
    const s = store();
    await s.operations.start(op('a'), 60_000);
    expect(await s.operations.start(op('b', new Date('2026-11-24T18:00:30Z')))).toBeUndefined();
    expect(await s.operations.start(op('c', new Date('2026-11-24T18:02:00Z')))).toBeDefined();
  });

  it('takes over an expired lock even while its holder releases it concurrently', async () => {
    const s = store();
    for (let i = 0; i < 15; i++) {
      const t0 = new Date(Date.UTC(2026, 10, 24, 18, i * 10));
      await s.operations.start(op(`old${i}`, t0), 60_000);
      const results = await Promise.all([
        s.operations.start(op(`new${i}`, new Date(t0.getTime() + 120_000))),
        s.operations.release(op(`old${i}`)),
      ]);
      expect(results[0]).toBeDefined();
      await s.operations.release(op(`new${i}`));
    }
  });

  it('releases the lock when the operation record cannot be written', async () => {
    const s = store();
    const bad = { ...op('a'), details: { blob: 'x'.repeat(70_000) } }; // over Table storage's 64 KiB property limit
    await expect(s.operations.start(bad)).rejects.toMatchObject({ code: 'StorageFailed' });
    expect(await s.operations.start(op('b'))).toBeDefined();
  });

  it('reports a storage failure as StorageFailed naming the table and what was being done', async () => {
    const s = store();
    const err = await s.snoozes
      .set(cluster.id, new Date('2026-11-24T21:00:00Z'), 'x'.repeat(70_000), new Date())
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Day2Error);
    expect(err).toMatchObject({
      code: 'StorageFailed',
      message: expect.stringContaining(`table ${prefix}snoozes: cannot snooze ${cluster.id}`) as unknown,
    });
    expect((err as Day2Error).cause).toBeDefined();
  });

  it('keeps the latest handled edge per cluster and action', async () => {
    const s = store();
    await s.edges.markHandled(cluster.id, 'stop', new Date('2026-11-24T18:00:00Z'));
    await s.edges.markHandled(cluster.id, 'stop', new Date('2026-11-23T18:00:00Z'));
    const all = await s.edges.all();
    expect(all.get(`${cluster.id.toLowerCase()}|stop`)?.toISOString()).toBe('2026-11-24T18:00:00.000Z');
  });

  it('never lets a concurrent older edge overwrite a newer one', async () => {
    const s = store();
    const newer = new Date('2026-11-24T18:00:00Z');
    const older = new Date('2026-11-23T18:00:00Z');
    for (let i = 0; i < 10; i++) {
      const id = `${cluster.id}-${i}`;
      await Promise.all([s.edges.markHandled(id, 'stop', newer), s.edges.markHandled(id, 'stop', older)]);
      expect((await s.edges.all()).get(`${id.toLowerCase()}|stop`)?.toISOString()).toBe(newer.toISOString());
    }
  });

  it('keeps dry-run edges apart from the real ones', async () => {
    const s = store();
    await s.dryRunEdges.markHandled(cluster.id, 'stop', new Date('2026-11-24T18:00:00Z'));
    expect((await s.edges.all()).size).toBe(0);
    expect((await s.dryRunEdges.all()).size).toBe(1);
  });

  it('remembers which Event Grid event ids are done, whatever their length', async () => {
    const s = store();
    expect(await s.events.isDone('evt-1')).toBe(false);
    await s.events.markDone('evt-1', 'NodePoolRollingSucceeded', new Date());
    expect(await s.events.isDone('evt-1')).toBe(true);
    expect(await s.events.isDone('evt-2')).toBe(false);
    const longId = 'x'.repeat(5000);
    await s.events.markDone(longId, 'NodePoolRollingFailed', new Date());
    expect(await s.events.isDone(longId)).toBe(true);
  });

  it('keeps a snooze until a day after it ends; reading never deletes, prune does', async () => {
    const s = store();
    await s.snoozes.set(
      cluster.id,
      new Date('2026-11-24T21:00:00Z'),
      'teams:abc',
      new Date('2026-11-24T17:00:00Z'),
    );
    expect(
      (await s.snoozes.all(new Date('2026-11-24T22:00:00Z'))).get(cluster.id.toLowerCase())?.toISOString(),
    ).toBe('2026-11-24T21:00:00.000Z');
    expect((await s.snoozes.all(new Date('2026-11-26T22:00:00Z'))).size).toBe(0);
    expect((await s.snoozes.all(new Date('2026-11-24T22:00:00Z'))).size).toBe(1); // `all` deleted nothing
    expect(await s.snoozes.prune(new Date('2026-11-24T22:00:00Z'))).toBe(0);
    expect(await s.snoozes.prune(new Date('2026-11-26T22:00:00Z'))).toBe(1);
    expect((await s.snoozes.all(new Date('2026-11-24T22:00:00Z'))).size).toBe(0);
  });

  it('carries an operation in flight and its lock, stored by an earlier version in single partitions, across the upgrade', async () => {
    const s = store();
    await s.operations.history(); // creates the tables
    // What the earlier layout held for a stop AKS accepted: history row, index row, the cluster's lock.
    const row = {
      rowKey: 'old-stop',
      id: 'old-stop',
      runId: 'run-0',
      job: 'power-schedule',
      action: 'stop',
      actor: 'timer',
      cluster: JSON.stringify(cluster),
      clusterId: cluster.id.toLowerCase(),
      startedAt: '2026-11-24T17:00:00.000Z',
      status: 'InProgress',
      poller: POLLER,
    };
    const legacyPrefix = prefix;
    await table('operations').createEntity({ ...row, partitionKey: 'op' });
    await table('operations').createEntity({ ...row, partitionKey: 'active' });
    await table('locks').createEntity({
      partitionKey: 'lock',
      rowKey: lockKeys(cluster.id).rowKey,
      operationId: 'old-stop',
      takenAt: '2026-11-24T17:00:00.000Z',
      expiresAt: '2026-11-24T23:00:00.000Z',
    });

    const upgraded = createStateStore(azuriteConnectionString(), legacyPrefix);
    expect((await upgraded.operations.inFlight()).map((o) => o.id)).toEqual(['old-stop']);
    expect(await upgraded.operations.start(op('new-start'))).toBeUndefined(); // the cluster is still held
    const done = await upgraded.operations.finish(
      'old-stop',
      'Succeeded',
      'stopped',
      new Date('2026-11-24T17:10:00Z'),
    );
    expect(done?.status).toBe('Succeeded');
    expect(await upgraded.operations.start(op('new-start'))).toBeDefined(); // its outcome freed the cluster
    const partitions: string[] = [];
    for (const name of ['operations', 'locks'])
      for await (const e of table(name).listEntities()) partitions.push(e.partitionKey!);
    expect(partitions.filter((p) => ['op', 'active', 'lock'].includes(p))).toEqual([]);
  });
});
