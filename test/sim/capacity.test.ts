import { ComputeManagementClient } from '@azure/arm-compute';
import { NetworkManagementClient } from '@azure/arm-network';
import type { SimHandle } from '../../shared/sim/server';
import { aksClient, credential, rejectionOf, sim } from './simClient';
import { UP_RG, UP_SUB, upgradeFleet, VNET } from './upgradeFleet';

async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('simulated surge capacity: compute quota and subnet IPs', () => {
  let s: SimHandle;
  let compute: ComputeManagementClient;
  let network: NetworkManagementClient;
  beforeEach(async () => {
    s = await sim({ speed: 0, fleet: upgradeFleet() });
    const opts = { endpoint: s.arm, tlsOptions: { ca: s.caCert } };
    compute = new ComputeManagementClient(credential, UP_SUB, opts);
    network = new NetworkManagementClient(credential, UP_SUB, opts);
  });
  afterEach(async () => {
    await s.close();
  });

  it('lists vCPU use and quota per family and in total for a subscription and region, from the pools', async () => {
    const usages = await all(compute.usage.list('westeurope'));
    const byName = new Map(usages.map((u) => [String(u.name.value), u]));
    // aks-quota: 10 x D8s_v5 = 80 vCPUs of standardDSv5Family, quota 100.
    expect(byName.get('standardDSv5Family')).toMatchObject({ currentValue: 80, limit: 100, unit: 'Count' });
    expect(byName.get('standardDSv5Family')?.name.localizedValue).toBe('Standard DSv5 Family vCPUs');
    // Everything else is D4ds_v5: 3 + 6 + 2 + 3 + 2 = 16 nodes x 4.
    expect(byName.get('standardDDSv5Family')?.currentValue).toBe(64);
    expect(byName.get('cores')?.currentValue).toBe(144);
    expect(byName.get('virtualMachines')?.currentValue).toBe(26);
    const skus = await all(compute.resourceSkus.list({ filter: "location eq 'westeurope'" }));
    expect(skus.find((k) => k.name === 'Standard_D8s_v5')).toMatchObject({
      family: 'standardDSv5Family',
      capabilities: expect.arrayContaining([{ name: 'vCPUs', value: '8' }]) as unknown,
    });
  });

  it('fails a pool roll whose surge nodes exceed the family quota with QuotaExceeded, as AKS does', async () => {
    const client = aksClient(s, UP_SUB);
    const mc = await client.managedClusters.get(UP_RG, 'aks-quota');
    const pool = await client.agentPools.get(UP_RG, 'aks-quota', 'big');
    expect(pool.vnetSubnetID).toBe(`${VNET}/subnets/snet-nodes`);
    expect(mc.kubernetesVersion).toBe('1.33.3');
    const up = client.agentPools.createOrUpdate(
      UP_RG,
      'aks-quota',
      'big',
      { ...pool, orchestratorVersion: '1.33.3' },
      { updateIntervalInMs: 10 },
    );
    await up.submitted();
    s.clock.advance(60_000);
    const err = await rejectionOf(up);
    expect(err.message).toContain('QuotaExceeded');
    expect(err.message).toContain(
      'Insufficient vcpu quota requested 32, remaining 20 for family standardDSv5Family for region westeurope.',
    );
    expect((await client.agentPools.get(UP_RG, 'aks-quota', 'big')).currentOrchestratorVersion).toBe(
      '1.33.2',
    );
  });

  it('serves subnets and the IPs used in each subnet of a virtual network', async () => {
    const subnet = await network.subnets.get(UP_RG, 'vnet-upgrades', 'snet-nodes');
    expect(subnet).toMatchObject({ id: `${VNET}/subnets/snet-nodes`, addressPrefix: '10.10.0.0/24' });
    const usages = await all(network.virtualNetworks.listUsage(UP_RG, 'vnet-upgrades'));
    expect(usages).toEqual([
      // Azure CNI, maxPods 20: 10 nodes x 21 IPs; a /24 has 251 usable addresses.
      {
        id: `${VNET}/subnets/snet-nodes`,
        currentValue: 210,
        limit: 251,
        name: { value: 'SubnetSpace', localizedValue: 'Subnet size and usage' },
        unit: 'Count',
      },
      {
        id: `${VNET}/subnets/snet-small`,
        currentValue: 7,
        limit: 11,
        name: { value: 'SubnetSpace', localizedValue: 'Subnet size and usage' },
        unit: 'Count',
      },
    ]);
    const missing = await rejectionOf(network.subnets.get(UP_RG, 'vnet-upgrades', 'nope'));
    expect(missing).toMatchObject({ statusCode: 404 });
  });
});
