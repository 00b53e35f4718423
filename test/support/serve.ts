import { startServe, type ServeHandle } from '../../shared/local/serve/serve';
import type { AppRole } from '../../shared/http/principal';
import { startTestApp, type TestApp } from './app';

/** `aks-day2 serve` in this process on a fresh simulator and an Azurite of its own (handlers use the app's table names). */
export interface ServedApp {
  app: TestApp;
  serve: ServeHandle;
  /** `http://127.0.0.1:<port>/api` */
  api: string;
  /** What the functions logged. */
  logs: string[];
  close(): Promise<void>;
}

export async function startServedApp(
  opts: { easyAuth?: boolean; timers?: boolean; env?: Record<string, string>; startTime?: string } = {},
): Promise<ServedApp> {
  const saved = { ...process.env };
  const app = await startTestApp({
    isolatedStorage: true,
    startTime: opts.startTime ?? '2026-01-12T06:00:00Z',
    env: opts.env,
  });
  const logs: string[] = [];
  const log = {
    info: (m: string) => void logs.push(`info: ${m}`),
    warn: (m: string) => void logs.push(`warn: ${m}`),
    error: (m: string) => void logs.push(`error: ${m}`),
  };
  const serve = await startServe({
    port: 0,
    env: app.env,
    clock: { now: () => app.sim.clock.now() },
    log,
    easyAuth: opts.easyAuth,
    timers: opts.timers ?? false,
    queueRetryMs: 0,
    queueLeaseMs: 2_000,
  });
  app.sim.teamsChannel.url = `${serve.url}/api/chatops`;
  return {
    app,
    serve,
    api: `${serve.url}/api`,
    logs,
    async close() {
      await serve.close();
      await app.close();
      process.env = saved;
    },
  };
}

/** The four headers App Service authentication adds for a signed-in caller with these app roles. */
export function principalHeaders(
  id: string,
  roles: AppRole[],
  name = `${id}@contoso.example`,
): Record<string, string> {
  const principal = {
    auth_typ: 'aad',
    name_typ: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name',
    role_typ: 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role',
    claims: [
      { typ: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name', val: name },
      { typ: 'http://schemas.microsoft.com/identity/claims/objectidentifier', val: id },
      ...roles.map((r) => ({ typ: 'roles', val: r })),
    ],
  };
  return {
    'x-ms-client-principal': Buffer.from(JSON.stringify(principal)).toString('base64'),
    'x-ms-client-principal-id': id,
    'x-ms-client-principal-name': name,
    'x-ms-client-principal-idp': 'aad',
  };
}

export interface Answer {
  status: number;
  headers: Headers;
  body: unknown;
  text: string;
}

/** One real HTTP request; the body parsed when it is JSON. */
export async function call(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: unknown } = {},
): Promise<Answer> {
  const body =
    init.body === undefined
      ? undefined
      : typeof init.body === 'string'
        ? init.body
        : JSON.stringify(init.body);
  const res = await fetch(url, {
    method: init.method ?? (body === undefined ? 'GET' : 'POST'),
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...init.headers },
    body,
  });
  const text = await res.text();
  let parsed: unknown = undefined;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, body: parsed, text };
}
