import {
  app,
  type EventGridHandler,
  type HttpHandler,
  type HttpMethod,
  type StorageQueueHandler,
  type TimerHandler,
} from '@azure/functions';

/**
 * The app's functions, as registered with the Functions host. `functions/*.ts` register through these
 * helpers, which call `app.http` / `app.timer` / `app.storageQueue` and also keep the definition, so
 * that `aks-day2 serve` can host the very same handlers on the same routes, schedules and queues
 * (outside the Functions host, `@azure/functions` registers nothing: it is in test mode).
 */
export interface HttpFunctionDefinition {
  name: string;
  methods: HttpMethod[];
  /** Route template under the route prefix (`/api`), e.g. `upgrades/{id}/cancel`. */
  route: string;
  authLevel: 'anonymous' | 'function' | 'admin';
  handler: HttpHandler;
}

export interface TimerFunctionDefinition {
  name: string;
  /** Six-field NCRONTAB, or `%SETTING%` naming an app setting that holds one. */
  schedule: string;
  handler: TimerHandler;
}

export interface QueueFunctionDefinition {
  name: string;
  queueName: string;
  /** App setting holding the storage connection string. */
  connection: string;
  handler: StorageQueueHandler;
}

/**
 * True inside the Functions worker, which provides `@azure/functions-core` (the check
 * `@azure/functions` makes itself). Elsewhere the library is in test mode, registers nothing and
 * warns on every call, so registrations are only recorded here (`aks-day2 serve`, tests, the demo).
 */
function underFunctionsHost(): boolean {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a module only the Functions worker provides
    require('@azure/functions-core');
    return true;
  } catch {
    return false;
  }
}
const HOSTED = underFunctionsHost();

const http: HttpFunctionDefinition[] = [];
const timers: TimerFunctionDefinition[] = [];
const queues: QueueFunctionDefinition[] = [];

function once<T extends { name: string }>(list: T[], def: T): void {
  if (list.some((d) => d.name === def.name)) throw new Error(`function ${def.name} is registered twice`);
  list.push(def);
}

export function httpFunction(def: HttpFunctionDefinition): void {
  once(http, def);
  if (!HOSTED) return;
  app.http(def.name, {
    methods: def.methods,
    route: def.route,
    authLevel: def.authLevel,
    handler: def.handler,
  });
}

export function timerFunction(def: TimerFunctionDefinition): void {
  once(timers, def);
  if (!HOSTED) return;
  app.timer(def.name, { schedule: def.schedule, handler: def.handler });
}

export function queueFunction(def: QueueFunctionDefinition): void {
  once(queues, def);
  if (!HOSTED) return;
  app.storageQueue(def.name, { queueName: def.queueName, connection: def.connection, handler: def.handler });
}

/** An Event Grid function: registered with the Functions host only (a local host delivers no Event Grid events). */
export function eventGridFunction(def: { name: string; handler: EventGridHandler }): void {
  if (!HOSTED) return;
  app.eventGrid(def.name, { handler: def.handler });
}

/** What the files of `functions/` registered so far (load them first). */
export function registeredFunctions(): {
  http: readonly HttpFunctionDefinition[];
  timers: readonly TimerFunctionDefinition[];
  queues: readonly QueueFunctionDefinition[];
} {
  return { http, timers, queues };
}
