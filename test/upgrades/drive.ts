/** Test support for upgrade runs: drive a run to its end on the simulator's clock; "processes" that die and restart. */
import { createDeps, type Deps } from '../../shared/deps';
import type { Logger } from '../../shared/log';
import { advanceRun, isTerminalRun, type UpgradeRun } from '../../shared/upgrades/api';
import { admin } from '../sim/simClient';
import type { TestApp } from '../support/app';
import { uniqueName } from '../support/storage';

/** A fresh process of the app on the same storage: new clients, new state store, the same tables. */
export function processOf(app: TestApp, tablePrefix: string, logs: string[] = []): Deps {
  const log: Logger = {
    info: (m) => void logs.push(`info: ${m}`),
    warn: (m) => void logs.push(`warn: ${m}`),
    error: (m) => void logs.push(`error: ${m}`),
  };
  return createDeps(app.settings, {
    log,
    clock: { now: () => app.sim.clock.now() },
    tuning: { retryDelayInMs: 20, maxRetryDelayInMs: 2000 },
    tablePrefix,
    notifier: { teamsPaceMs: 0, outbox: { backoff: { baseMs: 10, maxMs: 200 } } },
  });
}

export const newPrefix = (): string => uniqueName('u');

/**
 * Advances the run and the simulator's clock (10 virtual minutes a pass) until the run ends or waits for
 * approval. `deps()` is asked each pass, so a test can swap in a restarted process.
 */
export async function drive(
  app: TestApp,
  deps: () => Deps,
  id: string,
  opts: { maxPasses?: number; minutes?: number } = {},
): Promise<UpgradeRun> {
  let run: UpgradeRun | undefined;
  for (let i = 0; i < (opts.maxPasses ?? 40); i++) {
    run = await advanceRun(deps(), id);
    if (!run) throw new Error(`run ${id} not found`);
    if (isTerminalRun(run.state) || run.state === 'AwaitingApproval') return run;
    await admin(app.sim, 'POST', '/clock/advance', { minutes: opts.minutes ?? 10 });
  }
  throw new Error(
    `run ${id} did not end: ${JSON.stringify(run?.steps.map((s) => [s.kind, s.pool, s.status]))}`,
  );
}

export const stepsOf = (r: UpgradeRun): string[] =>
  r.steps.map(
    (s) =>
      `${s.kind}${s.pool ? ` ${s.pool}` : ''}${s.toVersion && s.kind !== 'pre-checks' ? ` ${s.toVersion}` : ''}: ${s.status}`,
  );

export async function teamsCards(app: TestApp): Promise<string[]> {
  const r = await admin<{ posts: Array<{ body: unknown }> }>(app.sim, 'GET', '/teams');
  return r.posts.map((p) => JSON.stringify(p.body));
}

export async function logRows(app: TestApp): Promise<Array<Record<string, unknown>>> {
  const r = await admin<{ rows: Array<{ row: Record<string, unknown> }> }>(app.sim, 'GET', '/logs');
  return r.rows.map((x) => x.row);
}
