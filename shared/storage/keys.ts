import { createHash } from 'node:crypto';

/**
 * Table keys (PartitionKey, RowKey) are at most 1 KiB and may not contain `/ \ # ?` or control
 * characters. Every key built from text a user or a payload controls (tag values, cluster names,
 * event topics and subjects) goes through `boundedKey`: a key that is already short and clean is kept
 * as it is (so keys written before this rule still match), anything else becomes a readable prefix
 * plus a hash of the whole text, so two different texts never share a key and no text can make a
 * write fail.
 */

/** Longest key kept as it is, in UTF-8 bytes (Azure's limit is 1 KiB; keys are often joined). */
export const MAX_KEY_BYTES = 255;

const FORBIDDEN = /[/\\#?\u0000-\u001f\u007f-\u009f]/;
const READABLE = 48;

/** sha256 of the text, base64url (43 characters). */
export function keyHash(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}

/** `text` when it is a valid key of at most `maxBytes` UTF-8 bytes; else `<readable prefix>~<hash>` (at most 92 characters). */
export function boundedKey(text: string, maxBytes = MAX_KEY_BYTES): string {
  if (!FORBIDDEN.test(text) && !text.includes('~') && Buffer.byteLength(text, 'utf8') <= maxBytes)
    return text;
  const readable = [...text]
    .slice(0, READABLE)
    .map((ch) => (/^[A-Za-z0-9._=|-]$/.test(ch) ? ch : '_'))
    .join('');
  return `${readable}~${keyHash(text)}`;
}
