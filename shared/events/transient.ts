import type { Day2Error, ErrorCode } from '../errors';

/** Failures a redelivery may not meet (throttling, Azure or storage unavailable): the delivery fails so Event Grid retries it. */
export const TRANSIENT_CODES: readonly ErrorCode[] = ['Throttled', 'AzureUnavailable', 'StorageFailed'];

/**
 * A storage answer 400 (`InvalidInput`, `PropertyValueTooLarge`, a bad key) is about what the event
 * carried: redelivering the same event meets it again, so it is a permanent failure, not a retry.
 */
export function isTransient(error: Day2Error): boolean {
  if (!TRANSIENT_CODES.includes(error.code)) return false;
  const s = error.statusCode;
  return !(s !== undefined && s >= 400 && s < 500 && s !== 408 && s !== 429);
}
