/** Test support: the simulator's Event Grid deliveries handed to the real `aksEvents` handler, as the Functions host would. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { InvocationContext } from '@azure/functions';
import { aksEventsHandler } from '../../functions/aksEvents';
import type { Deps } from '../../shared/deps';
import { loggerFromContext } from '../../shared/log';

export interface EventBridge {
  url: string;
  /** Events handed to the handler, in delivery order (type + id). */
  delivered: Array<{ type: string; id: string }>;
  /** What the handler logged through its InvocationContext (as `<level>: <message>`). */
  logs: string[];
  close(): Promise<void>;
}

export function invocationContext(logs: string[]): InvocationContext {
  return new InvocationContext({
    functionName: 'aksEvents',
    invocationId: `test-${Math.random().toString(16).slice(2)}`,
    logHandler: (level, ...args) => void logs.push(`${level}: ${args.map(String).join(' ')}`),
  });
}

/** Starts a local endpoint; point the simulator at `url` (`POST /admin/eventgrid`). */
export async function startEventBridge(deps: Deps): Promise<EventBridge> {
  const delivered: EventBridge['delivered'] = [];
  const logs: string[] = [];
  const handler = aksEventsHandler((ctx) => ({ ...deps, log: loggerFromContext(ctx) }));
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
        // Event Grid schema arrives as a one-element array; the Functions host hands the handler one event.
        for (const event of Array.isArray(body) ? body : [body]) {
          const e = event as { eventType?: string; type?: string; id: string };
          delivered.push({ type: e.eventType ?? e.type ?? '?', id: e.id });
          await handler(event, invocationContext(logs));
        }
        res.writeHead(200).end();
      })().catch((err: unknown) => {
        logs.push(`bridge error: ${String(err)}`);
        res.writeHead(500).end();
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/api/events`,
    delivered,
    logs,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
