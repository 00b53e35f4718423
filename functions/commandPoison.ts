import type { InvocationContext } from '@azure/functions';
import { COMMAND_QUEUE, poisonQueueOf } from '../shared/commands/queue';
import { reportPoisonedCommand } from '../shared/commands/worker';
import { depsFor } from '../shared/deps';
import { queueFunction } from '../shared/host/registry';

/** A command `commandWorker` failed 5 times: reported (Teams card + Log Analytics row), never silently dropped. */
export async function commandPoison(message: unknown, ctx: InvocationContext): Promise<void> {
  await reportPoisonedCommand(depsFor(ctx), message);
}

queueFunction({
  name: 'commandPoison',
  queueName: poisonQueueOf(COMMAND_QUEUE),
  connection: 'AzureWebJobsStorage',
  handler: commandPoison,
});
