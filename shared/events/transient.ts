import type { Day2Error, ErrorCode } from '../errors';

/** Failures a redelivery may not meet (throttling, Azure or storage unavailable): the delivery fails so Event Grid retries it. */
export const TRANSIENT_CODES: readonly ErrorCode[] = ['Throttled', 'AzureUnavailable', 'StorageFailed'];

export function isTransient(error: Day2Error): boolean {
  return TRANSIENT_CODES.includes(error.code);
}
