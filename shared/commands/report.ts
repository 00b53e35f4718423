import type { Deps } from '../deps';
import { parseClusterId, type ClusterRef } from '../fleet/cluster';
import { newRunId } from '../records/newRunId';
import type { Actor, JobName, RunRecord } from '../records/outcome';
import { describeCommand, type CommandEnvelope, type CommandKind } from './command';

/** The job a command's records are filed under. */
const JOB_OF: Record<CommandKind, JobName> = {
  upgrade: 'upgrade',
  approve: 'upgrade',
  cancel: 'upgrade',
  snooze: 'power-schedule',
  stop: 'power-schedule',
  start: 'power-schedule',
};

function clusterRef(hint: string | undefined): ClusterRef {
  if (!hint) return { id: '', name: '(not named)', subscriptionId: '', resourceGroup: '' };
  return parseClusterId(hint) ?? { id: '', name: hint, subscriptionId: '', resourceGroup: '' };
}

/**
 * Reports a command that will not be carried out (card + Log Analytics row, through the outbox): a
 * message that is not a command, a command refused for good, or one that failed on every try and was
 * set aside in the poison queue.
 */
export async function reportCommandFailure(
  deps: Pick<Deps, 'notifier' | 'clock'>,
  what: { envelope?: CommandEnvelope; raw?: string; reason: string; details?: Record<string, unknown> },
): Promise<void> {
  const now = deps.clock.now();
  const env = what.envelope;
  const actor: Actor = env?.actor ?? 'timer';
  const run: RunRecord = {
    runId: newRunId(now),
    job: env ? JOB_OF[env.command.kind] : 'upgrade',
    actor,
    startedAt: now,
    endedAt: now,
    dryRun: false,
    outcomes: [
      {
        action: 'command',
        outcome: 'Failed',
        cluster: clusterRef(env?.command.cluster),
        reason: what.reason,
        at: now,
        details: {
          ...(env
            ? {
                command: describeCommand(env.command),
                commandId: env.id,
                requestedAt: env.requestedAt,
              }
            : { message: (what.raw ?? '').slice(0, 500) }),
          ...what.details,
        },
      },
    ],
  };
  await deps.notifier.report(run);
}
