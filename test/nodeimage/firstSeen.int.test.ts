import type { ClusterSnapshot } from '../../shared/fleet/cluster';
import { FirstSeenImages } from '../../shared/nodeimage/firstSeen';
import { firstSeenKey } from '../../shared/nodeimage/plan';
import { createStateStore } from '../../shared/state/stateStore';
import { azuriteConnectionString, uniqueName } from '../support/storage';

const OLD = 'AKSUbuntu-2204gen2containerd-202609.02.0';
const NEW = 'AKSUbuntu-2204gen2containerd-202610.07.0';
const ID = '/subscriptions/s1/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks-a';

function cluster(pools: Record<string, string>): ClusterSnapshot {
  return {
    id: ID,
    name: 'aks-a',
    subscriptionId: 's1',
    resourceGroup: 'rg',
    location: 'westeurope',
    tags: {},
    kubernetesVersion: '1.33.5',
    provisioningState: 'Succeeded',
    powerState: 'Running',
    pools: Object.entries(pools).map(([name, image]) => ({
      name,
      count: 1,
      osType: 'Linux',
      nodeImageVersion: image,
      provisioningState: 'Succeeded',
      powerState: 'Running' as const,
    })),
  };
}

describe('first-seen node images (Azurite)', () => {
  it('keeps the time a pool was first seen on an image, and forgets it once the pool moved on or went away', async () => {
    const store = createStateStore(azuriteConnectionString(), uniqueName('t')).findings;
    const t0 = new Date('2026-01-15T06:00:00Z');
    const t1 = new Date('2026-01-16T06:00:00Z');

    const first = await FirstSeenImages.load(store);
    expect(first.asOf([cluster({ apps: NEW })], t0).get(firstSeenKey(ID, 'apps', NEW))).toEqual(t0);
    await first.record([cluster({ apps: NEW, system: OLD })], t0);

    const later = await FirstSeenImages.load(store);
    const seen = later.asOf([cluster({ apps: NEW, system: NEW })], t1);
    expect(seen.get(firstSeenKey(ID.toUpperCase(), 'apps', NEW))).toEqual(t0); // stored: the day before
    expect(seen.get(firstSeenKey(ID, 'system', NEW))).toEqual(t1); // new this run
    await later.record([cluster({ system: NEW })], t1); // apps deleted, system moved to NEW

    const after = await FirstSeenImages.load(store);
    const stored = after.asOf([], t1);
    expect([...stored.entries()]).toEqual([[firstSeenKey(ID, 'system', NEW), t1]]);
  });
});
