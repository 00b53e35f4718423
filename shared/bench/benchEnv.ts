import { performance } from 'node:perf_hooks';
import { createDeps, type Deps } from '../deps';
import { silentLogger } from '../log';
import { startLocalEnvironment, type LocalEnvironment } from '../local/localEnv';
import { simAdmin } from '../local/simAdmin';
import type { CounterSnapshot } from '../sim/counters';
import { generatedFleet } from '../sim/fleet/generate';
import { parseFleet } from '../sim/fleet/schema';
import { PAGE_SIZE } from '../fleet/resourceGraph';
import type { Inventory } from '../fleet/inventory';

/** One row of `npm run bench`. */
export interface BenchRow {
  job: string;
  clusters: number;
  subscriptions: number;
  armRequests: number;
  /** What the job must read and change at the least (docs/performance.md defines it per job). */
  floor: number;
  wallMs: number;
  /** What the requests were, by operation. */
  detail: string;
}

export interface BenchEnv {
  env: LocalEnvironment;
  deps: Deps;
  /** Sim listing page size (ManagedClusters list). */
  pageSize: number;
  resetCounters(): Promise<void>;
  counters(): Promise<CounterSnapshot>;
  close(): Promise<void>;
}

/** Subscriptions of a bench fleet: ten clusters each (5,000 clusters → 500 subscriptions). */
export const subscriptionsFor = (clusters: number): number => Math.max(1, Math.round(clusters / 10));

export async function startBenchEnv(
  clusters: number,
  opts: { startTime?: string; env?: Record<string, string> } = {},
): Promise<BenchEnv> {
  const fleet = generatedFleet({ clusters, subscriptions: subscriptionsFor(clusters), seed: 7 });
  const env = await startLocalEnvironment({
    fleet,
    startTime: opts.startTime ?? '2026-06-08T16:50:00Z',
    speed: 0,
    env: opts.env,
  });
  const deps = createDeps(env.settings, {
    log: silentLogger,
    clock: { now: () => env.sim.clock.now() },
    notifier: { teamsPaceMs: 0 },
  });
  return {
    env,
    deps,
    pageSize: parseFleet(fleet).paging.pageSize,
    resetCounters: async () => void (await simAdmin(env.sim, 'DELETE', '/counters')),
    counters: () => simAdmin<CounterSnapshot>(env.sim, 'GET', '/counters'),
    close: () => env.close(),
  };
}

/** The fewest requests a listing of `inv` takes: the subscriptions list, then its pages (ARM: per subscription). */
export function discoveryFloor(inv: Inventory, pageSize: number): number {
  const subscriptionPages = Math.max(1, Math.ceil(inv.subscriptions.length / pageSize));
  if (inv.source === 'resource-graph')
    return subscriptionPages + Math.max(1, Math.ceil(inv.clusters.length / PAGE_SIZE));
  const perSub = new Map<string, number>(inv.subscriptions.map((s) => [s.toLowerCase(), 0]));
  for (const c of inv.clusters)
    perSub.set(c.subscriptionId.toLowerCase(), (perSub.get(c.subscriptionId.toLowerCase()) ?? 0) + 1);
  let pages = 0;
  for (const n of perSub.values()) pages += Math.max(1, Math.ceil(n / pageSize));
  return subscriptionPages + pages;
}

export function describeCounters(c: CounterSnapshot): string {
  return Object.entries(c.byOperation)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k.replace(/^(ManagedClusters|AgentPools|MaintenanceConfigurations)_/, '')} ${v}`)
    .join(', ');
}

export async function timed<T>(f: () => Promise<T>): Promise<{ value: T; wallMs: number }> {
  const t0 = performance.now();
  const value = await f();
  return { value, wallMs: performance.now() - t0 };
}
