import type { Deps } from '../deps';
import { Day2Error } from '../errors';
import { findCluster } from '../power/findCluster';
import { powerNow } from '../power/powerNow';
import { snoozeCluster } from '../power/snoozeCluster';
import type { OutcomeRecord } from '../records/outcome';
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
    if (c.reportAs) {
      const cluster = await findCluster(deps.azure, deps.settings.subscriptions, c.cluster, deps.log);
      await reportAs(deps, c.reportAs, env, {
        action: 'snooze',
        outcome: 'Succeeded',
        cluster,
        reason: text,
        at: deps.clock.now(),
      });
    }
  },
  stop: async (deps, c, env) => power(deps, 'stop', c.cluster, c.reportAs, env),
  start: async (deps, c, env) => power(deps, 'start', c.cluster, c.reportAs, env),
};

/** A command's outcome as a run of its own (card through the outbox, row), under the id the requester was given. */
async function reportAs(deps: Deps, runId: string, env: CommandEnvelope, o: OutcomeRecord): Promise<void> {
  await deps.notifier.report({
    runId,
    job: 'power-schedule',
    actor: env.actor,
    startedAt: new Date(env.requestedAt),
    endedAt: deps.clock.now(),
    dryRun: false,
    outcomes: [o],
    // The requester was told a run id: its card comes whatever the outcome (a skip included).
    alwaysReport: true,
  });
}

async function power(
  deps: Deps,
  action: 'stop' | 'start',
  clusterText: string,
  runId: string,
  env: CommandEnvelope,
): Promise<void> {
  const cluster = await findCluster(deps.azure, deps.settings.subscriptions, clusterText, deps.log);
  const o = await powerNow(deps, { action, cluster, actor: env.actor, runId });
  await reportAs(deps, runId, env, o);
}
