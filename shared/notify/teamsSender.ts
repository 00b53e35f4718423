/**
 * Posts Teams Workflows webhook payloads. One request per call, no retry inside: the outbox owns
 * retries (durably, across ticks and instances, honouring Retry-After), so the pipeline's retry
 * policy is off (`maxRetries: 0`) and nothing is retried twice over. Posts are paced to at most
 * 4 a second (Teams throttles above that); since the outbox sends only the head of the Teams queue,
 * one instance at a time posts, so per-process pacing is global pacing.
 * The webhook URL carries a secret (`sig=`): it is never logged or put in an error.
 */
import {
  createDefaultHttpClient,
  createHttpHeaders,
  createPipelineFromOptions,
  createPipelineRequest,
} from '@azure/core-rest-pipeline';
import type { Clock } from '../clock';
import type { Settings } from '../config/settings';
import { tlsOptionsFor } from '../azure/credential';
import { errorMessage } from '../errors';
import type { Sender } from './outboxTypes';
import { redactSecrets } from './redact';
import { parseRetryAfter } from './retryAfter';

export interface TeamsSenderOptions {
  /** Least time between two posts. Default 250 ms (4 a second). */
  paceMs?: number;
  /** Per-request timeout. Default 30 s. */
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
  clock: Clock;
}

const realSleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Statuses where sending again cannot succeed: the payload is refused (400, 413, 415, 422) or the URL
 * names no webhook (404, 410: the workflow was deleted or the URL is wrong). Everything else (429,
 * 5xx, 401/403, timeouts, connection errors) is retried by the outbox for DAY2_DELIVERY_RETRY_HOURS.
 */
const REFUSED = new Set([400, 404, 410, 413, 415, 422]);
/** Errors of a URL the HTTP client cannot even use (not a network failure). */
const BAD_URL_CODES = new Set(['ERR_INVALID_URL', 'ERR_INVALID_PROTOCOL', 'ERR_UNSUPPORTED_PROTOCOL']);

export function createTeamsSender(
  settings: Pick<Settings, 'teamsWebhookUrl' | 'localCaCert'>,
  opts: TeamsSenderOptions,
): Sender {
  const url = settings.teamsWebhookUrl;
  if (!url) throw new Error('createTeamsSender: DAY2_TEAMS_WEBHOOK_URL is not set');
  const pipeline = createPipelineFromOptions({ ...tlsOptionsFor(settings), retryOptions: { maxRetries: 0 } });
  const client = createDefaultHttpClient();
  const paceMs = opts.paceMs ?? 250;
  const sleep = opts.sleep ?? realSleep;
  let lastPostAt = 0;

  const usable = URL.canParse(url) && new URL(url).protocol === 'https:';

  return async (delivery) => {
    if (!usable)
      return {
        ok: false,
        error: 'Teams webhook URL (DAY2_TEAMS_WEBHOOK_URL) is not an https URL: nothing can be posted to it',
        permanent: true,
      };
    const wait = lastPostAt + paceMs - Date.now();
    if (wait > 0) await sleep(wait);
    lastPostAt = Date.now();
    const request = createPipelineRequest({
      url,
      method: 'POST',
      body: delivery.payload,
      headers: createHttpHeaders({ 'content-type': 'application/json' }),
      timeout: opts.timeoutMs ?? 30_000,
    });
    try {
      const res = await pipeline.sendRequest(client, request);
      if (res.status >= 200 && res.status < 300) return { ok: true };
      const body = (res.bodyAsText ?? '').slice(0, 300);
      return {
        ok: false,
        status: res.status,
        retryAfterMs: parseRetryAfter(res.headers.get('retry-after'), opts.clock.now()),
        error: redactSecrets(`Teams webhook answered ${res.status}${body ? `: ${body}` : ''}`),
        permanent: REFUSED.has(res.status),
      };
    } catch (err) {
      const status = (err as { statusCode?: unknown }).statusCode;
      const code = (err as { code?: unknown }).code;
      const badUrl = typeof code === 'string' && BAD_URL_CODES.has(code);
      return {
        ok: false,
        ...(typeof status === 'number' ? { status } : {}),
        error: redactSecrets(`Teams webhook post failed: ${errorMessage(err)}`),
        ...(badUrl ? { permanent: true } : {}),
      };
    }
  };
}
