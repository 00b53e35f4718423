import { createHmac, timingSafeEqual } from 'node:crypto';

export type SignatureCheck = 'valid' | 'missing' | 'malformed' | 'mismatch' | 'not-configured';

const HEADER = /^HMAC ([A-Za-z0-9+/]{1,200}={0,2})$/;

/**
 * Teams signs an outgoing-webhook call with `Authorization: HMAC <base64>`: base64 of the HMAC-SHA256
 * of the raw request body, keyed with the base64-decoded security token Teams showed when the webhook
 * was created. The comparison takes the same time whatever the bytes (no early exit).
 */
export function checkTeamsSignature(
  rawBody: Uint8Array,
  authorization: string | null,
  key: Buffer | undefined,
): SignatureCheck {
  if (!key || key.length === 0) return 'not-configured';
  if (authorization === null || authorization.trim() === '') return 'missing';
  const m = HEADER.exec(authorization.trim());
  if (!m) return 'malformed';
  const given = Buffer.from(m[1]!, 'base64');
  const expected = createHmac('sha256', key).update(rawBody).digest();
  // Lengths differ only for a malformed value; compare against itself so the time does not depend on it.
  if (given.length !== expected.length) {
    timingSafeEqual(expected, expected);
    return 'mismatch';
  }
  return timingSafeEqual(given, expected) ? 'valid' : 'mismatch';
}
