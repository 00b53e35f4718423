import { TableClient } from '@azure/data-tables';
import { createStateStore } from '../../shared/state/stateStore';
import { keyOf } from '../../shared/storage/tables';
import type { UpgradeRun } from '../../shared/upgrades/model';
import { azuriteConnectionString, uniqueName } from '../support/storage';

/** A run as the store keeps it (the fields the store itself reads). */
function run(day: number, state = 'Succeeded'): UpgradeRun {
  const at = `2026-11-${String(day).padStart(2, '0')}T10:00:00.000Z`;
  return {
    id: `R-202611${String(day).padStart(2, '0')}T100000000Z-0000000${day % 10}`,
    cluster: {
      id: `/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks-${day}`,
      name: `aks-${day}`,
      subscriptionId: '00000000-0000-4000-8000-000000000001',
      resourceGroup: 'rg',
    },
    state,
    createdAt: at,
    updatedAt: at,
    steps: [],
  } as unknown as UpgradeRun;
}

describe('upgrade runs in Table storage (Azurite)', () => {
  const setup = (): {
    prefix: string;
    store: ReturnType<typeof createStateStore>['upgradeRuns'];
    table: TableClient;
  } => {
    const prefix = uniqueName('ur');
    return {
      prefix,
      store: createStateStore(azuriteConnectionString(), prefix).upgradeRuns,
      table: TableClient.fromConnectionString(azuriteConnectionString(), `${prefix}upgraderuns`, {
        allowInsecureConnection: true,
      }),
    };
  };

  it('lists runs newest first across pages, not only within one', async () => {
    const { store } = setup();
    for (const day of [3, 1, 5, 2, 4]) await store.create(run(day));
    const first = await store.list({}, { maxPageSize: 2 });
    expect(first.runs.map((r) => r.cluster.name)).toEqual(['aks-5', 'aks-4']);
    const second = await store.list({}, { maxPageSize: 2, continuationToken: first.continuationToken! });
    expect(second.runs.map((r) => r.cluster.name)).toEqual(['aks-3', 'aks-2']);
    expect((await store.get(run(3).id))?.cluster.name).toBe('aks-3');
  });

  it('carries runs an earlier version stored by id, and their clusters held, across the upgrade', async () => {
    const { prefix, store, table } = setup();
    await store.list(); // creates the table
    // The earlier layout: the run keyed by its id, its cluster's active row in the one partition `active`.
    const old = run(7, 'Running');
    const json = JSON.stringify(old);
    await table.createEntity({
      partitionKey: 'run',
      rowKey: old.id,
      id: old.id,
      clusterId: old.cluster.id.toLowerCase(),
      clusterName: old.cluster.name,
      state: old.state,
      createdAt: old.createdAt,
      updatedAt: old.updatedAt,
      chunks: 1,
      d0: json,
    });
    await table.createEntity({ partitionKey: 'active', rowKey: keyOf(old.cluster.id), runId: old.id });

    const upgraded = createStateStore(azuriteConnectionString(), prefix).upgradeRuns;
    expect((await upgraded.active()).map((r) => r.id)).toEqual([old.id]);
    expect((await upgraded.activeFor(old.cluster))?.id).toBe(old.id);
    const second = await upgraded.create({ ...run(8), cluster: old.cluster });
    expect('inFlight' in second && second.inFlight.id).toBe(old.id); // the cluster is still held
    const stored = (await upgraded.get(old.id))!;
    expect(await upgraded.save({ ...stored, state: 'Succeeded' })).toBeDefined();
    expect(await upgraded.activeFor(old.cluster)).toBeUndefined();
    const keys: string[] = [];
    for await (const e of table.listEntities()) keys.push(`${e.partitionKey}/${e.rowKey}`);
    expect(keys.filter((k) => k.startsWith('active/') || k.startsWith('run/R-'))).toEqual([]);
  });
});
