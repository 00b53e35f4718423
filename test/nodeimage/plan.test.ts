import type { ClusterSnapshot, PoolSnapshot } from '../../shared/fleet/cluster';
import { osKey } from '../../shared/nodeimage/osKey';
import {
  firstSeenKey,
  planNodeImage,
  type NodeImageClusterInput,
  type NodeImagePolicy,
  type NodeImageRollout,
} from '../../shared/nodeimage/plan';

const UB = 'AKSUbuntu-2204gen2containerd';
const OLD = `${UB}-202410.01.0`;
const NEW = `${UB}-202411.03.0`;
const WIN_OLD = 'AKSWindows-2022-containerd-20348.2655.240910';
const WIN_NEW = 'AKSWindows-2022-containerd-20348.2700.241015';
const NOW = new Date('2026-11-25T02:00:00Z');
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000);
const OPEN = { inWindow: true, description: 'DAY2_MAINTENANCE_WINDOW: daily 01:00-05:00' };

function pool(
  name: string,
  nodeImageVersion: string | undefined,
  extra: Partial<PoolSnapshot> = {},
): PoolSnapshot {
  return {
    name,
    count: 3,
    osType: 'Linux',
    osSku: 'Ubuntu',
    nodeImageVersion,
    provisioningState: 'Succeeded',
    powerState: 'Running',
    ...extra,
  };
}

function entry(
  name: string,
  pools: PoolSnapshot[],
  opts: {
    policy?: Partial<NodeImagePolicy>;
    cluster?: Partial<ClusterSnapshot>;
    latest?: Record<string, string | undefined>;
    window?: NodeImageClusterInput['window'];
  } = {},
): NodeImageClusterInput {
  const cluster: ClusterSnapshot = {
    id: `/subscriptions/s1/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/${name}`,
    name,
    subscriptionId: 's1',
    resourceGroup: 'rg',
    location: 'westeurope',
    tags: {},
    kubernetesVersion: '1.33.2',
    provisioningState: 'Succeeded',
    powerState: 'Running',
    pools,
    ...opts.cluster,
  };
  const latest =
    opts.latest ?? Object.fromEntries(pools.map((p) => [p.name, p.osType === 'Windows' ? WIN_NEW : NEW]));
  return {
    cluster,
    policy: { nodeImage: 'auto', ring: 0, protect: false, ...opts.policy },
    window: opts.window ?? OPEN,
    latestNodeImageVersion: latest,
  };
}

function rollout(
  c: NodeImageClusterInput,
  poolName: string,
  outcome: NodeImageRollout['outcome'],
  finishedHoursAgo: number | undefined,
  image = NEW,
): NodeImageRollout {
  return {
    clusterId: c.cluster.id,
    pool: poolName,
    ring: c.policy.ring,
    imageVersion: image,
    osKey: osKey(image),
    startedAt: hoursAgo((finishedHoursAgo ?? 0) + 1),
    ...(finishedHoursAgo === undefined ? {} : { finishedAt: hoursAgo(finishedHoursAgo) }),
    outcome,
  };
}

function plan(clusters: NodeImageClusterInput[], history: NodeImageRollout[] = [], soakHours = 24) {
  return planNodeImage({ clusters, history, now: NOW, soakHours }).map(
    (d) => `${d.cluster.name}/${d.pool} ${d.kind}: ${d.reason}`,
  );
}

describe('osKey', () => {
  it.each([
    [NEW, UB],
    [WIN_NEW, 'AKSWindows-2022-containerd'],
    ['AKSAzureLinux-V3gen2-202411.03.0', 'AKSAzureLinux-V3gen2'],
    ['AKSUbuntu:1604:2020.03.11', 'AKSUbuntu:1604'], // the official AgentPoolsGetUpgradeProfile example's form
  ])('gives %s the image family %s', (image, family) => {
    expect(osKey(image)).toBe(family);
  });
});

