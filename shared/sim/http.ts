/** Minimal request/response plumbing on Node's http(s) module: a router over path templates. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { ArmError } from './errors';
import type { RequestKind } from './throttle';

export interface SimRequest {
  method: string;
  /** Decoded path, without query. */
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  rawBody: Buffer;
  /** Parsed JSON body (undefined when empty). */
  body: unknown;
  params: Record<string, string>;
  /** `https://127.0.0.1:<port>`: every URL the simulator hands out is absolute on it. */
  origin: string;
}

export interface SimResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Handler = (req: SimRequest) => SimResponse | Promise<SimResponse>;

export interface Route {
  method: string;
  pattern: RegExp;
  keys: string[];
  /** ARM operationId (counters, faults), e.g. `ManagedClusters_Get`. */
  operation: string;
  kind: RequestKind;
  handler: Handler;
}

/** `template` uses `{name}` segments; matching is case-insensitive, as ARM's is. */
export function route(method: string, template: string, operation: string, handler: Handler): Route {
  const keys: string[] = [];
  const src = template
    .split('/')
    .map((seg) => {
      const m = /^\{(\w+)\}$/.exec(seg);
      if (m) {
        keys.push(m[1]!);
        return '([^/]+)';
      }
      return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  const kind: RequestKind = method === 'GET' ? 'reads' : method === 'DELETE' ? 'deletes' : 'writes';
  return { method, pattern: new RegExp(`^${src}/?$`, 'i'), keys, operation, kind, handler };
}

export function matchRoute(
  routes: Route[],
  method: string,
  path: string,
): { route: Route; params: Record<string, string> } | 'method' | undefined {
  let pathMatched = false;
  for (const r of routes) {
    const m = r.pattern.exec(path);
    if (!m) continue;
    pathMatched = true;
    if (r.method !== method) continue;
    const params: Record<string, string> = {};
    r.keys.forEach((k, i) => (params[k] = decodeURIComponent(m[i + 1]!)));
    return { route: r, params };
  }
  return pathMatched ? 'method' : undefined;
}

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const raw = Buffer.concat(chunks);
  const enc = String(req.headers['content-encoding'] ?? '').toLowerCase();
  return enc === 'gzip' && raw.length ? gunzipSync(raw) : raw;
}

export function parseJson(raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch (err) {
    throw new ArmError(
      400,
      'InvalidRequestContent',
      `The request content was invalid and could not be deserialized: ${(err as Error).message}`,
    );
  }
}

export function send(res: ServerResponse, r: SimResponse): void {
  const headers: Record<string, string> = { ...r.headers };
  let payload: string | undefined;
  if (r.body !== undefined && r.status !== 204) {
    payload = JSON.stringify(r.body);
    headers['content-type'] ??= 'application/json; charset=utf-8';
  }
  if (payload !== undefined) headers['content-length'] = String(Buffer.byteLength(payload));
  else if (r.status !== 204) headers['content-length'] = '0';
  res.writeHead(r.status, headers);
  res.end(payload);
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
