/** A local HTTP endpoint that records Event Grid deliveries (headers + parsed body), for tests. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Delivery {
  headers: http.IncomingHttpHeaders;
  body: unknown;
}

export interface EventReceiver {
  url: string;
  deliveries: Delivery[];
  /** Status to answer the next N requests with (default 200). */
  failNext(status: number, count: number): void;
  /** Resolves once `n` deliveries have been recorded (no deadline: the test's timeout bounds it). */
  received(n: number): Promise<Delivery[]>;
  close(): Promise<void>;
}

export async function startEventReceiver(): Promise<EventReceiver> {
  const deliveries: Delivery[] = [];
  const failures: number[] = [];
  const waiters: Array<{ n: number; resolve: (d: Delivery[]) => void }> = [];
  const wake = (): void => {
    for (const w of [...waiters])
      if (deliveries.length >= w.n) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(deliveries);
      }
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const fail = failures.shift();
      if (fail) {
        res.writeHead(fail).end();
        return;
      }
      deliveries.push({
        headers: req.headers,
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown,
      });
      res.writeHead(200).end();
      wake();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/api/events`,
    deliveries,
    failNext: (status, count) => failures.push(...Array.from({ length: count }, () => status)),
    received: (n) =>
      new Promise<Delivery[]>((resolve) => {
        waiters.push({ n, resolve });
        wake();
      }),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
