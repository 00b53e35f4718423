import { QueueClient } from '@azure/storage-queue';
import { Day2Error } from '../errors';

/** The queue `commandWorker` reads, and the one the Functions host moves a message to after 5 failed tries. */
export const COMMAND_QUEUE = 'day2-commands';
export const poisonQueueOf = (queue: string): string => `${queue}-poison`;
/** host.json `extensions.queues.maxDequeueCount`: tries, the first included, before the poison queue. */
export const MAX_DEQUEUE_COUNT = 5;

const created = new Map<string, Promise<QueueClient>>();

/** A client of queue `name`, created on first use (Azurite locally, AzureWebJobsStorage in Azure). */
export function queueClient(connectionString: string, name: string): Promise<QueueClient> {
  const key = `${connectionString}\u0000${name}`;
  let c = created.get(key);
  if (!c) {
    const client = new QueueClient(connectionString, name);
    c = client.createIfNotExists().then(
      () => client,
      (err: unknown) => {
        created.delete(key);
        throw new Day2Error('StorageFailed', `cannot create queue ${name}: ${(err as Error).message}`, {
          operation: 'create queue',
          cause: err,
        });
      },
    );
    created.set(key, c);
  }
  return c;
}

/**
 * Queue messages are base64 of the UTF-8 JSON, as the Functions queue trigger expects by default
 * (host.json `extensions.queues.messageEncoding` = `base64`).
 */
export const encodeMessage = (value: unknown): string =>
  Buffer.from(JSON.stringify(value), 'utf8').toString('base64');

export const decodeMessage = (text: string): string => Buffer.from(text, 'base64').toString('utf8');
