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

/**
 * An engine refusal that another try cannot change (the run ended, is not awaiting approval, four
 * eyes) becomes permanent (`Refused`: reported once, not retried), unless the message is a repeat of
 * one already carried out by the same person (queues deliver at least once): then nothing is left to do.
 */
async function settleRefusal(
  deps: Deps,
  runId: string,
  err: unknown,
  alreadyDone: (run: NonNullable<Awaited<ReturnType<typeof getRun>>>) => boolean,
): Promise<void> {
  if (
    !(err instanceof UpgradeError) ||
    !(err.kind === 'run-ended' || err.kind === 'not-awaiting-approval' || err.kind === 'four-eyes')
  )
    throw err;
  const run = await getRun(deps, runId);
  if (run && alreadyDone(run)) return;
  throw new Day2Error('Refused', err.message, { cluster: run?.cluster.id, operation: 'upgrade', cause: err });
}

/** One handler per command kind (the compiler asks for a new kind's handler here). */
export const COMMAND_HANDLERS: { [K in CommandKind]: CommandHandler<K> } = {
  upgrade: async (deps, c) => {
    const run = await advanceRun(deps, c.runId);
    if (!run) throw new Day2Error('NotFound', `no upgrade run ${c.runId}`, { operation: 'upgrade' });
    deps.log.info(`commandWorker: run ${run.id} on ${run.cluster.name} is ${run.state}`);
  },
  approve: async (deps, c, env) => {
    try {
      await approveRun(deps, c.runId, env.actor);
    } catch (err) {
      await settleRefusal(deps, c.runId, err, (run) => run.approvedBy === env.actor);
    }
  },
  cancel: async (deps, c, env) => {
    try {
      await cancelRun(deps, c.runId, env.actor);
    } catch (err) {
      await settleRefusal(deps, c.runId, err, (run) => run.cancelledBy === env.actor);
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
