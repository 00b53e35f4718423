import type { HttpResponseInit } from '@azure/functions';

/**
 * RFC 9457 problem details. Every error the HTTP API returns is `application/problem+json` with a
 * `type` from this list (documented in the OpenAPI description and docs/http-api.md), the status, a
 * stable title, what went wrong this time (`detail`) and `errors`: at least one entry naming the field
 * (where it is: body, query, path or header) and why.
 */
export const PROBLEM_TYPES = {
  'invalid-request': { status: 400, title: 'The request is not valid' },
  unauthenticated: { status: 401, title: 'The caller is not authenticated' },
  forbidden: { status: 403, title: 'The caller lacks the role this needs' },
  'four-eyes': { status: 403, title: 'A run is approved by someone other than who requested it' },
  'not-found': { status: 404, title: 'Not found' },
  'run-in-flight': { status: 409, title: 'A run is already in flight on this cluster' },
  'run-state': { status: 409, title: 'The run is not in a state that allows this' },
  'idempotency-key-in-use': {
    status: 409,
    title: 'A request with this Idempotency-Key is still being processed',
  },
  'payload-too-large': { status: 413, title: 'The request body is larger than 64 KB' },
  'unsupported-media-type': { status: 415, title: 'The request body must be JSON' },
  'idempotency-key-reused': {
    status: 422,
    title: 'This Idempotency-Key was used with another request body',
  },
  'prechecks-failed': { status: 422, title: 'Pre-checks failed' },
  'cluster-refused': { status: 422, title: 'The cluster cannot be upgraded as asked' },
  internal: { status: 500, title: 'Internal error' },
  unavailable: { status: 503, title: 'A service the API depends on is unavailable' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ProblemKind = keyof typeof PROBLEM_TYPES;

/** Where a field is. */
export type FieldLocation = 'body' | 'query' | 'path' | 'header';

export interface FieldError {
  in: FieldLocation;
  /** Body: dotted path (`maxSurge`, `pools.0`; `(body)` for the whole body); header, query or path: its name. */
  field: string;
  detail: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors: FieldError[];
  [extension: string]: unknown;
}

/** `type` URI of a problem kind (a URN: stable, not meant to be fetched). */
export const problemTypeUri = (kind: ProblemKind): string => `urn:aks-day2:problem:${kind}`;

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** A problem as an error the handlers throw; `toProblemResponse` turns it into the response. */
export class ProblemError extends Error {
  constructor(
    readonly kind: ProblemKind,
    readonly detail: string,
    readonly errors: FieldError[],
    readonly extensions: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = 'ProblemError';
    if (errors.length === 0) throw new Error(`problem ${kind} must name at least one field`);
  }

  get status(): number {
    return PROBLEM_TYPES[this.kind].status;
  }
}

export function problemBody(p: ProblemError, instance?: string): Problem {
  const t = PROBLEM_TYPES[p.kind];
  return {
    ...p.extensions,
    type: problemTypeUri(p.kind),
    title: t.title,
    status: t.status,
    detail: p.detail,
    ...(instance ? { instance } : {}),
    errors: p.errors,
  };
}

export function problemResponse(p: ProblemError, instance?: string): HttpResponseInit {
  return {
    status: p.status,
    headers: { 'content-type': PROBLEM_CONTENT_TYPE, ...p.headers },
    body: JSON.stringify(problemBody(p, instance)),
  };
}

/** Shorthand for the common one-field problem. */
export function fieldProblem(
  kind: ProblemKind,
  where: FieldLocation,
  field: string,
  detail: string,
  extensions?: Record<string, unknown>,
): ProblemError {
  return new ProblemError(kind, detail, [{ in: where, field, detail }], extensions);
}
