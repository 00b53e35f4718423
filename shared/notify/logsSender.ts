/**
 * Uploads AksDay2Ops_CL rows with the Logs Ingestion API (`LogsIngestionClient.upload`, which cuts
 * requests to 1 MB itself). As for Teams, the outbox owns retries (`maxRetries: 0` here): a failed
 * upload keeps its entry at the head of the queue with a backoff honouring Retry-After. When only
 * some rows fail (AggregateLogsUploadError), the entry is narrowed to those rows.
 */
import type { TokenCredential } from '@azure/core-auth';
import { isAggregateLogsUploadError, LogsIngestionClient } from '@azure/monitor-ingestion';
import type { Clock } from '../clock';
import type { Settings } from '../config/settings';
import { tlsOptionsFor } from '../azure/credential';
import { errorMessage } from '../errors';
import type { Sender } from './outboxTypes';
import { redactSecrets } from './redact';
import { parseRetryAfter } from './retryAfter';

/**
 * Statuses where uploading the same rows again cannot succeed (the rows are refused). A 404 is retried:
 * a new data collection rule takes a while to be visible everywhere. Everything else (429, 5xx,
 * 401/403, timeouts, connection errors) is retried by the outbox for DAY2_DELIVERY_RETRY_HOURS.
 */
const REFUSED = new Set([400, 413, 415, 422]);

interface ErrorWithResponse {
  statusCode?: number;
  response?: { headers?: { get(name: string): string | undefined } };
}

export function createLogsSender(
  settings: Pick<Settings, 'logs' | 'localCaCert'>,
  credential: TokenCredential,
  opts: { clock: Clock },
): Sender {
  const logs = settings.logs;
  if (!logs) throw new Error('createLogsSender: DAY2_LOGS_ENDPOINT / DAY2_LOGS_RULE_ID are not set');
  const client = new LogsIngestionClient(logs.endpoint, credential, {
    ...tlsOptionsFor(settings),
    retryOptions: { maxRetries: 0 },
  });

  return async (delivery) => {
    const rows = (JSON.parse(delivery.payload) as Array<Record<string, unknown>>).map((r) => ({
      ...r,
      Details: {
        ...((r.Details as Record<string, unknown> | undefined) ?? {}),
        deliveryId: delivery.deliveryId,
      },
    }));
    try {
      await client.upload(logs.ruleId, logs.stream, rows);
      return { ok: true };
    } catch (err) {
      const causes = isAggregateLogsUploadError(err)
        ? err.errors
        : [{ failedLogs: rows, cause: err as Error }];
      const failed = causes.flatMap((c) => c.failedLogs);
      const first = causes[0]?.cause as ErrorWithResponse | undefined;
      const status = first?.statusCode;
      const retryAfterMs = Math.max(
        0,
        ...causes.map(
          (c) =>
            parseRetryAfter(
              (c.cause as ErrorWithResponse).response?.headers?.get('retry-after'),
              opts.clock.now(),
            ) ?? 0,
        ),
      );
      return {
        ok: false,
        ...(status !== undefined ? { status } : {}),
        ...(retryAfterMs > 0 ? { retryAfterMs } : {}),
        error: redactSecrets(
          `Logs Ingestion upload of ${failed.length}/${rows.length} row(s) failed: ${causes.map((c) => errorMessage(c.cause)).join('; ')}`,
        ),
        permanent: status !== undefined && REFUSED.has(status),
        ...(failed.length > 0 && failed.length < rows.length
          ? { remainingPayload: JSON.stringify(failed) }
          : {}),
      };
    }
  };
}
