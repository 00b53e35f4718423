import type { Deps } from '../deps';
import { Day2Error } from '../errors';
import { snoozeCluster } from '../power/snoozeCluster';
import { advanceRun, approveRun, cancelRun, getRun, UpgradeError } from '../upgrades/api';
import type { CommandEnvelope, CommandKind, Day2Command } from './command';

export type CommandHandler<K extends CommandKind> = (
  deps: Deps,
  command: Extract<Day2Command, { kind: K }>,
  envelope: CommandEnvelope,
) => Promise<void>;

const unknownRun = (runId: string): Day2Error =>
  new Day2Error('NotFound', `no upgrade run ${runId}`, { operation: 'upgrade' });

/**
 * A refusal of the engine that another try cannot change (the run ended, is not awaiting approval, four
 * eyes) is permanent: reported once, not retried. A repeat of a message already carried out (queues
 * deliver at least once) is not a refusal: nothing is left to do.
 */
async function permanent(
  deps: Deps,
  runId: string,
  err: unknown,
  alreadyDone: (actor: string | undefined) => boolean,
  actor: string,
): Promise<void> {
  if (!(err instanceof UpgradeError)) throw err;
  if (err.kind === 'run-ended' || err.kind === 'not-awaiting-approval' || err.kind === 'four-eyes') {
    const run = await getRun(deps, runId);
    if (run && alreadyDone(actor)) return;
    throw new Day2Error('Refused', err.message, {
      cluster: run?.cluster.id,
      operation: 'upgrade',
      cause: err,
    });
  }
  throw err;
}

/** One handler per command kind (the compiler asks for a new kind's handler here). */
export const COMMAND_HANDLERS: { [K in CommandKind]: CommandHandler<K> } = {
  upgrade: async (deps, c) => {
    const run = await advanceRun(deps, c.runId);
    if (!run) throw unknownRun(c.runId);
    deps.log.info(`commandWorker: run ${run.id} on ${run.cluster.name} is ${run.state}`);
  },
  approve: async (deps, c, env) => {
    try {
      await approveRun(deps, c.runId, env.actor);
    } catch (err) {
      const run = await getRun(deps, c.runId);
      await permanent(deps, c.runId, err, (a) => run?.approvedBy === a, env.actor);
    }
  },
  cancel: async (deps, c, env) => {
    try {
      await cancelRun(deps, c.runId, env.actor);
    } catch (err) {
      const run = await getRun(deps, c.runId);
      await permanent(deps, c.runId, err, (a) => run?.cancelledBy === a, env.actor);
    }
  },
  snooze: async (deps, c, env) => {
    const text = await snoozeCluster(deps, {
      cluster: c.cluster,
      until: c.until,
      for: c.for,
      actor: env.actor,
    });
    deps.log.info(`commandWorker: ${text}`);
  },
};
