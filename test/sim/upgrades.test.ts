import type { SimHandle } from '../../shared/sim/server';
import { aksClient, rejectionOf, sim, SUB } from './simClient';

const LATEST_UBUNTU = 'AKSUbuntu-2204gen2containerd-202610.07.0';

describe('simulated upgrades', () => {
  let s: SimHandle;
  beforeEach(async () => {
    s = await sim({ speed: 0 });
  });
  afterEach(async () => {
    await s.close();
  });

  it('upgrades one minor: the control plane first, then a pool through agentPools.createOrUpdate', async () => {
    const client = aksClient(s, SUB.dev);
    const mc = await client.managedClusters.get('rg-aks-dev-weu', 'aks-dev-weu-02');
    const cp = client.managedClusters.createOrUpdate(
      'rg-aks-dev-weu',
      'aks-dev-weu-02',
      { ...mc, kubernetesVersion: '1.33.5' },
      { updateIntervalInMs: 10 },
    );
    await cp.submitted();
    const during = await client.managedClusters.get('rg-aks-dev-weu', 'aks-dev-weu-02');
    expect(during).toMatchObject({
      provisioningState: 'Upgrading',
      kubernetesVersion: '1.33.5',
      currentKubernetesVersion: '1.32.6',
    });
    s.clock.advance(10 * 60_000);
    const after = await cp;
    expect(after).toMatchObject({ provisioningState: 'Succeeded', currentKubernetesVersion: '1.33.5' });
    expect(after.agentPoolProfiles?.[0]?.currentOrchestratorVersion).toBe('1.32.6');

    const pool = await client.agentPools.get('rg-aks-dev-weu', 'aks-dev-weu-02', 'system');
    const up = client.agentPools.createOrUpdate(
      'rg-aks-dev-weu',
      'aks-dev-weu-02',
      'system',
      { ...pool, orchestratorVersion: '1.33.5' },
      { updateIntervalInMs: 10 },
    );
    await up.submitted();
    expect(
      (await client.agentPools.get('rg-aks-dev-weu', 'aks-dev-weu-02', 'system')).provisioningState,
    ).toBe('Upgrading');
    expect((await client.managedClusters.get('rg-aks-dev-weu', 'aks-dev-weu-02')).provisioningState).toBe(
      'Upgrading',
    );
    s.clock.advance(60 * 60_000);
    const done = await up;
    expect(done).toMatchObject({
      provisioningState: 'Succeeded',
      currentOrchestratorVersion: '1.33.5',
      orchestratorVersion: '1.33.5',
    });
  });

  it('rolls a pool node by node in batches of maxSurge, so a bigger surge finishes sooner', async () => {
    const client = aksClient(s, SUB.dev);
    // apps: 4 nodes, maxSurge 50% -> 2 batches of 150 s (node image); system: 3 nodes, 10% -> 3 batches.
    const apps = client.agentPools.upgradeNodeImageVersion('rg-aks-dev-weu', 'aks-dev-weu-01', 'apps', {
      updateIntervalInMs: 10,
    });
    await apps.submitted();
    s.clock.advance(2 * 150_000 + 1000);
    await apps;
    const sys = client.agentPools.upgradeNodeImageVersion('rg-aks-dev-weu', 'aks-dev-weu-01', 'system', {
      updateIntervalInMs: 10,
    });
    await sys.submitted();
    s.clock.advance(2 * 150_000 + 1000);
    expect(
      (await client.agentPools.get('rg-aks-dev-weu', 'aks-dev-weu-01', 'system')).provisioningState,
    ).toBe('UpgradingNodeImageVersion');
    s.clock.advance(150_000);
    await sys;
    expect((await client.agentPools.get('rg-aks-dev-weu', 'aks-dev-weu-01', 'system')).nodeImageVersion).toBe(
      LATEST_UBUNTU,
    );
  });

  it('upgrades a pool node image to the latest of its family', async () => {
    const client = aksClient(s, SUB.dev);
    const profile = await client.agentPools.getUpgradeProfile('rg-aks-dev-weu', 'aks-dev-weu-01', 'apps');
    expect(profile.latestNodeImageVersion).toBe(LATEST_UBUNTU);
    const poller = client.agentPools.upgradeNodeImageVersion('rg-aks-dev-weu', 'aks-dev-weu-01', 'apps', {
      updateIntervalInMs: 10,
    });
    await poller.submitted();
    const during = await client.agentPools.get('rg-aks-dev-weu', 'aks-dev-weu-01', 'apps');
    expect(during.provisioningState).toBe('UpgradingNodeImageVersion');
    expect(during.nodeImageVersion).toBe('AKSUbuntu-2204gen2containerd-202609.02.0');
    s.clock.advance(60 * 60_000);
    await poller;
    expect((await client.agentPools.get('rg-aks-dev-weu', 'aks-dev-weu-01', 'apps')).nodeImageVersion).toBe(
      LATEST_UBUNTU,
    );
  });

  it('refuses any change with 409 OperationNotAllowed while an operation runs, worded for cluster and pool callers', async () => {
    const client = aksClient(s, SUB.dev);
    const poller = client.agentPools.upgradeNodeImageVersion('rg-aks-dev-weu', 'aks-dev-weu-01', 'system', {
      updateIntervalInMs: 10,
    });
    await poller.submitted();
    const mc = await client.managedClusters.get('rg-aks-dev-weu', 'aks-dev-weu-01');
    const clusterErr = await rejectionOf(
      client.managedClusters.createOrUpdate(
        'rg-aks-dev-weu',
        'aks-dev-weu-01',
        { ...mc, tags: { a: 'b' } },
        { updateIntervalInMs: 10 },
      ),
    );
    expect(clusterErr).toMatchObject({ statusCode: 409, code: 'OperationNotAllowed' });
    expect(clusterErr.message).toContain(
      'Managed Cluster operation is not allowed: Another operation (system - UpgradingNodeImageVersion) is in progress on agent pool (system)',
    );
    const poolErr = await rejectionOf(
      client.agentPools.upgradeNodeImageVersion('rg-aks-dev-weu', 'aks-dev-weu-01', 'apps', {
        updateIntervalInMs: 10,
      }),
    );
    expect(poolErr.message).toContain(
      'Operation is not allowed: Another agentpool operation (system - UpgradingNodeImageVersion) is in progress',
    );
    const stopErr = await rejectionOf(
      client.managedClusters.stop('rg-aks-dev-weu', 'aks-dev-weu-01', { updateIntervalInMs: 10 }),
    );
    expect(stopErr.statusCode).toBe(409);
    s.clock.advance(60 * 60_000);
    await poller;
  });

  it('refuses skipping a minor, unknown versions, pools newer than the control plane, and upgrading a stopped cluster', async () => {
    const dev = aksClient(s, SUB.dev);
    const mc = await dev.managedClusters.get('rg-aks-dev-weu', 'aks-dev-weu-02');
    const skip = await rejectionOf(
      dev.managedClusters.createOrUpdate('rg-aks-dev-weu', 'aks-dev-weu-02', {
        ...mc,
        kubernetesVersion: '1.34.2',
      }),
    );
    expect(skip).toMatchObject({ statusCode: 400, code: 'OperationNotAllowed' });
    expect(skip.message).toBe(
      'Upgrading Kubernetes version 1.32.6 to 1.34.2 is not allowed. Available upgrades: [1.33.5 1.33.4 1.33.3 1.32.8 1.32.7]. Please see https://aka.ms/aks-supported-k8s-ver for version details.',
    );
    const unknown = await rejectionOf(
      dev.managedClusters.createOrUpdate('rg-aks-dev-weu', 'aks-dev-weu-02', {
        ...mc,
        kubernetesVersion: '1.32.99',
      }),
    );
    expect(unknown).toMatchObject({ statusCode: 400, code: 'K8sVersionNotSupported' });
    const pool = await dev.agentPools.get('rg-aks-dev-weu', 'aks-dev-weu-01', 'apps');
    const newer = await rejectionOf(
      dev.agentPools.createOrUpdate('rg-aks-dev-weu', 'aks-dev-weu-01', 'apps', {
        ...pool,
        orchestratorVersion: '1.34.1',
      }),
    );
    expect(newer).toMatchObject({ statusCode: 400, code: 'NodePoolMcVersionIncompatible' });
    const stopped = await dev.managedClusters.get('rg-aks-dev-eus', 'aks-dev-eus-01');
    const stoppedErr = await rejectionOf(
      dev.managedClusters.createOrUpdate('rg-aks-dev-eus', 'aks-dev-eus-01', {
        ...stopped,
        kubernetesVersion: '1.33.5',
      }),
    );
    expect(stoppedErr).toMatchObject({ statusCode: 409, code: 'OperationNotAllowed' });
    expect(stoppedErr.message).toContain('Power State(Stopped), upgrading cannot be performed');
  });

  it('lets a cluster out of support jump back into support, and an LTS cluster move between LTS minors', async () => {
    const test = aksClient(s, SUB.test);
    const old = await test.managedClusters.getUpgradeProfile('rg-aks-test-eus', 'aks-test-eus-01');
    expect(old.controlPlaneProfile.upgrades?.map((u) => u.kubernetesVersion)).toEqual([
      '1.32.6',
      '1.32.7',
      '1.32.8',
    ]);
    const lts = await test.managedClusters.getUpgradeProfile('rg-aks-test-weu', 'aks-test-weu-02');
    expect(lts.controlPlaneProfile.upgrades?.map((u) => u.kubernetesVersion)).toEqual([
      '1.31.11',
      '1.32.6',
      '1.32.7',
      '1.32.8',
    ]);
  });

  it('fails a pool upgrade blocked by a PodDisruptionBudget after the drain timeout, with the message AKS gives', async () => {
    const client = aksClient(s, SUB.test);
    const poller = client.agentPools.upgradeNodeImageVersion(
      'rg-aks-test-weu',
      'aks-test-weu-01',
      'payments',
      { updateIntervalInMs: 10 },
    );
    await poller.submitted();
    s.clock.advance(14 * 60_000);
    expect(
      (await client.agentPools.get('rg-aks-test-weu', 'aks-test-weu-01', 'payments')).provisioningState,
    ).toBe('UpgradingNodeImageVersion');
    s.clock.advance(2 * 60_000);
    const err = await rejectionOf(poller);
    expect(err.message).toContain('The long-running operation has failed');
    expect(err.message).toContain('UpgradeFailed');
    expect(err.message).toContain(
      "Cannot evict pod as it would violate the pod's disruption budget.. PDB debug info: payments/payments-api-6f7c9d8b5-lq2xz blocked by pdb payments-api-pdb with 0 unready pods.",
    );
    const pool = await client.agentPools.get('rg-aks-test-weu', 'aks-test-weu-01', 'payments');
    expect(pool.provisioningState).toBe('Failed');
    expect(pool.nodeImageVersion).toBe('AKSUbuntu-2204gen2containerd-202609.16.0');
    expect((await client.managedClusters.get('rg-aks-test-weu', 'aks-test-weu-01')).provisioningState).toBe(
      'Failed',
    );
  });
});
