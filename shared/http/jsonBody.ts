import type { HttpRequest } from '@azure/functions';
import { fieldProblem } from './problem';

/** Request bodies over 64 KB are refused with 413 (docs/http-api.md). */
export const MAX_BODY_BYTES = 64 * 1024;

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;.*)?$/i;

/**
 * The request body as parsed JSON, read once: 413 when it is larger than `maxBytes` (by its
 * Content-Length, or by what arrives), 415 when Content-Type says it is not JSON, 400 when it is not
 * UTF-8 JSON. An empty body is `undefined`.
 */
export async function readJsonBody(req: HttpRequest, maxBytes = MAX_BODY_BYTES): Promise<unknown> {
  const declared = req.headers.get('content-length');
  if (declared !== null && /^\d+$/.test(declared.trim()) && Number(declared) > maxBytes)
    throw tooLarge(Number(declared), maxBytes);
  const bytes = new Uint8Array(await req.arrayBuffer());
  if (bytes.byteLength > maxBytes) throw tooLarge(bytes.byteLength, maxBytes);
  if (bytes.byteLength === 0) return undefined;
  const type = req.headers.get('content-type');
  if (type !== null && type.trim() !== '' && !JSON_TYPE.test(type.trim()))
    throw fieldProblem(
      'unsupported-media-type',
      'header',
      'content-type',
      `the body must be application/json, not ${JSON.stringify(type.slice(0, 100))}`,
    );
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw fieldProblem('invalid-request', 'body', '(body)', 'the body is not valid UTF-8');
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw fieldProblem(
      'invalid-request',
      'body',
      '(body)',
      `the body is not JSON: ${(err as Error).message}`,
    );
  }
}

function tooLarge(size: number, max: number) {
  return fieldProblem(
    'payload-too-large',
    'body',
    '(body)',
    `the body is ${size} bytes; at most ${max} bytes (64 KB) are accepted`,
  );
}
