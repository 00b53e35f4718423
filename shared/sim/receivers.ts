/**
 * Receivers that record what they were sent, readable through the admin API: a Teams Workflows
 * webhook (`POST /teams/...`, 202) and the Logs Ingestion API
 * (`POST /logs/dataCollectionRules/{ruleId}/streams/{stream}`, gzip bodies, 204). Both can be told to
 * fail the next K requests with a status (and `Retry-After`).
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { SimRequest, SimResponse } from './http';

export interface InjectedFailure {
  status: number;
  remaining: number;
  retryAfterSeconds?: number;
}

export interface TeamsPost {
  at: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

export interface LogRow {
  at: string;
  ruleId: string;
  stream: string;
  row: unknown;
}

class FailureQueue {
  private queue: InjectedFailure[] = [];
  rejected = 0;

  inject(status: number, count: number, retryAfterSeconds?: number): void {
    if (!Number.isInteger(status) || status < 400 || status > 599)
      throw new Error(`status must be an HTTP error status 400-599 (got ${String(status)})`);
    if (!Number.isInteger(count) || count < 1)
      throw new Error(`count must be an integer >= 1 (got ${String(count)})`);
    this.queue.push({ status, remaining: count, retryAfterSeconds });
  }

  take(): SimResponse | undefined {
    const f = this.queue[0];
    if (!f) return undefined;
    f.remaining--;
    if (f.remaining <= 0) this.queue.shift();
    this.rejected++;
    return {
      status: f.status,
      headers: f.retryAfterSeconds !== undefined ? { 'retry-after': String(f.retryAfterSeconds) } : {},
      body: {
        error: {
          code: f.status === 429 ? 'TooManyRequests' : 'ServiceUnavailable',
          message: `Injected failure: ${f.status}`,
        },
      },
    };
  }

  list(): InjectedFailure[] {
    return this.queue.map((f) => ({ ...f }));
  }

  clear(): void {
    this.queue = [];
  }
}

export class TeamsReceiver {
  readonly posts: TeamsPost[] = [];
  readonly failures = new FailureQueue();

  constructor(private readonly now: () => number) {}

  handle(req: SimRequest): SimResponse {
    const fail = this.failures.take();
    if (fail) return fail;
    if (req.method !== 'POST')
      return { status: 405, body: { error: { code: 'MethodNotAllowed', message: 'POST only' } } };
    this.posts.push({
      at: new Date(this.now()).toISOString(),
      path: req.path,
      headers: { ...req.headers },
      body: req.body,
    });
    return { status: 202 };
  }

  clear(): void {
    this.posts.length = 0;
  }
}

export class LogsReceiver {
  readonly rows: LogRow[] = [];
  readonly failures = new FailureQueue();
  requests = 0;

  constructor(private readonly now: () => number) {}

  handle(req: SimRequest): SimResponse {
    const m = /^\/logs\/dataCollectionRules\/([^/]+)\/streams\/([^/]+)\/?$/i.exec(req.path);
    if (!m || req.method !== 'POST') {
      return {
        status: 404,
        body: {
          error: {
            code: 'NotFound',
            message: 'Expected POST /logs/dataCollectionRules/{ruleId}/streams/{stream}',
          },
        },
      };
    }
    const fail = this.failures.take();
    if (fail) return fail;
    if (!Array.isArray(req.body))
      return {
        status: 400,
        body: { error: { code: 'InvalidContent', message: 'The body must be a JSON array of rows.' } },
      };
    this.requests++;
    const at = new Date(this.now()).toISOString();
    for (const row of req.body)
      this.rows.push({ at, ruleId: decodeURIComponent(m[1]!), stream: decodeURIComponent(m[2]!), row });
    return { status: 204 };
  }

  clear(): void {
    this.rows.length = 0;
    this.requests = 0;
  }
}
