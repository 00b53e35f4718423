/** Large synthetic fleets for benchmarks (50 / 500 / 5,000 clusters): deterministic for a given seed. */
import { demoFleet } from './demoFleet';
import type { FleetFile } from './schema';
import { prng } from '../../util/prng';

type Subscription = FleetFile['subscriptions'][number];
type Cluster = NonNullable<NonNullable<Subscription['resourceGroups']>[number]['clusters']>[number];

function guid(rand: () => number): string {
  const hex = (n: number): string =>
    Array.from({ length: n }, () => Math.floor(rand() * 16).toString(16)).join('');
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${(8 + Math.floor(rand() * 4)).toString(16)}${hex(3)}-${hex(12)}`;
}

const SHORT: Record<string, string> = {
  westeurope: 'weu',
  eastus: 'eus',
  centralindia: 'cin',
  australiaeast: 'aue',
};
const ZONES: Record<string, string> = {
  westeurope: 'Europe/Paris',
  eastus: 'America/New_York',
  centralindia: 'Asia/Kolkata',
  australiaeast: 'Pacific/Auckland',
};
const VERSIONS = ['1.32.6', '1.32.8', '1.33.3', '1.33.4', '1.33.5', '1.34.0', '1.34.1'];
const IMAGES = ['202608.19.0', '202609.02.0', '202609.16.0', '202609.30.0'];

export function generatedFleet(opts: { clusters: number; subscriptions: number; seed?: number }): FleetFile {
  if (!Number.isInteger(opts.clusters) || opts.clusters < 1)
    throw new Error(`clusters must be an integer >= 1 (got ${opts.clusters})`);
  if (!Number.isInteger(opts.subscriptions) || opts.subscriptions < 1)
    throw new Error(`subscriptions must be an integer >= 1 (got ${opts.subscriptions})`);
  const rand = prng(opts.seed ?? 42);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const base = demoFleet();
  const locations = Object.keys(base.locations);
  const subs: Subscription[] = Array.from({ length: opts.subscriptions }, (_, i) => ({
    id: guid(rand),
    displayName: `bench-sub-${String(i + 1).padStart(3, '0')}`,
    resourceGroups: locations.map((l) => ({ name: `rg-bench-${SHORT[l] ?? l}`, clusters: [] as Cluster[] })),
  }));
  for (let n = 0; n < opts.clusters; n++) {
    const sub = subs[n % subs.length]!;
    const li = Math.floor(n / subs.length) % locations.length;
    const loc = locations[li]!;
    const rg = sub.resourceGroups![li]!;
    const env = pick(['dev', 'dev', 'test', 'prod'] as const);
    const version = pick(VERSIONS);
    const image = `AKSUbuntu-2204gen2containerd-${pick(IMAGES)}`;
    const tags: Record<string, string> = {
      environment: env,
      'day2-ring': String(Math.floor(rand() * 3)),
      'day2-node-image': pick(['auto', 'notify', 'off']),
      'day2-timezone': ZONES[loc] ?? 'UTC',
    };
    if (env === 'dev' && rand() < 0.7)
      Object.assign(tags, { 'day2-stop': '0 19 * * 1-5', 'day2-start': '30 7 * * 1-5' });
    const userPools = Math.floor(rand() * 3);
    rg.clusters!.push({
      name: `aks-${env}-${SHORT[loc] ?? loc}-${String(n + 1).padStart(4, '0')}`,
      location: loc,
      kubernetesVersion: version,
      tags,
      pools: [
        { name: 'system', count: 3, mode: 'System', nodeImageVersion: image },
        ...Array.from({ length: userPools }, (_, k) => ({
          name: `user${k + 1}`,
          count: 1 + Math.floor(rand() * 10),
          mode: 'User' as const,
          nodeImageVersion: image,
        })),
      ],
    });
  }
  for (const s of subs) s.resourceGroups = s.resourceGroups!.filter((g) => (g.clusters?.length ?? 0) > 0);
  return { subscriptions: subs, locations: base.locations };
}
