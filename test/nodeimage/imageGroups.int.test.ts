import { imageGroupKey } from '../../shared/nodeimage/latestImages';
import { planNodeImageRun, runNodeImage } from '../../shared/nodeimage/runNodeImage';
import { demoFleet } from '../../shared/sim/fleet/demoFleet';
import type { FleetFile } from '../../shared/sim/fleet/schema';
import { admin } from '../sim/simClient';
import { startTestApp, type TestApp } from '../support/app';
import { armCalls, LATEST_UBUNTU, one, startWindowOpenApp, THURSDAY } from './helpers';

const OLD_UBUNTU = 'AKSUbuntu-2204gen2containerd-202609.02.0';
const NEXT_FAMILY = 'AKSUbuntu-2404gen2containerd-202610.01.0';

/** Two westeurope clusters on the same image family; AKS offers the first one's pool another family. */
function movingFamilyFleet(): FleetFile {
  const cluster = (name: string, extra: Record<string, string> = {}) => ({
    name,
    location: 'westeurope',
    kubernetesVersion: '1.33.5',
    tags: { 'day2-node-image': 'auto', 'day2-ring': '0' },
    pools: [{ name: 'system', count: 3, mode: 'System' as const, nodeImageVersion: OLD_UBUNTU, ...extra }],
  });
  return {
    subscriptions: [
      {
        id: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
        displayName: 'image-groups',
        resourceGroups: [
          {
            name: 'rg-images',
            clusters: [cluster('aks-a', { latestNodeImageVersion: NEXT_FAMILY }), cluster('aks-b')],
          },
        ],
      },
    ],
    locations: demoFleet().locations,
  };
}

describe('node-image facts: one upgrade-profile read per (region, image family)', () => {
  let app: TestApp | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('reads one profile per group, and every pool gets exactly the image its own profile names', async () => {
    app = await startWindowOpenApp();
    await admin(app.sim, 'DELETE', '/counters');
    const { facts, decisions } = await planNodeImageRun(app.deps);
    const pools = facts.clusters.flatMap((c) =>
      c.cluster.pools.filter((p) => p.name in c.latestNodeImageVersion).map((p) => ({ c, p })),
    );
    const groups = new Set(pools.map(({ c, p }) => imageGroupKey(c.cluster, p)));
    expect(await armCalls(app, 'AgentPools_GetUpgradeProfile')).toBe(groups.size);
    expect(groups.size).toBeLessThan(pools.length);

    for (const { c, p } of pools) {
      const own = await app.azure
        .aks(c.cluster.subscriptionId)
        .agentPools.getUpgradeProfile(c.cluster.resourceGroup, c.cluster.name, p.name);
      expect(`${c.cluster.name}/${p.name}: ${c.latestNodeImageVersion[p.name]}`).toBe(
        `${c.cluster.name}/${p.name}: ${own.latestNodeImageVersion}`,
      );
    }
    expect(decisions.filter((d) => d.kind === 'upgrade').length).toBeGreaterThan(0);
  });

  it('reads the pools of a group on their own when the group answer is of another family, so each gets its right image', async () => {
    app = await startTestApp({
      fleet: movingFamilyFleet(),
      speed: 0,
      startTime: THURSDAY,
      env: { DAY2_MAINTENANCE_WINDOW: 'daily 00:00-23:59' },
    });
    await admin(app.sim, 'DELETE', '/counters');
    const { run } = await runNodeImage(app.deps);
    expect(one(run, 'aks-b', 'system')).toMatchObject({
      outcome: 'InProgress',
      fromVersion: OLD_UBUNTU,
      toVersion: LATEST_UBUNTU,
    });
    expect(one(run, 'aks-a', 'system')).toMatchObject({ outcome: 'InProgress', toVersion: NEXT_FAMILY });
    // The group read (aks-a's pool, the first of the group), then aks-b's pool on its own.
    expect(await armCalls(app, 'AgentPools_GetUpgradeProfile')).toBe(2);
  });
});

describe('node-image facts: maintenance windows read only for clusters with a pool due', () => {
  let app: TestApp | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it.each([
    ['open', 'daily 00:00-23:59'],
    ['closed', 'Sat,Sun 01:00-05:00'],
  ])(
    'with DAY2_MAINTENANCE_WINDOW %s, lists the maintenance configurations of the due clusters only',
    async (_w, window) => {
      app = await startTestApp({ speed: 0, startTime: THURSDAY, env: { DAY2_MAINTENANCE_WINDOW: window } });
      await admin(app.sim, 'DELETE', '/counters');
      const { facts, decisions } = await planNodeImageRun(app.deps);
      // Due: upgraded now, or held only by its window (the window is the plan's last test).
      const dueClusters = new Set(
        decisions
          .filter((d) => d.kind === 'upgrade' || d.reason.startsWith('outside maintenance window'))
          .map((d) => d.cluster.id),
      );
      const auto = facts.clusters.filter((c) => c.policy.nodeImage === 'auto' && !c.policy.protect);
      expect(dueClusters.size).toBeGreaterThan(0);
      expect(await armCalls(app, 'MaintenanceConfigurations_ListByManagedCluster')).toBe(dueClusters.size);
      expect(facts.reads.windows).toBe(dueClusters.size);
      expect(dueClusters.size).toBeLessThan(auto.length);
    },
  );
});
