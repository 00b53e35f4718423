import type { Deps } from '../deps';
import { Day2Error, errorMessage } from '../errors';
import type { Actor } from '../records/outcome';
import { newEnvelope, type CommandEnvelope, type Day2Command } from './command';
import { COMMAND_QUEUE, encodeMessage, queueClient } from './queue';

/**
 * Hands a command to `commandWorker` (HTTP and ChatOps accept, the worker carries out). Resolves once
 * the queue holds it; the envelope's id follows the message (to the poison queue, if it comes to that).
 */
export async function enqueueCommand(
  deps: Pick<Deps, 'settings' | 'clock'>,
  command: Day2Command,
  actor: Actor,
  queueName = COMMAND_QUEUE,
): Promise<CommandEnvelope> {
  const envelope = newEnvelope(command, actor, deps.clock.now());
  const q = await queueClient(deps.settings.storageConnectionString, queueName);
  try {
    await q.sendMessage(encodeMessage(envelope));
  } catch (err) {
    throw new Day2Error('StorageFailed', `cannot enqueue ${command.kind}: ${errorMessage(err)}`, {
      operation: `enqueue ${command.kind}`,
      cause: err,
    });
  }
  return envelope;
}
