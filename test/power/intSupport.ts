/** Helpers for the power-schedule integration tests: small fleets, ticks, and what the receivers got. */
import type { ContainerServiceClient } from '@azure/arm-containerservice';
import { simAdmin } from '../../shared/local/simAdmin';
import { runPowerSchedule, type PowerRunOptions } from '../../shared/power/runPowerSchedule';
import type { RunRecord } from '../../shared/records/outcome';
import type { FleetFile } from '../../shared/sim/fleet/schema';
import type { TestApp } from '../support/app';

export const SUB = '11111111-2222-4333-8444-555555555555';
export const RG = 'rg-power';
const IMAGE = 'AKSUbuntu-2204gen2containerd-202610.07.0';

export interface TestCluster {
  name: string;
  tags: Record<string, string>;
  powerState?: 'Running' | 'Stopped';
}

/** One subscription, one resource group, the given clusters in westeurope (1.33.5, one system pool). */
export function powerFleet(clusters: TestCluster[], extra: Partial<FleetFile> = {}): FleetFile {
  return {
    subscriptions: [
      {
        id: SUB,
        displayName: 'power-tests',
        resourceGroups: [
          {
            name: RG,
            clusters: clusters.map((c) => ({
              name: c.name,
              location: 'westeurope',
              kubernetesVersion: '1.33.5',
              tags: c.tags,
              powerState: c.powerState ?? 'Running',
              pools: [{ name: 'system', count: 1, mode: 'System', nodeImageVersion: IMAGE }],
            })),
          },
        ],
      },
    ],
    locations: {
      westeurope: {
        kubernetesVersions: [
          { version: '1.33', patches: ['1.33.5'], isDefault: true },
          { version: '1.34', patches: ['1.34.2'] },
        ],
        latestNodeImages: [IMAGE],
      },
    },
    ...extra,
  };
}

export const PARIS_OFFICE = {
  'day2-stop': '0 19 * * 1-5',
  'day2-start': '30 7 * * 1-5',
  'day2-timezone': 'Europe/Paris',
};

/** One tick at the virtual instant `iso` (the simulator's clock is set there first). */
export async function tickAt(app: TestApp, iso: string, opts: PowerRunOptions = {}): Promise<RunRecord> {
  app.sim.clock.set(iso);
  return runPowerSchedule(app.deps, opts);
}

/** Ticks every `stepMinutes` from `from` to `to` inclusive; every run, in order. */
export async function ticks(app: TestApp, from: string, to: string, stepMinutes = 5): Promise<RunRecord[]> {
  const runs: RunRecord[] = [];
  for (let t = Date.parse(from); t <= Date.parse(to); t += stepMinutes * 60_000)
    runs.push(await tickAt(app, new Date(t).toISOString()));
  return runs;
}

/** `cluster action Outcome` for each outcome of the runs, e.g. `aks-a stop InProgress`. */
export const brief = (runs: RunRecord | RunRecord[]): string[] =>
  ([] as RunRecord[])
    .concat(runs)
    .flatMap((r) => r.outcomes.map((o) => `${o.cluster.name} ${o.action} ${o.outcome}`));

export function client(app: TestApp): ContainerServiceClient {
  return app.azure.aks(SUB);
}

export async function powerOf(app: TestApp, name: string): Promise<string> {
  const mc = await client(app).managedClusters.get(RG, name);
  return `${mc.powerState?.code ?? '?'}/${mc.provisioningState ?? '?'}`;
}

interface TeamsPost {
  body: unknown;
}
interface LogRow {
  row: Record<string, unknown>;
}

/** Every text of the Teams card posted for the run, joined; undefined when no card was posted for it. */
export async function cardText(app: TestApp, run: RunRecord): Promise<string | undefined> {
  const { posts } = await simAdmin<{ posts: TeamsPost[] }>(app.sim, 'GET', '/teams');
  const texts: string[] = [];
  const walk = (x: unknown): void => {
    if (Array.isArray(x)) x.forEach(walk);
    else if (x && typeof x === 'object') {
      const o = x as Record<string, unknown>;
      if (o.type === 'TextBlock' && typeof o.text === 'string') texts.push(o.text);
      Object.values(o).forEach(walk);
    }
  };
  const post = posts.find((p) => JSON.stringify(p.body).includes(run.runId));
  if (!post) return undefined;
  walk(post.body);
  return texts.join('\n');
}

/** The Log Analytics rows the simulator received for the run. */
export async function rowsOf(app: TestApp, run: RunRecord): Promise<Array<Record<string, unknown>>> {
  const { rows } = await simAdmin<{ rows: LogRow[] }>(app.sim, 'GET', '/logs');
  return rows.map((r) => r.row).filter((r) => r.RunId === run.runId);
}

/** `Job Action Outcome Cluster` of rows, plus whether Reason is set. */
export const rowBrief = (rows: Array<Record<string, unknown>>): string[] =>
  rows.map((r) => `${String(r.Job)} ${String(r.Action)} ${String(r.Outcome)} ${String(r.Cluster)}`);
