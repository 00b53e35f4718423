import { isBusy, parseClusterId, sameId, toClusterSnapshot } from '../../shared/fleet/cluster';
import type { ManagedCluster } from '@azure/arm-containerservice';
import { fixtureJson, fixtureJsonFiles } from '../support/fixtures';

/** The SDK 25.x flattens `properties` into the model; do the same for a wire body. */
function flatten(wire: { properties?: Record<string, unknown> } & Record<string, unknown>): ManagedCluster {
  const { properties, ...rest } = wire;
  const p = { ...(properties ?? {}) } as Record<string, unknown>;
  return { ...rest, ...p } as unknown as ManagedCluster;
}

function clusterBodies(): Array<[string, Record<string, unknown>]> {
  const out: Array<[string, Record<string, unknown>]> = [];
  for (const file of fixtureJsonFiles('aks-examples').filter((f) => f.startsWith('ManagedClusters'))) {
    const ex = fixtureJson<{ responses: Record<string, { body?: unknown }> }>('aks-examples', file);
    for (const [status, r] of Object.entries(ex.responses)) {
      const body = r.body as { value?: unknown[]; type?: string } | undefined;
      if (!body) continue;
      const items = Array.isArray(body.value) ? body.value : [body];
      for (const item of items) {
        const it = item as { type?: string };
        if (it.type?.toLowerCase() === 'microsoft.containerservice/managedclusters')
          out.push([`${file} ${status}`, item as Record<string, unknown>]);
      }
    }
  }
  return out;
}

describe('toClusterSnapshot', () => {
  const bodies = clusterBodies();
  it('finds managed clusters in the official examples', () => {
    expect(bodies.length).toBeGreaterThanOrEqual(4);
  });
  it.each(bodies)('accepts the cluster in %s', (_name, body) => {
    const snap = toClusterSnapshot(flatten(body));
    expect(snap.name).toBe(body.name);
    expect(String(body.id).toLowerCase()).toContain(`/subscriptions/${snap.subscriptionId.toLowerCase()}/`);
    expect(snap.pools.length).toBeGreaterThan(0);
    expect(snap.kubernetesVersion).toMatch(/^\d+\.\d+(\.\d+)?$/);
    expect(['Running', 'Stopped']).toContain(snap.powerState);
  });
});

describe('cluster ids', () => {
  it('parses ids whatever the case of their segments, as ARM returns them', () => {
    const ref = parseClusterId(
      '/subscriptions/s1/resourcegroups/rg-a/providers/Microsoft.ContainerService/ManagedClusters/aks-1',
    );
    expect(ref).toEqual({
      id: '/subscriptions/s1/resourcegroups/rg-a/providers/Microsoft.ContainerService/ManagedClusters/aks-1',
      subscriptionId: 's1',
      resourceGroup: 'rg-a',
      name: 'aks-1',
    });
    expect(
      sameId(
        ref!.id,
        '/subscriptions/s1/resourceGroups/rg-a/providers/Microsoft.ContainerService/managedClusters/aks-1',
      ),
    ).toBe(true);
  });
  it('rejects ids of other resource types', () => {
    expect(
      parseClusterId('/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm'),
    ).toBeUndefined();
  });
  it('treats any non-terminal provisioning state as busy', () => {
    expect(isBusy({ provisioningState: 'Upgrading' })).toBe(true);
    expect(isBusy({ provisioningState: 'Succeeded' })).toBe(false);
    expect(isBusy({ provisioningState: 'Failed' })).toBe(false);
  });
});
