/** Helpers for node-image, events and sweeper tests: demo-fleet variants and readers of the app's state. */
import { demoFleet } from '../../shared/sim/fleet/demoFleet';
import type { FleetFile } from '../../shared/sim/fleet/schema';
import type { OutcomeRecord, RunRecord } from '../../shared/records/outcome';
import type { OperationRecord } from '../../shared/state/operationStore';
import { admin } from '../sim/simClient';
import { startTestApp, type TestApp } from '../support/app';

export const LATEST_UBUNTU = 'AKSUbuntu-2204gen2containerd-202610.07.0';
/** A Thursday. */
export const THURSDAY = '2026-01-15T06:00:00Z';

/** The demo fleet on THURSDAY, clock paused, with a maintenance window open 00:00-23:59 UTC (DAY2_MAINTENANCE_WINDOW). */
export function startWindowOpenApp(): Promise<TestApp> {
  return startTestApp({
    speed: 0,
    startTime: THURSDAY,
    env: { DAY2_MAINTENANCE_WINDOW: 'daily 00:00-23:59' },
  });
}

type Cluster = NonNullable<
  NonNullable<FleetFile['subscriptions'][number]['resourceGroups']>[number]['clusters']
>[number];

/** The demo fleet with some clusters changed. */
export function demoFleetWith(change: Record<string, (c: Cluster) => void>): FleetFile {
  const fleet = demoFleet();
  for (const s of fleet.subscriptions)
    for (const g of s.resourceGroups ?? []) for (const c of g.clusters ?? []) change[c.name]?.(c);
  return fleet;
}

/**
 * The demo fleet for a ring wave: the stopped ring-0 cluster only reported (`notify`), so ring 0 is
 * aks-dev-weu-01 alone, ring 1 aks-test-weu-01 (whose `payments` pool is held by a PDB), ring 2 aks-prod-weu-01.
 */
export function waveFleet(): FleetFile {
  return demoFleetWith({
    'aks-dev-eus-01': (c) => void (c.tags = { ...c.tags, 'day2-node-image': 'notify' }),
  });
}

export function outcomesOf(run: RunRecord, cluster: string, pool?: string): OutcomeRecord[] {
  return run.outcomes.filter(
    (o) => o.cluster.name === cluster && (pool === undefined || o.nodePool === pool),
  );
}

export function one(run: RunRecord, cluster: string, pool: string): OutcomeRecord {
  const found = outcomesOf(run, cluster, pool);
  if (found.length !== 1)
    throw new Error(
      `expected one outcome for ${cluster}/${pool}, got ${found.length}: ${JSON.stringify(run.outcomes.map((o) => `${o.cluster.name}/${o.nodePool}`))}`,
    );
  return found[0]!;
}

export async function nodeImageOps(app: TestApp): Promise<OperationRecord[]> {
  return app.deps.state.operations.history({ job: 'node-image' });
}

export async function advance(app: TestApp, minutes: number): Promise<void> {
  await admin(app.sim, 'POST', '/clock/advance', { minutes });
  await admin(app.sim, 'POST', '/eventgrid/flush');
}

export async function setClock(app: TestApp, time: string): Promise<void> {
  await admin(app.sim, 'POST', '/clock/set', { time });
}

export async function teamsCards(app: TestApp): Promise<string[]> {
  const r = await admin<{ posts: Array<{ body: unknown }> }>(app.sim, 'GET', '/teams');
  return r.posts.map((p) => JSON.stringify(p.body));
}

export async function logRows(app: TestApp): Promise<Array<Record<string, unknown>>> {
  const r = await admin<{ rows: Array<{ row: Record<string, unknown> }> }>(app.sim, 'GET', '/logs');
  return r.rows.map((x) => x.row);
}

export async function armCalls(app: TestApp, operation: string): Promise<number> {
  const r = await admin<{ byOperation: Record<string, number> }>(app.sim, 'GET', '/counters');
  return r.byOperation[operation] ?? 0;
}
