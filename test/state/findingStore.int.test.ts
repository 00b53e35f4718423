import { TableClient } from '@azure/data-tables';
import { createStateStore } from '../../shared/state/stateStore';
import { azuriteConnectionString, uniqueName } from '../support/storage';

const id = (n: number): string =>
  `/subscriptions/00000000-0000-4000-8000-00000000000${n % 10}/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks-${n}`;

describe('findings in Table storage (Azurite)', () => {
  const setup = (): { store: ReturnType<typeof createStateStore>['findings']; table: TableClient } => {
    const prefix = uniqueName('fs');
    return {
      store: createStateStore(azuriteConnectionString(), prefix).findings,
      table: TableClient.fromConnectionString(azuriteConnectionString(), `${prefix}findings`, {
        allowInsecureConnection: true,
      }),
    };
  };
  const at = new Date('2026-11-24T18:00:00Z');

  it('spreads a scope over partitions and reads every cluster of it back, apart from a scope whose name it starts', async () => {
    const { store, table } = setup();
    const add = Array.from({ length: 300 }, (_, n) => ({ clusterId: id(n), finding: `system|img-${n}` }));
    await store.changeMany('node-image', add, [], at);
    await store.add('node-image-seen', id(1), 'other', at);

    const seen = await store.reported('node-image');
    expect(seen.size).toBe(300);
    expect(seen.get(id(7).toLowerCase())).toEqual(new Set(['system|img-7']));
    expect((await store.reported('node-image-seen')).get(id(1).toLowerCase())).toEqual(new Set(['other']));

    const partitions = new Set<string>();
    for await (const e of table.listEntities()) partitions.add(e.partitionKey!);
    expect(partitions.size).toBeGreaterThan(32); // 300 clusters over 64 partitions, plus the other scope's
    expect([...partitions].every((p) => /^node-image(-seen)?\.[0-9a-f]{2}$/.test(p))).toBe(true);

    await store.changeMany('node-image', [], add.slice(0, 299), at);
    expect([...(await store.reported('node-image')).keys()]).toEqual([id(299).toLowerCase()]);
  });

  it('keeps findings an earlier version stored in one partition, with their first time', async () => {
    const { store, table } = setup();
    // The row as the earlier version stored it: same row key, in the one partition named by the scope.
    const first = '2026-10-01T00:00:00.000Z';
    await store.add('power-schedule', id(1), 'day2-stop=x', new Date(first));
    for await (const { etag: _e, timestamp: _t, partitionKey, rowKey, ...props } of table.listEntities()) {
      await table.deleteEntity(partitionKey!, rowKey!);
      await table.createEntity({ ...props, partitionKey: 'power-schedule', rowKey: rowKey! });
    }

    expect((await store.reported('power-schedule')).get(id(1).toLowerCase())).toEqual(
      new Set(['day2-stop=x']),
    );
    const rows: Array<{ partitionKey?: string; firstAt?: unknown }> = [];
    for await (const e of table.listEntities()) rows.push(e);
    expect(rows).toEqual([
      expect.objectContaining({
        partitionKey: expect.stringMatching(/^power-schedule\.[0-9a-f]{2}$/),
        firstAt: first,
      }),
    ]);

    // Moved rows are the store's own: forgetting the finding removes it.
    await store.remove('power-schedule', id(1), 'day2-stop=x');
    expect(await store.reported('power-schedule')).toEqual(new Map());
    // Housekeeping reads the scope of a spread row.
    await store.add('power-schedule', id(2), 'old', new Date('2026-01-01T00:00:00Z'));
    const scopes: string[] = [];
    expect(await store.prune(at, (f) => (scopes.push(f.scope), false))).toBe(1);
    expect(scopes).toEqual(['power-schedule']);
  });
});
