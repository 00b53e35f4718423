/**
 * The chaos run's fleet: clusters with a power schedule, clusters whose node images aks-day2 rolls (two
 * rings, pools behind the latest image), clusters with an unattended patch policy (two rings, a patch
 * behind), and clusters with fuzzed tags. Each group carries only its own job's tags (the others `off`),
 * so the simulator's ground truth of one job is not mixed with another's.
 */
import type { FleetFile } from '../sim/fleet/schema';
import { fuzzTags } from './fuzz';

export const SUBS = ['c4a05000-0000-4000-8000-000000000001', 'c4a05000-0000-4000-8000-000000000002'];
export const RG = 'rg-chaos';
export const ZONES = ['UTC', 'Europe/Paris', 'America/New_York', 'Asia/Tokyo'];
/** The image every pool runs at the start. */
export const OLD_IMAGE = 'AKSUbuntu-2204gen2containerd-202602.04.0';
/** The latest image of the region: the node-image clusters' pools are due to it. */
export const NEW_IMAGE = 'AKSUbuntu-2204gen2containerd-202603.01.0';
export const FROM_VERSION = '1.33.5';
/** The latest patch of 1.33: the upgrade clusters are due to it. */
export const TO_VERSION = '1.33.6';
export const STOP = '0 19 * * *';
export const START_CRON = '30 7 * * *';
export const POOLS = ['apps', 'system'];

export interface ChaosFleetOptions {
  clusters: number;
  imageClusters: number;
  upgradeClusters: number;
  fuzzClusters: number;
  seed: number;
}

export interface Scheduled {
  name: string;
  zone: string;
}

export interface ChaosFleet {
  fleet: FleetFile;
  /** Clusters with a power schedule. */
  scheduled: Scheduled[];
  /** Clusters whose pools are due to NEW_IMAGE (`day2-node-image=auto`), with their ring. */
  imaged: Array<{ name: string; ring: number }>;
  /** Clusters due to TO_VERSION (`day2-upgrade=patch`), with their ring. */
  upgraded: Array<{ name: string; ring: number }>;
  /** Clusters where AKS fails the operation once (the simulator's `operationFailure`). */
  failing: string[];
}

const pad = (i: number) => String(i).padStart(3, '0');

export function chaosFleet(o: ChaosFleetOptions): ChaosFleet {
  const scheduled: Scheduled[] = [];
  const imaged: ChaosFleet['imaged'] = [];
  const upgraded: ChaosFleet['upgraded'] = [];
  const fuzzed = fuzzTags(o.fuzzClusters, o.seed + 1);
  const onePool = [{ name: 'system', count: 1, mode: 'System', nodeImageVersion: OLD_IMAGE }];
  const twoPools = [
    { name: 'system', count: 1, mode: 'System', nodeImageVersion: OLD_IMAGE },
    { name: 'apps', count: 2, nodeImageVersion: OLD_IMAGE },
  ];
  const cluster = (name: string, tags: Record<string, string>, pools: unknown[] = onePool) => ({
    name,
    location: 'westeurope',
    kubernetesVersion: FROM_VERSION,
    tags,
    powerState: 'Running',
    pools: structuredClone(pools),
  });
  // Rings 0 and 1, the first half of each group in ring 0.
  const ringOf = (i: number, n: number) => (i < Math.ceil(n / 2) ? 0 : 1);
  const clusters = (sub: number) => {
    const out: Array<Record<string, unknown>> = [];
    for (let i = sub; i < o.clusters; i += SUBS.length) {
      const name = `aks-chaos-${pad(i)}`;
      const zone = ZONES[i % ZONES.length]!;
      scheduled.push({ name, zone });
      out.push(
        cluster(name, {
          'day2-stop': STOP,
          'day2-start': START_CRON,
          'day2-timezone': zone,
          'day2-node-image': 'off',
          'day2-upgrade': 'off',
        }),
      );
    }
    // A ringed group (two pools each): its clusters of this subscription, noted in `group` for the checks.
    const ringed = (
      count: number,
      prefix: string,
      tags: Record<string, string>,
      group: Array<{ name: string; ring: number }>,
    ) => {
      for (let i = sub; i < count; i += SUBS.length) {
        const name = `${prefix}-${pad(i)}`;
        const ring = ringOf(i, count);
        group.push({ name, ring });
        out.push(cluster(name, { ...tags, 'day2-ring': String(ring) }, twoPools));
      }
    };
    ringed(o.imageClusters, 'aks-img', { 'day2-node-image': 'auto', 'day2-upgrade': 'off' }, imaged);
    ringed(o.upgradeClusters, 'aks-k8s', { 'day2-upgrade': 'patch', 'day2-node-image': 'off' }, upgraded);
    for (let i = sub; i < fuzzed.length; i += SUBS.length)
      out.push(cluster(`aks-fuzz-${pad(i)}`, fuzzed[i]!));
    return out;
  };
  const subscriptions = SUBS.map((id, s) => ({
    id,
    displayName: `chaos-${s}`,
    resourceGroups: [{ name: RG, clusters: clusters(s) }],
  }));
  // AKS fails one operation on the last cluster of each group's last ring: recorded Failed, no later ring to halt.
  const lastImaged = imaged.filter((c) => c.ring === 1).at(-1)?.name;
  const lastUpgraded = upgraded.filter((c) => c.ring === 1).at(-1)?.name;
  const faults = [
    ...(lastImaged
      ? [{ type: 'operationFailure', cluster: lastImaged, pool: 'apps', operation: 'nodeImageUpgrade' }]
      : []),
    ...(lastUpgraded
      ? [{ type: 'operationFailure', cluster: lastUpgraded, pool: 'apps', operation: 'upgrade' }]
      : []),
  ];
  return {
    scheduled,
    imaged,
    upgraded,
    failing: [lastImaged, lastUpgraded].filter((n): n is string => n !== undefined),
    fleet: {
      subscriptions,
      locations: {
        westeurope: {
          kubernetesVersions: [{ version: '1.33', patches: [FROM_VERSION, TO_VERSION], isDefault: true }],
          latestNodeImages: [NEW_IMAGE],
        },
      },
      throttling: {
        reads: { bucket: 100_000, refillPerSecond: 100_000 },
        writes: { bucket: 100_000, refillPerSecond: 100_000 },
      },
      timings: { runCommandSeconds: 0 },
      faults,
    } as unknown as FleetFile,
  };
}
