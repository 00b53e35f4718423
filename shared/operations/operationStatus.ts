import type { ContainerServiceClient } from '@azure/arm-containerservice';
import { createDefaultHttpClient, createPipelineRequest, RestError } from '@azure/core-rest-pipeline';
import { toDay2Error } from '../azure/azureError';
import type { Day2Error, ErrorContext } from '../errors';
import { restoreOperation } from './restore';

/** What AKS's operation-status endpoint says of an accepted operation. */
export type OperationStatus =
  | { state: 'running'; percentComplete?: number }
  | { state: 'Succeeded' }
  | { state: 'Failed'; error: Day2Error };

const httpClient = createDefaultHttpClient();

/**
 * The status URL (`Azure-AsyncOperation`) of a serialized SDK poller still running in that mode; any other
 * state (body or resource-location polling, or already ended) is left to the SDK's own poller.
 */
function statusUrlOf(serialized: string): string | undefined {
  try {
    const parsed = JSON.parse(serialized) as {
      state?: { status?: unknown; config?: { metadata?: { mode?: unknown }; operationLocation?: unknown } };
    };
    const st = parsed.state;
    const url = st?.config?.operationLocation;
    return st?.status === 'running' &&
      st.config?.metadata?.mode === 'OperationLocation' &&
      typeof url === 'string' &&
      url !== ''
      ? url
      : undefined;
  } catch {
    return undefined;
  }
}

interface LroError {
  code?: unknown;
  message?: unknown;
  innererror?: LroError;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** The SDK's message for a failed operation: the innermost code, the messages of the chain joined. */
function failedMessage(err: LroError | undefined): string {
  if (!err) return 'The long-running operation has failed';
  let code = str(err.code);
  let message = str(err.message);
  for (let e = err.innererror; e; e = e.innererror) {
    code = str(e.code);
    message = `${message.endsWith('.') ? message : `${message}.`} ${str(e.message)}`;
  }
  return `The long-running operation has failed. ${code}. ${message}`;
}

const clamp = (n: unknown): number | undefined =>
  typeof n === 'number' && Number.isFinite(n) ? Math.max(0, Math.min(100, n)) : undefined;

/**
 * Reads the status of an operation AKS accepted, once. Polled through its status URL
 * (`Azure-AsyncOperation`, as AKS answers its long-running operations), that is one GET through the
 * client's own pipeline (its credential, TLS and retry policies), and the resource is not fetched again
 * (the SDK's poller would GET it once the status says done; the caller has just read it). Any other
 * stored state is given to the SDK's restored poller, asked once. A failed or canceled operation carries
 * AKS's code and message, as the SDK reports them. Throws a Day2Error when the status cannot be read.
 */
export async function readOperationStatus(
  client: ContainerServiceClient,
  serialized: string,
  where: ErrorContext,
): Promise<OperationStatus> {
  const url = statusUrlOf(serialized);
  if (!url) return pollOnce(client, serialized, where);
  const res = await client.pipeline.sendRequest(httpClient, createPipelineRequest({ url, method: 'GET' }));
  let body: { status?: unknown; percentComplete?: unknown; error?: LroError } = {};
  try {
    body = res.bodyAsText ? (JSON.parse(res.bodyAsText) as typeof body) : {};
  } catch {
    body = {};
  }
  if (res.status !== 200) {
    const code = typeof body.error?.code === 'string' ? body.error.code : undefined;
    const message = typeof body.error?.message === 'string' ? body.error.message : `HTTP ${res.status}`;
    throw toDay2Error(new RestError(message, { statusCode: res.status, ...(code ? { code } : {}) }), where);
  }
  const status = typeof body.status === 'string' ? body.status.toLowerCase() : '';
  if (status === 'succeeded') return { state: 'Succeeded' };
  // The errors the SDK's poller throws for an ended operation, mapped the same way.
  if (status === 'canceled' || status === 'cancelled')
    return { state: 'Failed', error: toDay2Error(new Error('Operation was canceled'), where) };
  if (status === 'failed')
    return { state: 'Failed', error: toDay2Error(new Error(failedMessage(body.error)), where) };
  const pct = clamp(body.percentComplete);
  return { state: 'running', ...(pct !== undefined ? { percentComplete: pct } : {}) };
}

/** The SDK's restored poller, asked once (never awaited itself: a PollerLike would poll to completion). */
async function pollOnce(
  client: ContainerServiceClient,
  serialized: string,
  where: ErrorContext,
): Promise<OperationStatus> {
  const poller = restoreOperation(client, serialized); // throws Internal for a poller it cannot restore
  try {
    await poller.poll();
  } catch (err) {
    const e = toDay2Error(err, where);
    if (e.code === 'OperationFailed') return { state: 'Failed', error: e };
    throw e;
  }
  return poller.isDone ? { state: 'Succeeded' } : { state: 'running' };
}
