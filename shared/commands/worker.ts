import { toDay2Error } from '../azure/azureError';
import type { Deps } from '../deps';
import type { ErrorCode } from '../errors';
import { Tables } from '../storage/tables';
import { describeCommand, EnvelopeSchema, type CommandEnvelope } from './command';
import { CommandFailureStore } from './failureStore';
import { COMMAND_HANDLERS, type CommandHandler } from './handlers';
import { MAX_DEQUEUE_COUNT, poisonQueueOf, COMMAND_QUEUE } from './queue';
import { reportCommandFailure } from './report';

/** Errors that another try cannot fix (bad input, unknown cluster or run, AKS refused): reported at once, not retried. */
const PERMANENT: ReadonlySet<ErrorCode> = new Set(['BadRequest', 'NotFound', 'Refused', 'TagInvalid']);

export interface MessageMeta {
  /** The trigger's `dequeueCount`: 1 on the first try. */
  dequeueCount: number;
}

export interface WorkerOptions {
  /** Table prefix (tests). */
  tablePrefix?: string;
  queueName?: string;
}

function parseMessage(message: unknown): { envelope: CommandEnvelope } | { raw: string; why: string } {
  let value = message;
  if (typeof message === 'string') {
    try {
      value = JSON.parse(message) as unknown;
    } catch {
      return { raw: message, why: 'the message is not JSON' };
    }
  }
  const r = EnvelopeSchema.safeParse(value);
  if (!r.success)
    return {
      raw: typeof message === 'string' ? message : JSON.stringify(message),
      why: r.error.issues.map((i) => `${i.path.join('.') || '(message)'}: ${i.message}`).join('; '),
    };
  return { envelope: r.data as CommandEnvelope };
}

/**
 * `commandWorker`: carries out one queued command. A message that is not a command, and a command that
 * fails for good (bad input, unknown cluster or run, AKS refused), is reported (card + row) and
 * consumed. Any other failure is recorded and rethrown, so the queue tries again; after 5 tries the
 * message goes to the poison queue, where `commandPoison` reports it.
 */
export async function runCommandMessage(
  deps: Deps,
  message: unknown,
  meta: MessageMeta,
  opts: WorkerOptions = {},
): Promise<void> {
  const parsed = parseMessage(message);
  if (!('envelope' in parsed)) {
    deps.log.error(`commandWorker: a message is not a command (${parsed.why}); reported, not retried`);
    await reportCommandFailure(deps, {
      raw: parsed.raw,
      reason: `a queued message is not a command this app knows (${parsed.why}); it was not carried out`,
    });
    return;
  }
  const env = parsed.envelope;
  const what = describeCommand(env.command);
  const failures = new CommandFailureStore(
    new Tables(deps.settings.storageConnectionString, opts.tablePrefix),
  );
  try {
    const handler = COMMAND_HANDLERS[env.command.kind] as CommandHandler<typeof env.command.kind>;
    await handler(deps, env.command, env);
    if (meta.dequeueCount > 1) await failures.clear(env.id);
    deps.log.info(`commandWorker: ${what} (for ${env.actor}) done`);
  } catch (err) {
    const e = toDay2Error(err, { operation: what, cluster: env.command.cluster });
    if (PERMANENT.has(e.code)) {
      deps.log.warn(`commandWorker: ${what} refused (${e.code}): ${e.message}`);
      await reportCommandFailure(deps, {
        envelope: env,
        reason: `${what}, asked by ${env.actor}, was not carried out: ${e.message}`,
        details: { errorCode: e.code },
      });
      await failures.clear(env.id);
      return;
    }
    await failures.record(env.id, meta.dequeueCount, `${e.code}: ${e.message}`, deps.clock.now());
    const queue = opts.queueName ?? COMMAND_QUEUE;
    deps.log.error(
      `commandWorker: ${what} failed on try ${meta.dequeueCount} of ${MAX_DEQUEUE_COUNT}` +
        `${meta.dequeueCount >= MAX_DEQUEUE_COUNT ? `; it goes to ${poisonQueueOf(queue)}` : '; it will be tried again'}: ${e.message}`,
    );
    throw e;
  }
}

/**
 * `commandPoison`: a command the worker failed 5 times. Reports it (card + row) with its last error,
 * so it is never silently dropped, and consumes it.
 */
export async function reportPoisonedCommand(
  deps: Deps,
  message: unknown,
  opts: WorkerOptions = {},
): Promise<void> {
  const queue = poisonQueueOf(opts.queueName ?? COMMAND_QUEUE);
  const parsed = parseMessage(message);
  if (!('envelope' in parsed)) {
    await reportCommandFailure(deps, {
      raw: parsed.raw,
      reason: `a message that is not a command reached ${queue} (${parsed.why}); it was not carried out`,
    });
    return;
  }
  const env = parsed.envelope;
  const failures = new CommandFailureStore(
    new Tables(deps.settings.storageConnectionString, opts.tablePrefix),
  );
  const last = await failures.get(env.id);
  const what = describeCommand(env.command);
  deps.log.error(`commandPoison: ${what} failed ${MAX_DEQUEUE_COUNT} times and was set aside`);
  await reportCommandFailure(deps, {
    envelope: env,
    reason:
      `${what}, asked by ${env.actor}, failed ${MAX_DEQUEUE_COUNT} times and was set aside in ${queue}; ` +
      `it was not carried out. Last error: ${last?.lastError ?? 'none recorded (the worker stopped during its last try)'}`,
    details: { poisonQueue: queue, attempts: last?.attempts ?? MAX_DEQUEUE_COUNT },
  });
  await failures.clear(env.id);
}
