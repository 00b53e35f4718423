/**
 * Receivers that record what they were sent, readable through the admin API: a Teams Workflows
 * webhook (`POST /teams/...`, 202) and the Logs Ingestion API
 * (`POST /logs/dataCollectionRules/{ruleId}/streams/{stream}`, gzip bodies, 204). Both can be told to
 * fail the next K requests with a status (and `Retry-After`), to be down until a virtual instant
 * (answering a status, or dropping the connection), and to hold their answer for a while after they
 * recorded a request (so a test can stop the sender after the receiver accepted it).
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

/** The receiver is down until `until` (virtual ms): it answers `status`, or drops the connection when `status` is `reset`. */
export interface Outage {
  until: number;
  status: number | 'reset';
}

/** What a receiver answers: an HTTP response, or `drop` to close the connection without one. */
export type ReceiverAnswer = SimResponse & { drop?: boolean };

/** Outage and delay shared by both receivers. */
class Availability {
  outage?: Outage;
  /** Real milliseconds between recording a request and answering it. */
  delayMs = 0;
  downAnswers = 0;

  setOutage(now: number, minutes: number, status: number | 'reset'): void {
    if (!(typeof minutes === 'number' && minutes >= 0 && Number.isFinite(minutes)))
      throw new Error(`minutes must be a number >= 0 (got ${String(minutes)})`);
    if (status !== 'reset' && !(Number.isInteger(status) && status >= 400 && status <= 599))
      throw new Error(`status must be an HTTP error status 400-599 or "reset" (got ${String(status)})`);
    this.outage = minutes === 0 ? undefined : { until: now + minutes * 60_000, status };
  }

  setDelay(ms: number): void {
    if (!(Number.isInteger(ms) && ms >= 0)) throw new Error(`ms must be an integer >= 0 (got ${String(ms)})`);
    this.delayMs = ms;
  }

  /** The answer while down, else undefined. */
  down(now: number): ReceiverAnswer | undefined {
    if (!this.outage) return undefined;
    if (now >= this.outage.until) {
      this.outage = undefined;
      return undefined;
    }
    this.downAnswers++;
    if (this.outage.status === 'reset') return { status: 0, drop: true };
    return {
      status: this.outage.status,
      body: { error: { code: 'ServiceUnavailable', message: 'Injected outage' } },
    };
  }

  async hold(): Promise<void> {
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs).unref());
  }

  describe(): { outage: Outage | null; delayMs: number; downAnswers: number } {
    return { outage: this.outage ?? null, delayMs: this.delayMs, downAnswers: this.downAnswers };
  }

  clear(): void {
    this.outage = undefined;
    this.delayMs = 0;
    this.downAnswers = 0;
  }
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
  readonly availability = new Availability();

  constructor(private readonly now: () => number) {}

  async handle(req: SimRequest): Promise<ReceiverAnswer> {
    const down = this.availability.down(this.now());
    if (down) return down;
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
    await this.availability.hold();
    return { status: 202 };
  }

  clear(): void {
    this.posts.length = 0;
  }
}

export class LogsReceiver {
  readonly rows: LogRow[] = [];
  readonly failures = new FailureQueue();
  readonly availability = new Availability();
  requests = 0;

  constructor(private readonly now: () => number) {}

  async handle(req: SimRequest): Promise<ReceiverAnswer> {
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
    const down = this.availability.down(this.now());
    if (down) return down;
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
    await this.availability.hold();
    return { status: 204 };
  }

  clear(): void {
    this.rows.length = 0;
    this.requests = 0;
  }
}
