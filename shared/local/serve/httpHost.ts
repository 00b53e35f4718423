import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpRequest, HttpResponse, type HttpResponseInit } from '@azure/functions';
import { errorMessage } from '../../errors';
import type { HttpFunctionDefinition } from '../../host/registry';
import type { Logger } from '../../log';
import { fieldProblem, problemResponse, ProblemError } from '../../http/problem';
import { invocationContext } from './invocation';
import { matchRoute } from './routes';

export interface HttpHostOptions {
  port: number;
  functions: readonly HttpFunctionDefinition[];
  routePrefix: string;
  log: Logger;
  /** Largest body the host itself reads (the Functions host's limit is 100 MB; a local one needs less). */
  maxRequestBytes?: number;
}

export interface HttpHost {
  url: string;
  close(): Promise<void>;
}

function send(res: http.ServerResponse, status: number, headers: Headers, body: Uint8Array): void {
  const out: Record<string, string> = {};
  headers.forEach((v, k) => (out[k] = v));
  res.writeHead(status, out);
  res.end(body);
}

async function sendInit(res: http.ServerResponse, init: HttpResponseInit | HttpResponse): Promise<void> {
  const r = init instanceof HttpResponse ? init : new HttpResponse(init);
  send(res, r.status, r.headers, new Uint8Array(await r.arrayBuffer()));
}

function readBody(req: http.IncomingMessage, max: number): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) over = true;
      else chunks.push(c);
    });
    req.on('end', () => resolve(over ? 'too-large' : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * Serves HTTP functions as the Functions host does under `func start`: `/<routePrefix>/<route>`,
 * case-insensitive routes, the function's methods, no function key asked (local). Handlers get a real
 * HttpRequest and InvocationContext; what they return is sent as the host would send it. Requests no
 * function serves, and handler crashes, are answered with problem details.
 */
export function startHttpHost(opts: HttpHostOptions): Promise<HttpHost> {
  const max = opts.maxRequestBytes ?? 1024 * 1024;
  const prefix = `/${opts.routePrefix.replace(/^\/+|\/+$/g, '')}`;
  let port = 0;
  const server = http.createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => {
      opts.log.error(`serve: ${req.method ?? '?'} ${req.url ?? '?'} failed: ${errorMessage(err)}`);
      if (!res.headersSent) {
        const p = fieldProblem('internal', 'path', 'path', 'the local host failed to answer');
        void sendInit(res, problemResponse(p));
      } else res.destroy();
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    let url: URL;
    try {
      // Concatenated, not resolved: a path such as `//x` is a path here, not a host.
      url = new URL(`http://127.0.0.1:${port}${req.url ?? '/'}`);
    } catch {
      req.resume();
      const p = fieldProblem('invalid-request', 'path', 'path', 'the request target is not a valid path');
      return sendInit(res, problemResponse(p));
    }
    const path = url.pathname;
    const below =
      path.toLowerCase() === prefix || path.toLowerCase().startsWith(`${prefix}/`)
        ? path.slice(prefix.length)
        : undefined;
    const found = below === undefined ? { methodMismatch: false } : matchRoute(opts.functions, method, below);
    if (!found.match) {
      req.resume();
      const p = fieldProblem(
        'not-found',
        'path',
        'path',
        found.methodMismatch
          ? `no function serves ${method} on ${path.slice(0, 200)}`
          : `no function serves ${path.slice(0, 200)}`,
      );
      return sendInit(res, problemResponse(p, path.slice(0, 200)));
    }
    const body = await readBody(req, max);
    if (body === 'too-large') {
      const p = fieldProblem('payload-too-large', 'body', '(body)', `the body is larger than ${max} bytes`);
      return sendInit(res, problemResponse(p));
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
    }
    let request: HttpRequest;
    try {
      request = new HttpRequest({
        method,
        url: url.toString(),
        headers,
        params: found.match.params,
        body: { bytes: body },
      });
    } catch (err) {
      const p = new ProblemError('invalid-request', `the request cannot be read: ${errorMessage(err)}`, [
        { in: 'header', field: '(headers)', detail: errorMessage(err) },
      ]);
      return sendInit(res, problemResponse(p));
    }
    const def = found.match.def;
    const ctx = invocationContext(def.name, opts.log);
    let result: HttpResponseInit | HttpResponse | void;
    try {
      result = await def.handler(request, ctx);
    } catch (err) {
      opts.log.error(`serve: function ${def.name} threw: ${errorMessage(err)}`);
      const p = fieldProblem('internal', 'path', 'path', `function ${def.name} failed`);
      return sendInit(res, problemResponse(p));
    }
    await sendInit(res, result ?? {});
  }

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', () => {
      server.off('error', reject);
      port = (server.address() as AddressInfo).port;
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