describe('planNodeImage', () => {
  it('decides nothing for a pool already on the latest image', () => {
    expect(plan([entry('aks-a', [pool('nodepool1', NEW)])])).toEqual([]);
  });

  it('decides nothing at all for a cluster with day2-node-image off', () => {
    expect(plan([entry('aks-a', [pool('nodepool1', OLD)], { policy: { nodeImage: 'off' } })])).toEqual([]);
  });

  it('upgrades an auto pool inside its window, with from, to and why', () => {
    const [d] = planNodeImage({
      clusters: [entry('aks-a', [pool('nodepool1', OLD)])],
      history: [],
      now: NOW,
      soakHours: 24,
    });
    expect(d).toMatchObject({ pool: 'nodepool1', kind: 'upgrade', from: OLD, to: NEW, ring: 0, osKey: UB });
    expect(d?.cluster).toMatchObject({ name: 'aks-a', subscriptionId: 's1', resourceGroup: 'rg' });
    expect(d?.cluster.id).toMatch(/managedClusters\/aks-a$/);
    expect(d?.reason).toBe(`${OLD} → ${NEW} (ring 0, inside DAY2_MAINTENANCE_WINDOW: daily 01:00-05:00)`);
  });

  it('only reports a new image for a cluster with day2-node-image notify', () => {
    expect(plan([entry('aks-a', [pool('nodepool1', OLD)], { policy: { nodeImage: 'notify' } })])).toEqual([
      `aks-a/nodepool1 notify: ${NEW} is available (day2-node-image is notify)`,
    ]);
  });

  it('only reports on a cluster with day2-protect, even when it is auto', () => {
    expect(plan([entry('aks-a', [pool('nodepool1', OLD)], { policy: { protect: true } })])).toEqual([
      `aks-a/nodepool1 notify: day2-protect is set: ${NEW} is available, reported only`,
    ]);
  });

  it.each(['NodeImage', 'SecurityPatch'])(
    'leaves a cluster whose nodeOSUpgradeChannel is %s to AKS and says so',
    (channel) => {
      expect(
        plan([entry('aks-a', [pool('nodepool1', OLD)], { cluster: { nodeOSUpgradeChannel: channel } })]),
      ).toEqual([`aks-a/nodepool1 skip: left to AKS: nodeOSUpgradeChannel is ${channel}`]);
    },
  );

  it('upgrades a cluster whose nodeOSUpgradeChannel is None or Unmanaged', () => {
    expect(
      plan([entry('aks-a', [pool('nodepool1', OLD)], { cluster: { nodeOSUpgradeChannel: 'Unmanaged' } })])[0],
    ).toMatch(/upgrade/);
  });

  it('skips a stopped cluster and reports it', () => {
    expect(plan([entry('aks-a', [pool('nodepool1', OLD)], { cluster: { powerState: 'Stopped' } })])).toEqual([
      'aks-a/nodepool1 skip: cluster is stopped',
    ]);
  });

  it('skips a stopped pool of a running cluster', () => {
    expect(plan([entry('aks-a', [pool('nodepool1', OLD, { powerState: 'Stopped' })])])).toEqual([
      'aks-a/nodepool1 skip: pool is stopped',
    ]);
  });

  it('skips outside the maintenance window and names the window', () => {
    const closed = {
      contains: () => false,
      describe: () => 'aksManagedNodeOSUpgradeSchedule: every week on Sunday at 01:00 UTC+00:00 for 4h',
    };
    expect(plan([entry('aks-a', [pool('nodepool1', OLD)], { window: closed })])).toEqual([
      'aks-a/nodepool1 skip: outside maintenance window (aksManagedNodeOSUpgradeSchedule: every week on Sunday at 01:00 UTC+00:00 for 4h)',
    ]);
    expect(
      plan([
        entry('aks-a', [pool('nodepool1', OLD)], {
          window: { inWindow: false, description: 'no maintenance window' },
        }),
      ]),
    ).toEqual(['aks-a/nodepool1 skip: outside maintenance window (no maintenance window)']);
  });

  it('asks the window about the plan time', () => {
    const seen: Date[] = [];
    plan([
      entry('aks-a', [pool('nodepool1', OLD)], {
        window: {
          contains: (t) => {
            seen.push(t);
            return true;
          },
          describe: () => 'w',
        },
      }),
    ]);
    expect(seen).toEqual([NOW]);
  });

  it('waits while AKS runs another operation on the cluster', () => {
    expect(
      plan([entry('aks-a', [pool('nodepool1', OLD)], { cluster: { provisioningState: 'Updating' } })]),
    ).toEqual(['aks-a/nodepool1 skip: cluster busy: provisioningState Updating; waiting']);
  });

  it('upgrades one pool at a time per cluster: the others wait for the chosen one', () => {
    expect(
      plan([entry('aks-a', [pool('userpool', OLD), pool('nodepool1', OLD), pool('nodepool2', NEW)])]),
    ).toEqual([
      `aks-a/nodepool1 upgrade: ${OLD} → ${NEW} (ring 0, inside ${OPEN.description})`,
      'aks-a/userpool skip: waiting for pool nodepool1',
    ]);
  });

  it('lets the other pools wait while a pool is already upgrading its node image', () => {
    expect(
      plan([
        entry('aks-a', [
          pool('nodepool1', OLD, { provisioningState: 'UpgradingNodeImageVersion' }),
          pool('userpool', OLD),
        ]),
      ]),
    ).toEqual([
      'aks-a/nodepool1 skip: node-image upgrade in progress (pool provisioningState UpgradingNodeImageVersion)',
      'aks-a/userpool skip: waiting for pool nodepool1',
    ]);
  });

  it('treats an in-progress rollout in the history as an upgrading pool', () => {
    const a = entry('aks-a', [pool('nodepool1', OLD), pool('userpool', OLD)]);
    expect(plan([a], [rollout(a, 'userpool', 'InProgress', undefined)])).toEqual([
      'aks-a/nodepool1 skip: waiting for pool userpool',
      'aks-a/userpool skip: node-image upgrade in progress (pool provisioningState Succeeded)',
    ]);
  });

  it('waits for a pool that is busy with something else', () => {
    expect(
      plan([
        entry('aks-a', [pool('nodepool1', OLD, { provisioningState: 'Scaling' }), pool('userpool', OLD)]),
      ]),
    ).toEqual([
      'aks-a/nodepool1 skip: pool busy: provisioningState Scaling; waiting',
      'aks-a/userpool skip: waiting for pool nodepool1',
    ]);
  });

  it('does not retry a pool whose upgrade to the same image failed', () => {
    const a = entry('aks-a', [pool('nodepool1', OLD)]);
    expect(plan([a], [rollout(a, 'nodepool1', 'Failed', 3)])).toEqual([
      `aks-a/nodepool1 skip: the upgrade to ${NEW} failed at ${hoursAgo(3).toISOString()}; not retried automatically`,
    ]);
  });

  it('skips with a reason when the latest image of a pool is unknown', () => {
    expect(plan([entry('aks-a', [pool('nodepool1', OLD)], { latest: {} })])).toEqual([
      'aks-a/nodepool1 skip: latest node image version unknown (pool upgrade profile not read)',
    ]);
  });

  describe('rings', () => {
    const ring0 = entry('aks-dev', [pool('nodepool1', NEW)], { policy: { ring: 0 } });
    const ring1 = entry('aks-test', [pool('nodepool1', OLD)], { policy: { ring: 1 } });

    it.each([
      [30, 'upgrade'],
      [24, 'upgrade'],
      [10, 'skip'],
    ] as const)(
      'lets ring 1 take an image that ring 0 finished %i hours ago (soak 24 h): %s',
      (finished, kind) => {
        const [d] = planNodeImage({
          clusters: [ring1, ring0],
          history: [rollout(ring0, 'nodepool1', 'Succeeded', finished)],
          now: NOW,
          soakHours: 24,
        });
        expect(d?.kind).toBe(kind);
        if (kind === 'skip')
          expect(d?.reason).toBe(
            `waiting for ring 0 to run ${NEW} for 24h: aks-dev/nodepool1 soaks 14h more`,
          );
      },
    );

    it('holds ring 1 until every ring-0 cluster running the image family has run the image', () => {
      const other0 = entry(
        'aks-dev2',
        [pool('nodepool1', OLD), pool('win1', WIN_OLD, { osType: 'Windows' })],
        { policy: { ring: 0 } },
      );
      expect(plan([ring0, other0, ring1], [rollout(ring0, 'nodepool1', 'Succeeded', 48)])).toEqual([
        `aks-dev2/nodepool1 upgrade: ${OLD} → ${NEW} (ring 0, inside ${OPEN.description})`,
        'aks-dev2/win1 skip: waiting for pool nodepool1',
        `aks-test/nodepool1 skip: waiting for ring 0 to run ${NEW} for 24h: aks-dev2/nodepool1 has not run it yet`,
      ]);
    });

    it('does not hold ring 1 for a stopped ring-0 cluster, which runs no nodes to soak the image', () => {
      const stopped0 = entry('aks-dev2', [pool('nodepool1', OLD)], {
        policy: { ring: 0 },
        cluster: { powerState: 'Stopped' },
      });
      expect(plan([ring0, stopped0, ring1], [rollout(ring0, 'nodepool1', 'Succeeded', 48)])).toEqual([
        'aks-dev2/nodepool1 skip: cluster is stopped',
        `aks-test/nodepool1 upgrade: ${OLD} → ${NEW} (ring 1, inside ${OPEN.description})`,
      ]);
    });

    it('says a lower-ring pool is still upgrading', () => {
      expect(plan([ring0, ring1], [rollout(ring0, 'nodepool1', 'InProgress', undefined)])).toContain(
        `aks-test/nodepool1 skip: waiting for ring 0 to run ${NEW} for 24h: aks-dev/nodepool1 is still upgrading`,
      );
    });

    it('gates on the nearest lower ring that has clusters', () => {
      const ring2 = entry('aks-stage', [pool('nodepool1', NEW)], { policy: { ring: 2 } });
      const ring5 = entry('aks-prod', [pool('nodepool1', OLD)], { policy: { ring: 5 } });
      const ring2Behind = entry('aks-stage', [pool('nodepool1', OLD)], { policy: { ring: 2 } });
      expect(plan([ring5, ring2Behind], []).filter((l) => l.startsWith('aks-prod'))).toEqual([
        `aks-prod/nodepool1 skip: waiting for ring 2 to run ${NEW} for 24h: aks-stage/nodepool1 has not run it yet`,
      ]);
      expect(plan([ring5, ring2], [rollout(ring2, 'nodepool1', 'Succeeded', 25)])[0]).toMatch(
        /^aks-prod\/nodepool1 upgrade/,
      );
    });

    describe('a lower-ring pool already on the image without an aks-day2 rollout (new cluster, manual or AKS upgrade)', () => {
      // ring0 (aks-dev) runs NEW and has no history: its soak starts when aks-day2 first saw it on NEW.
      const seenAt = (hours: number | undefined) =>
        hours === undefined
          ? new Map<string, Date>()
          : new Map([[firstSeenKey(ring0.cluster.id, 'nodepool1', NEW), hoursAgo(hours)]]);
      it.each([
        [
          '48 hours ago',
          48,
          `aks-test/nodepool1 upgrade: ${OLD} → ${NEW} (ring 1, inside ${OPEN.description})`,
        ],
        [
          '24 hours ago',
          24,
          `aks-test/nodepool1 upgrade: ${OLD} → ${NEW} (ring 1, inside ${OPEN.description})`,
        ],
        [
          '10 hours ago',
          10,
          `aks-test/nodepool1 skip: waiting for ring 0 to run ${NEW} for 24h: aks-dev/nodepool1 soaks 14h more (on it since aks-day2 first saw it, ${hoursAgo(10).toISOString()})`,
        ],
        [
          'this run (never seen before)',
          undefined,
          `aks-test/nodepool1 skip: waiting for ring 0 to run ${NEW} for 24h: aks-dev/nodepool1 soaks 24h more (on it since aks-day2 first saw it, ${NOW.toISOString()})`,
        ],
      ] as const)(
        'counts its soak from when aks-day2 first saw it on the image: %s',
        (_when, hours, expected) => {
          const decisions = planNodeImage({
            clusters: [ring1, ring0],
            history: [],
            now: NOW,
            soakHours: 24,
            firstSeenOnImage: seenAt(hours),
          });
          expect(decisions.map((d) => `${d.cluster.name}/${d.pool} ${d.kind}: ${d.reason}`)).toEqual([
            expected,
          ]);
        },
      );

      it('ignores a first sighting of another pool, cluster or image', () => {
        const other = new Map([
          [firstSeenKey(ring0.cluster.id, 'otherpool', NEW), hoursAgo(48)],
          [firstSeenKey(ring1.cluster.id, 'nodepool1', NEW), hoursAgo(48)],
          [firstSeenKey(ring0.cluster.id, 'nodepool1', OLD), hoursAgo(48)],
        ]);
        const [d] = planNodeImage({
          clusters: [ring1, ring0],
          history: [],
          now: NOW,
          soakHours: 24,
          firstSeenOnImage: other,
        });
        expect(d?.reason).toMatch(/aks-dev\/nodepool1 soaks 24h more/);
      });

      it('still says "has not run it yet" for a lower-ring pool on an older image', () => {
        const behind0 = entry('aks-dev', [pool('nodepool1', OLD)], {
          policy: { ring: 0 },
          window: { inWindow: false, description: 'closed' },
        });
        expect(plan([behind0, ring1])).toContain(
          `aks-test/nodepool1 skip: waiting for ring 0 to run ${NEW} for 24h: aks-dev/nodepool1 has not run it yet`,
        );
      });
    });

    it('only waits for lower-ring clusters that run the same image family', () => {
      const winOnly0 = entry('aks-win', [pool('win1', WIN_NEW, { osType: 'Windows' })], {
        policy: { ring: 0 },
      });
      expect(plan([winOnly0, ring1])).toEqual([
        `aks-test/nodepool1 upgrade: ${OLD} → ${NEW} (ring 1, inside ${OPEN.description})`,
      ]);
    });

    it('does not wait for lower-ring clusters that aks-day2 does not upgrade (notify, protect, AKS channel)', () => {
      const notify0 = entry('aks-n', [pool('nodepool1', OLD)], { policy: { ring: 0, nodeImage: 'notify' } });
      const protect0 = entry('aks-p', [pool('nodepool1', OLD)], { policy: { ring: 0, protect: true } });
      const aks0 = entry('aks-c', [pool('nodepool1', OLD)], {
        policy: { ring: 0 },
        cluster: { nodeOSUpgradeChannel: 'NodeImage' },
      });
      expect(plan([notify0, protect0, aks0, ring1]).filter((l) => l.startsWith('aks-test'))).toEqual([
        `aks-test/nodepool1 upgrade: ${OLD} → ${NEW} (ring 1, inside ${OPEN.description})`,
      ]);
    });

    it('halts every later ring for an image that failed in a lower ring, and says where', () => {
      const ring2 = entry('aks-prod', [pool('nodepool1', OLD)], { policy: { ring: 2 } });
      const history = [
        rollout(ring0, 'nodepool1', 'Succeeded', 48),
        rollout(ring1, 'nodepool1', 'Failed', 30),
      ];
      expect(plan([ring0, ring1, ring2], history)).toEqual([
        `aks-test/nodepool1 skip: the upgrade to ${NEW} failed at ${hoursAgo(30).toISOString()}; not retried automatically`,
        `aks-prod/nodepool1 skip: halted: ring 1 failed on aks-test/nodepool1 with image ${NEW}`,
      ]);
    });

    it('lifts the halt once the failed pool has been upgraded successfully since', () => {
      const ring2 = entry('aks-prod', [pool('nodepool1', OLD)], { policy: { ring: 2 } });
      const ring1Done = entry('aks-test', [pool('nodepool1', NEW)], { policy: { ring: 1 } });
      const history = [
        rollout(ring0, 'nodepool1', 'Succeeded', 96),
        rollout(ring1Done, 'nodepool1', 'Failed', 60),
        rollout(ring1Done, 'nodepool1', 'Succeeded', 30),
      ];
      expect(plan([ring0, ring1Done, ring2], history)).toEqual([
        `aks-prod/nodepool1 upgrade: ${OLD} → ${NEW} (ring 2, inside ${OPEN.description})`,
      ]);
    });

    it('does not halt on a failure of a different image', () => {
      const history = [
        rollout(ring0, 'nodepool1', 'Failed', 100, `${UB}-202409.01.0`),
        rollout(ring0, 'nodepool1', 'Succeeded', 48),
      ];
      expect(plan([ring0, ring1], history)[0]).toMatch(/^aks-test\/nodepool1 upgrade/);
    });
  });

  it('orders decisions by ring, then cluster name, then pool name, whatever the input order', () => {
    const clusters = [
      entry('zeta', [pool('b', OLD, { powerState: 'Stopped' }), pool('a', OLD, { powerState: 'Stopped' })], {
        policy: { ring: 0, nodeImage: 'notify' },
      }),
      entry('alpha', [pool('a', OLD)], { policy: { ring: 3, nodeImage: 'notify' } }),
      entry('beta', [pool('a', OLD)], { policy: { ring: 0, nodeImage: 'notify' } }),
    ];
    const names = (cs: NodeImageClusterInput[]) =>
      planNodeImage({ clusters: cs, history: [], now: NOW, soakHours: 24 }).map(
        (d) => `${d.cluster.name}/${d.pool}`,
      );
    expect(names(clusters)).toEqual(['beta/a', 'zeta/a', 'zeta/b', 'alpha/a']);
    expect(names([...clusters].reverse())).toEqual(names(clusters));
  });
});
