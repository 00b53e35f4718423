import type { SimHandle } from '../../shared/sim/server';
import { startEventReceiver, type EventReceiver } from './eventReceiver';
import { admin, aksClient, rejectionOf, sim } from './simClient';
import { UP_RG, UP_SUB, upgradeFleet } from './upgradeFleet';

interface Progress {
  operation: { status: string; percentComplete: number } | null;
  pools: { pool: string; nodesUpgraded: number; nodesTotal: number; surgeNodes: number; state: string }[];
}
interface Puts {
  cluster: { received: number; accepted: number };
  pools: Record<string, { received: number; accepted: number }>;
  total: { received: number; accepted: number };
}

function eventTypes(rx: EventReceiver): string[] {
  return rx.deliveries.flatMap((d) =>
    (d.body as { eventType: string; data: { nodePoolName: string } }[]).map(
      (e) => `${e.eventType}:${e.data.nodePoolName}`,
    ),
  );
}

describe('simulated Kubernetes upgrades with surge settings', () => {
  let s: SimHandle;
  let rx: EventReceiver;
  beforeEach(async () => {
    rx = await startEventReceiver();
    s = await sim({ speed: 0, fleet: upgradeFleet(), eventGrid: { url: rx.url } });
  });
  afterEach(async () => {
    await s.close();
    await rx.close();
  });

  it('upgrades the control plane alone, then rolls a pool in surge batches with soak, showing nodes done on the way', async () => {
    const client = aksClient(s, UP_SUB);
    const mc = await client.managedClusters.get(UP_RG, 'aks-roll');
    const cp = client.managedClusters.createOrUpdate(
      UP_RG,
      'aks-roll',
      { ...mc, kubernetesVersion: '1.34.1' },
      {
        updateIntervalInMs: 10,
      },
    );
    await cp.submitted();
    s.clock.advance(5 * 60_000 + 1000);
    const after = await cp;
    expect(after.currentKubernetesVersion).toBe('1.34.1');
    expect(after.agentPoolProfiles?.map((p) => p.currentOrchestratorVersion)).toEqual(['1.33.2', '1.33.2']);

    const pool = await client.agentPools.get(UP_RG, 'aks-roll', 'apps');
    const up = client.agentPools.createOrUpdate(
      UP_RG,
      'aks-roll',
      'apps',
      {
        ...pool,
        orchestratorVersion: '1.34.1',
        upgradeSettings: {
          maxSurge: '50%',
          drainTimeoutInMinutes: 20,
          nodeSoakDurationInMinutes: 2,
          undrainableNodeBehavior: 'Cordon',
        },
      },
      { updateIntervalInMs: 10 },
    );
    await up.submitted();
    const during = await client.agentPools.get(UP_RG, 'aks-roll', 'apps');
    expect(during).toMatchObject({
      provisioningState: 'Upgrading',
      orchestratorVersion: '1.34.1',
      currentOrchestratorVersion: '1.33.2',
      upgradeSettings: {
        maxSurge: '50%',
        drainTimeoutInMinutes: 20,
        nodeSoakDurationInMinutes: 2,
        undrainableNodeBehavior: 'Cordon',
      },
    });
    // 6 nodes at 50% = 3 per batch, 2 batches of 180 s + 120 s soak.
    s.clock.advance(300_000 + 1000);
    const half = await admin<Progress>(s, 'GET', '/progress/aks-roll');
    expect(half.pools).toEqual([
      { pool: 'apps', nodesUpgraded: 3, nodesTotal: 6, surgeNodes: 3, state: 'rolling' },
    ]);
    expect(half.operation).toMatchObject({ status: 'InProgress' });
    s.clock.advance(300_000);
    const done = await up;
    expect(done).toMatchObject({ provisioningState: 'Succeeded', currentOrchestratorVersion: '1.34.1' });
    expect((await admin<Progress>(s, 'GET', '/progress/aks-roll')).pools[0]).toMatchObject({
      nodesUpgraded: 6,
      state: 'done',
    });
    await admin(s, 'POST', '/eventgrid/flush');
    expect(eventTypes(rx)).toEqual([
      'Microsoft.ContainerService.NodePoolRollingStarted:apps',
      'Microsoft.ContainerService.NodePoolRollingSucceeded:apps',
    ]);
  });

  it('fails a pool upgrade whose drain a PodDisruptionBudget blocks at its drain timeout, with the PDB debug info and a failed event', async () => {
    const client = aksClient(s, UP_SUB);
    const pool = await client.agentPools.get(UP_RG, 'aks-pdb', 'apps');
    const up = client.agentPools.createOrUpdate(
      UP_RG,
      'aks-pdb',
      'apps',
      {
        ...pool,
        orchestratorVersion: '1.34.1',
        upgradeSettings: { maxSurge: '1', drainTimeoutInMinutes: 10 },
      },
      { updateIntervalInMs: 10 },
    );
    await up.submitted();
    s.clock.advance(9 * 60_000);
    expect((await admin<Progress>(s, 'GET', '/progress/aks-pdb')).pools[0]).toMatchObject({
      nodesUpgraded: 0,
      state: 'rolling',
    });
    s.clock.advance(2 * 60_000);
    const err = await rejectionOf(up);
    expect(err.message).toContain('UpgradeFailed');
    expect(err.message).toContain(
      'PDB debug info: shop/cart-5c7d9f8b6-k2m4p blocked by pdb cart-pdb with 0 unready pods.',
    );
    const failed = await client.agentPools.get(UP_RG, 'aks-pdb', 'apps');
    expect(failed).toMatchObject({ provisioningState: 'Failed', currentOrchestratorVersion: '1.33.2' });
    expect((await admin<Progress>(s, 'GET', '/progress/aks-pdb')).pools[0]).toMatchObject({
      state: 'failed',
    });
    await admin(s, 'POST', '/eventgrid/flush');
    expect(eventTypes(rx)).toEqual([
      'Microsoft.ContainerService.NodePoolRollingStarted:apps',
      'Microsoft.ContainerService.NodePoolRollingFailed:apps',
    ]);
  });

  it('refuses upgrade settings AKS refuses, a pool newer than its control plane, and a second PUT while one runs', async () => {
    const client = aksClient(s, UP_SUB);
    const pool = await client.agentPools.get(UP_RG, 'aks-roll', 'apps');
    for (const upgradeSettings of [
      { maxSurge: 'lots' },
      { maxSurge: '150%' },
      { drainTimeoutInMinutes: 0 },
      { nodeSoakDurationInMinutes: 31 },
    ]) {
      const err = await rejectionOf(
        client.agentPools.beginCreateOrUpdate(UP_RG, 'aks-roll', 'apps', { ...pool, upgradeSettings }),
      );
      expect(err).toMatchObject({ statusCode: 400, code: 'InvalidParameter' });
    }
    const skew = await rejectionOf(
      client.agentPools.beginCreateOrUpdate(UP_RG, 'aks-roll', 'apps', {
        ...pool,
        orchestratorVersion: '1.34.1',
      }),
    );
    expect(skew).toMatchObject({ statusCode: 400, code: 'NodePoolMcVersionIncompatible' });
    const mc = await client.managedClusters.get(UP_RG, 'aks-roll');
    const skip = await rejectionOf(
      client.managedClusters.beginCreateOrUpdate(UP_RG, 'aks-roll', { ...mc, kubernetesVersion: '1.35.0' }),
    );
    expect(skip).toMatchObject({ statusCode: 400, code: 'K8sVersionNotSupported' });
    await client.managedClusters.beginCreateOrUpdate(UP_RG, 'aks-roll', {
      ...mc,
      kubernetesVersion: '1.33.3',
    });
    const busy = await rejectionOf(
      client.agentPools.beginCreateOrUpdate(UP_RG, 'aks-roll', 'apps', {
        ...pool,
        orchestratorVersion: '1.33.3',
      }),
    );
    expect(busy).toMatchObject({ statusCode: 409, code: 'OperationNotAllowed' });
  });

  it('aborts a running pool upgrade: the pool ends Canceled on its old version, and a second abort finds nothing to abort', async () => {
    const client = aksClient(s, UP_SUB);
    const pool = await client.agentPools.get(UP_RG, 'aks-pdb', 'apps');
    const up = await client.agentPools.beginCreateOrUpdate(UP_RG, 'aks-pdb', 'apps', {
      ...pool,
      orchestratorVersion: '1.34.1',
    });
    s.clock.advance(60_000);
    await client.agentPools.beginAbortLatestOperationAndWait(UP_RG, 'aks-pdb', 'apps', {
      updateIntervalInMs: 10,
    });
    expect(await rejectionOf(up.pollUntilDone())).toMatchObject({ message: 'Operation was canceled' });
    expect(await client.agentPools.get(UP_RG, 'aks-pdb', 'apps')).toMatchObject({
      provisioningState: 'Canceled',
      currentOrchestratorVersion: '1.33.2',
    });
    const again = await rejectionOf(client.agentPools.beginAbortLatestOperation(UP_RG, 'aks-pdb', 'apps'));
    expect(again).toMatchObject({ statusCode: 409 });
  });

  it('counts the PUTs each cluster and pool received and accepted, and forgets them on reset', async () => {
    const client = aksClient(s, UP_SUB);
    const mc = await client.managedClusters.get(UP_RG, 'aks-roll');
    await client.managedClusters.beginCreateOrUpdate(UP_RG, 'aks-roll', {
      ...mc,
      kubernetesVersion: '1.33.3',
    });
    const pool = await client.agentPools.get(UP_RG, 'aks-roll', 'apps');
    await rejectionOf(
      client.agentPools.beginCreateOrUpdate(UP_RG, 'aks-roll', 'apps', {
        ...pool,
        orchestratorVersion: '1.33.3',
      }),
    );
    s.clock.advance(10 * 60_000);
    const ok = await client.agentPools.beginCreateOrUpdate(UP_RG, 'aks-roll', 'apps', {
      ...pool,
      orchestratorVersion: '1.33.3',
    });
    s.clock.advance(60 * 60_000);
    await ok.pollUntilDone();
    expect(await admin<Puts>(s, 'GET', '/puts/aks-roll')).toMatchObject({
      cluster: { received: 1, accepted: 1 },
      pools: { apps: { received: 2, accepted: 1 } },
      total: { received: 3, accepted: 2 },
    });
    expect(await admin<Puts>(s, 'GET', '/puts/aks-pdb')).toMatchObject({
      total: { received: 0, accepted: 0 },
    });
    await admin(s, 'DELETE', '/puts');
    expect(await admin<{ clusters: unknown[] }>(s, 'GET', '/puts')).toEqual({ clusters: [] });
  });
});
