import type { InvocationContext } from '@azure/functions';
import { COMMAND_QUEUE } from '../shared/commands/queue';
import { runCommandMessage } from '../shared/commands/worker';
import { depsFor } from '../shared/deps';
import { queueFunction } from '../shared/host/registry';

/**
 * `commandWorker`: carries out what the HTTP API and ChatOps accepted. A failure is retried
 * by the queue; after 5 tries the host moves the message to `day2-commands-poison` (`commandPoison`).
 */
export async function commandWorker(message: unknown, ctx: InvocationContext): Promise<void> {
  const dequeueCount = Number(ctx.triggerMetadata?.dequeueCount ?? 1);
  await runCommandMessage(depsFor(ctx), message, { dequeueCount });
}

queueFunction({
  name: 'commandWorker',
  queueName: COMMAND_QUEUE,
  connection: 'AzureWebJobsStorage',
  handler: commandWorker,
});
