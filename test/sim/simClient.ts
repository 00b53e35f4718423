/** Test helpers: a started simulator, the REAL Azure SDK clients pointed at it, and admin API calls. */
import https from 'node:https';
import { ContainerServiceClient } from '@azure/arm-containerservice';
import { startSimulator, type SimHandle, type SimOptions } from '../../shared/sim/server';

export const credential = {
  getToken: async () => ({ token: 'sim', expiresOnTimestamp: Date.now() + 3600_000 }),
};

export async function sim(opts: SimOptions = {}): Promise<SimHandle> {
  return startSimulator(opts);
}

export function aksClient(s: SimHandle, subscriptionId: string, retryDelayInMs = 20): ContainerServiceClient {
  return new ContainerServiceClient(credential, subscriptionId, {
    endpoint: s.arm,
    tlsOptions: { ca: s.caCert },
    retryOptions: { retryDelayInMs, maxRetryDelayInMs: 2000 },
  });
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  text: string;
}

/** A raw HTTPS call to the simulator (admin API, or ARM with `auth: true`). */
export function call(
  s: SimHandle,
  method: string,
  path: string,
  body?: unknown,
  opts: { auth?: boolean; headers?: Record<string, string> } = {},
): Promise<RawResponse> {
  const url = new URL(path.startsWith('http') ? path : `${s.arm}${path}`);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      {
        method,
        ca: s.caCert,
        headers: {
          ...(payload !== undefined
            ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) }
            : {}),
          ...(opts.auth ? { authorization: 'Bearer test' } : {}),
          ...opts.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = undefined;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            parsed = text;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: parsed, text });
        });
      },
    );
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

export async function admin<T = Record<string, unknown>>(
  s: SimHandle,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const r = await call(s, method, `/admin${path}`, body);
  if (r.status >= 400) throw new Error(`admin ${method} ${path} -> ${r.status}: ${r.text}`);
  return r.body as T;
}

export const SUB = {
  dev: '6f1c2a3b-4d5e-4f60-8a71-92b3c4d5e6f7',
  test: '8a2d3c4b-5e6f-4a70-9b81-a2c3d4e5f607',
  prod: 'c3e4f5a6-7b8c-4d9e-8f01-b2c3d4e5f6a8',
};

/** Rejection of a promise, for asserting on RestError fields. */
export async function rejectionOf(
  p: Promise<unknown>,
): Promise<{ statusCode?: number; code?: string; message: string }> {
  try {
    await p;
  } catch (err) {
    return err as { statusCode?: number; code?: string; message: string };
  }
  throw new Error('expected the call to fail, it succeeded');
}
