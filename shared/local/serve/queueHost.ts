import type { QueueClient } from '@azure/storage-queue';
import { queueClient } from '../../commands/queue';
import { errorMessage } from '../../errors';
import type { QueueFunctionDefinition } from '../../host/registry';
import type { Logger } from '../../log';
import type { HostConfig } from './hostConfig';
import { invocationContext } from './invocation';

export interface QueueHostOptions {
  functions: readonly QueueFunctionDefinition[];
  /** App settings: each function's `connection` names one. */
  env: Record<string, string | undefined>;
  config: HostConfig['queues'];
  log: Logger;
  /** How long a message being processed stays invisible; renewed while it runs (a crashed host's message comes back after it). */
  leaseMs?: number;
  /** Pause between polls of an empty queue. */
  pollMs?: number;
}

export interface QueueHost {
  /** Polls every queue once and runs what it received; resolves when those invocations ended. */
  drain(): Promise<number>;
  close(): Promise<void>;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Runs queue-triggered functions as the Functions host does: receive a batch, run the function once per
 * message with `dequeueCount` in the trigger metadata, delete it on success, make it visible again
 * after `visibilityTimeout` on failure, and move it to `<queue>-poison` once it failed
 * `maxDequeueCount` times (or arrives having been dequeued more often than that).
 */
export function startQueueHost(opts: QueueHostOptions): QueueHost {
  const leaseMs = opts.leaseMs ?? 30_000;
  const pollMs = opts.pollMs ?? 200;
  let stopped = false;
  const running = new Set<Promise<unknown>>();

  async function toPoison(
    q: QueueClient,
    def: QueueFunctionDefinition,
    m: { messageId: string; popReceipt: string; messageText: string },
  ): Promise<void> {
    const poison = await queueClient(connection(def), `${def.queueName}-poison`);
    await poison.sendMessage(m.messageText);
    await q.deleteMessage(m.messageId, m.popReceipt);
    opts.log.warn(`[${def.name}] message ${m.messageId} moved to ${def.queueName}-poison`);
  }

  function connection(def: QueueFunctionDefinition): string {
    const cs = opts.env[def.connection];
    if (!cs) throw new Error(`app setting ${def.connection} (connection of ${def.name}) is not set`);
    return cs;
  }

  function decode(text: string): unknown {
    const raw =
      opts.config.messageEncoding === 'base64' ? Buffer.from(text, 'base64').toString('utf8') : text;
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      return raw;
    }
  }

  async function runOne(
    q: QueueClient,
    def: QueueFunctionDefinition,
    m: {
      messageId: string;
      popReceipt: string;
      messageText: string;
      dequeueCount: number;
      insertedOn: Date;
      expiresOn: Date;
    },
  ): Promise<void> {
    if (m.dequeueCount > opts.config.maxDequeueCount) return toPoison(q, def, m);
    let receipt = m.popReceipt;
    const renew = setInterval(() => {
      void q
        .updateMessage(m.messageId, receipt, undefined, Math.ceil(leaseMs / 1000))
        .then((r) => (receipt = r.popReceipt ?? receipt))
        .catch(() => undefined);
    }, leaseMs / 2);
    try {
      await def.handler(
        decode(m.messageText),
        invocationContext(def.name, opts.log, {
          id: m.messageId,
          dequeueCount: m.dequeueCount,
          insertionTime: m.insertedOn.toISOString(),
          expirationTime: m.expiresOn.toISOString(),
          popReceipt: receipt,
        }),
      );
      clearInterval(renew);
      await q.deleteMessage(m.messageId, receipt);
    } catch (err) {
      clearInterval(renew);
      opts.log.warn(`[${def.name}] try ${m.dequeueCount} failed: ${errorMessage(err)}`);
      if (m.dequeueCount >= opts.config.maxDequeueCount)
        return toPoison(q, def, { ...m, popReceipt: receipt });
      await q.updateMessage(
        m.messageId,
        receipt,
        undefined,
        Math.ceil(opts.config.visibilityTimeoutMs / 1000),
      );
    }
  }

  async function pollOnce(def: QueueFunctionDefinition): Promise<number> {
    const q = await queueClient(connection(def), def.queueName);
    const r = await q.receiveMessages({
      numberOfMessages: Math.min(32, Math.max(1, opts.config.batchSize)),
      visibilityTimeout: Math.ceil(leaseMs / 1000),
    });
    const items = r.receivedMessageItems;
    await Promise.all(
      items.map((m) => {
        const p = runOne(q, def, m).catch((err: unknown) =>
          opts.log.error(`[${def.name}] message ${m.messageId}: ${errorMessage(err)}`),
        );
        running.add(p);
        return p.finally(() => running.delete(p));
      }),
    );
    return items.length;
  }

  async function drain(): Promise<number> {
    let n = 0;
    for (const def of opts.functions) n += await pollOnce(def);
    return n;
  }

  const loops = opts.functions.map(async (def) => {
    while (!stopped) {
      let got = 0;
      try {
        got = await pollOnce(def);
      } catch (err) {
        opts.log.error(`[${def.name}] cannot read queue ${def.queueName}: ${errorMessage(err)}`);
      }
      if (got === 0 && !stopped) await sleep(pollMs);
    }
  });

  return {
    drain,
    async close() {
      stopped = true;
      await Promise.all(loops);
      await Promise.all([...running]);
    },
  };
}
