import { systemClock, type Clock } from '../../clock';
import { loadSettings } from '../../config/settings';
import { setHostClock } from '../../deps';
import { registeredFunctions } from '../../host/registry';
import type { Logger } from '../../log';
import { loadFunctionFiles, readHostConfig } from './hostConfig';
import { startHttpHost } from './httpHost';
import { startQueueHost, type QueueHost } from './queueHost';
import { startTimerHost, type TimerHost } from './timerHost';

export interface ServeOptions {
  /** 0 = a free port. */
  port: number;
  /** App settings for the functions (merged into process.env, where the handlers read them). */
  env: Record<string, string>;
  /** The clock of the timers and of every invocation (the simulator's with `--sim`). */
  clock?: Clock;
  log: Logger;
  /** App Service authentication on: callers are named by `x-ms-client-principal` (sent by the caller locally). */
  easyAuth?: boolean;
  /** Run timer functions (default true); a list runs only those. */
  timers?: boolean | string[];
  /** Run queue functions (default true). */
  queues?: boolean;
  /** How long a message being processed stays invisible (default 30 s). */
  queueLeaseMs?: number;
  /** Gap before a failed message is tried again (default: host.json `visibilityTimeout`). */
  queueRetryMs?: number;
}

export interface ServeHandle {
  /** `http://127.0.0.1:<port>`; the API is under `${url}/api`. */
  url: string;
  functions: { http: string[]; timers: string[]; queues: string[] };
  timers?: TimerHost;
  queues?: QueueHost;
  close(): Promise<void>;
}

/**
 * `aks-day2 serve`: the app's functions outside the Functions host. It loads every file of
 * `functions/` (as the host loads `dist/functions/*.js`), serves the HTTP functions on the routes
 * `func start` uses (`/api/...`, no function key locally), runs the queue functions on their queues
 * (dequeue count, retries, poison queue as host.json says) and the timer functions on the clock.
 */
export async function startServe(opts: ServeOptions): Promise<ServeHandle> {
  Object.assign(process.env, opts.env, opts.easyAuth ? { WEBSITE_AUTH_ENABLED: 'true' } : {});
  if (!opts.easyAuth && opts.env.WEBSITE_AUTH_ENABLED === undefined) delete process.env.WEBSITE_AUTH_ENABLED;
  loadSettings(process.env); // a bad setting stops start-up with one message, as in Azure
  const clock = opts.clock ?? systemClock;
  setHostClock(clock);
  const config = readHostConfig();
  loadFunctionFiles();
  const defs = registeredFunctions();
  const http = await startHttpHost({
    port: opts.port,
    functions: defs.http,
    routePrefix: config.routePrefix,
    log: opts.log,
  });
  const queues =
    opts.queues === false
      ? undefined
      : startQueueHost({
          functions: defs.queues,
          env: process.env,
          config: {
            ...config.queues,
            ...(opts.queueRetryMs !== undefined ? { visibilityTimeoutMs: opts.queueRetryMs } : {}),
          },
          log: opts.log,
          leaseMs: opts.queueLeaseMs,
        });
  const timers =
    opts.timers === false
      ? undefined
      : startTimerHost({
          functions: Array.isArray(opts.timers)
            ? defs.timers.filter((d) => (opts.timers as string[]).includes(d.name))
            : defs.timers,
          env: process.env,
          clock,
          log: opts.log,
        });
  return {
    url: http.url,
    functions: {
      http: defs.http.map((d) => d.name),
      timers: defs.timers.map((d) => d.name),
      queues: defs.queues.map((d) => d.name),
    },
    timers,
    queues,
    async close() {
      await http.close();
      await queues?.close();
      await timers?.close();
      setHostClock(systemClock);
    },
  };
}
