/** Helpers for the guard tests: a ChatOps stop/start as the command worker carries it out, and what it posted. */
import { newEnvelope } from '../../shared/commands/command';
import { COMMAND_HANDLERS } from '../../shared/commands/handlers';
import type { Deps } from '../../shared/deps';
import { simAdmin } from '../../shared/local/simAdmin';
import { newRunId } from '../../shared/records/newRunId';
import type { TestApp } from '../support/app';

/** Alice (operator) in the simulator's Teams channel. */
export const ALICE = 'teams:a11ce000-0000-4000-8000-00000000a001' as const;

/**
 * `@day2 stop|start CLUSTER` as the command worker carries it out once ChatOps queued it: the outcome is
 * reported as its own run (card + row). Returns that run's id.
 */
export async function chatopsPower(
  app: TestApp,
  action: 'stop' | 'start',
  cluster: string,
  deps: Deps = app.deps,
): Promise<string> {
  const reportAs = newRunId(app.sim.clock.now());
  const command = { kind: action, cluster, reportAs } as const;
  const env = newEnvelope(command, ALICE, app.sim.clock.now());
  if (command.kind === 'stop') await COMMAND_HANDLERS.stop(deps, { ...command, kind: 'stop' }, env);
  else await COMMAND_HANDLERS.start(deps, { ...command, kind: 'start' }, env);
  return reportAs;
}

/** The Log Analytics rows the simulator received for run `runId`. */
export async function rowsOfRun(app: TestApp, runId: string): Promise<Array<Record<string, unknown>>> {
  await app.deps.notifier.deliverPending();
  const { rows } = await simAdmin<{ rows: Array<{ row: Record<string, unknown> }> }>(app.sim, 'GET', '/logs');
  return rows.map((r) => r.row).filter((r) => r.RunId === runId);
}

/** The Teams card posted for run `runId`, as JSON text; undefined when none was posted. */
export async function cardOfRun(app: TestApp, runId: string): Promise<string | undefined> {
  await app.deps.notifier.deliverPending();
  const { posts } = await simAdmin<{ posts: Array<{ body: unknown }> }>(app.sim, 'GET', '/teams');
  return posts.map((p) => JSON.stringify(p.body)).find((p) => p.includes(runId));
}
