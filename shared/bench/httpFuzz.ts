import fc from 'fast-check';
import { PROBLEM_TYPES, problemTypeUri, type ProblemKind } from '../http/problem';

/** One generated request. */
export interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Uint8Array | string;
}

export interface FuzzReport {
  runs: number;
  /** Answers by HTTP status. */
  byStatus: Record<string, number>;
  /** Requests the client itself could not send (not counted as answers). */
  unsendable: number;
  /** Every answer that broke a rule: a 5xx, or a rejection that is not problem+json naming a field. */
  violations: string[];
}

const PROBLEM_URIS = new Set(Object.keys(PROBLEM_TYPES).map((k) => problemTypeUri(k as ProblemKind)));

const principal = (id: string, roles: string[]): Record<string, string> => ({
  'x-ms-client-principal': Buffer.from(
    JSON.stringify({
      auth_typ: 'aad',
      claims: [{ typ: 'oid', val: id }, ...roles.map((r) => ({ typ: 'roles', val: r }))],
    }),
  ).toString('base64'),
  'x-ms-client-principal-id': id,
  'x-ms-client-principal-name': id,
  'x-ms-client-principal-idp': 'aad',
});

/** A path segment for any text (lone surrogates cannot be percent-encoded: they are replaced). */
function safeSegment(text: string): string {
  return encodeURIComponent(text.replace(/[\uD800-\uDFFF]/g, '\uFFFD'));
}

/** Requests near the API (its routes, real and bogus cluster names, valid-looking and hostile bodies) and far from it. */
export function requestArbitrary(clusters: readonly string[]): fc.Arbitrary<FuzzRequest> {
  const text = fc.string({ maxLength: 40, unit: 'binary' });
  /** Header values: what a client can send (visible ASCII and spaces), including hostile shapes. */
  const headerText = fc.stringMatching(/^[\x20-\x7e]{0,60}$/);
  const runId = fc.oneof(
    fc.constantFrom('R-20260112T060000000Z-00000000', 'R-1'),
    fc.stringMatching(/^[A-Za-z0-9_-]{1,70}$/),
    text,
  );
  const path = fc.oneof(
    {
      weight: 4,
      arbitrary: fc.constantFrom('/api/upgrades', '/api/upgrades/', '/api/openapi.json', '/API/Upgrades'),
    },
    {
      weight: 4,
      arbitrary: fc
        .tuple(runId, fc.constantFrom('', '/cancel', '/approve', '/approve/', '/x', '/cancel/extra'))
        .map(([id, tail]) => `/api/upgrades/${safeSegment(id)}${tail}`),
    },
    { weight: 1, arbitrary: fc.webPath().map((p) => (p.startsWith('/') ? p : `/${p}`)) },
  );
  const query = fc
    .dictionary(
      fc.constantFrom('cluster', 'state', 'limit', 'cursor', 'code', 'x'),
      fc.oneof(text, fc.constantFrom(...clusters, 'Succeeded', 'running', '0', '20', '101', 'AAAA')),
      { maxKeys: 4 },
    )
    .map((q) => (Object.keys(q).length ? `?${new URLSearchParams(q).toString()}` : ''));
  const roles = fc.subarray(['Day2.Reader', 'Day2.Operator', 'Day2.Approver', 'Other']);
  const headers = fc
    .record(
      {
        who: fc.oneof(
          fc.tuple(fc.constantFrom('alice', 'bob', 'carol'), roles).map(([id, r]) => principal(id, r)),
          fc.constantFrom('alice', 'bob').map((id) => principal(id, ['Day2.Operator'])),
          fc.constant({}),
          headerText.map((t) => ({ 'x-ms-client-principal': t })),
          fc.json().map((j) => ({ 'x-ms-client-principal': Buffer.from(j).toString('base64') })),
        ),
        key: fc.option(
          fc.oneof(fc.uuid(), fc.constantFrom('k1', 'k2'), text, fc.stringMatching(/^[\x21-\x7e]{256,300}$/)),
        ),
        type: fc.option(
          fc.constantFrom(
            'application/json',
            'text/plain',
            'application/problem+json',
            'multipart/form-data',
            '',
          ),
        ),
      },
      { requiredKeys: ['who'] },
    )
    .map((h) => {
      const out: Record<string, string> = { ...h.who };
      if (h.key !== null && h.key !== undefined) out['idempotency-key'] = h.key;
      if (h.type !== null && h.type !== undefined) out['content-type'] = h.type;
      return out;
    });
  const upgradeBody = fc.record(
    {
      cluster: fc.oneof(
        fc.constantFrom(...clusters),
        text,
        fc.integer(),
        fc.constant(null),
        fc.string({ minLength: 390, maxLength: 420 }),
      ),
      to: fc.oneof(
        fc.constantFrom('latest-patch', 'next-minor', '1.34.2', '1.33.99', '9.9.9'),
        text,
        fc.boolean(),
      ),
      maxSurge: fc.oneof(fc.constantFrom('1', '33%', '0', '101%', '1000', '5000'), text, fc.integer()),
      dryRun: fc.oneof(fc.boolean(), text),
      force: fc.oneof(fc.boolean(), fc.constant('yes')),
      nodeImageOnly: fc.boolean(),
      pools: fc.oneof(fc.array(fc.constantFrom('system', 'user', 'np1', 'BAD'), { maxLength: 3 }), text),
      wake: fc.boolean(),
      extra: fc.anything(),
    },
    { requiredKeys: [] },
  );
  /** Well-formed requests, so that the answers of the engine (200, 202, 404, 409, 422) are reached too. */
  const validBody = fc
    .record(
      {
        cluster: fc.constantFrom(...clusters, 'aks-nowhere-01'),
        to: fc.constantFrom('latest-patch', 'next-minor'),
        dryRun: fc.boolean(),
        force: fc.boolean(),
      },
      { requiredKeys: ['cluster'] },
    )
    .map((b) => JSON.stringify(b));
  const body = fc.oneof(
    { weight: 2, arbitrary: fc.constant(undefined) },
    { weight: 3, arbitrary: validBody },
    { weight: 6, arbitrary: upgradeBody.map((b) => JSON.stringify(b)) },
    { weight: 2, arbitrary: fc.json({ maxDepth: 3 }) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }) },
    {
      weight: 1,
      arbitrary: fc
        .integer({ min: 64 * 1024 - 10, max: 200 * 1024 })
        .map((n) => `{"cluster":"${'x'.repeat(n)}"}`),
    },
  );
  const method = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom('GET', 'POST') },
    { weight: 1, arbitrary: fc.constantFrom('PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD') },
  );
  const anyRequest = fc
    .record({ method, path: fc.tuple(path, query).map(([p, q]) => p + q), headers, body })
    .map((r) => ({ ...r, ...(r.method === 'GET' || r.method === 'HEAD' ? { body: undefined } : {}) }));
  const wellFormed = fc
    .record({
      who: fc.constantFrom('alice', 'bob'),
      key: fc.option(fc.constantFrom('k1', 'k2', 'k3')),
      body: validBody,
    })
    .map(({ who, key, body: b }): FuzzRequest => ({
      method: 'POST',
      path: '/api/upgrades',
      headers: {
        ...principal(who, ['Day2.Operator']),
        'content-type': 'application/json',
        ...(key ? { 'idempotency-key': key } : {}),
      },
      body: b,
    }));
  return fc.oneof({ weight: 4, arbitrary: anyRequest }, { weight: 1, arbitrary: wellFormed });
}

/** Checks one answer; returns what is wrong with it, if anything. */
export function checkAnswer(
  req: FuzzRequest,
  status: number,
  contentType: string,
  text: string,
): string | undefined {
  const where = `${req.method} ${req.path.slice(0, 120)}`;
  if (status >= 500) return `${where}: ${status} ${text.slice(0, 300)}`;
  if (status < 400 || req.method === 'HEAD') return undefined;
  if (!contentType.startsWith('application/problem+json'))
    return `${where}: ${status} with content type ${contentType}`;
  let p: { type?: unknown; status?: unknown; errors?: unknown };
  try {
    p = JSON.parse(text) as typeof p;
  } catch {
    return `${where}: ${status} body is not JSON`;
  }
  if (typeof p.type !== 'string' || !PROBLEM_URIS.has(p.type))
    return `${where}: unknown problem type ${String(p.type)}`;
  if (p.status !== status) return `${where}: problem status ${String(p.status)} on a ${status}`;
  const errors = p.errors as Array<{ field?: unknown; in?: unknown; detail?: unknown }> | undefined;
  if (!Array.isArray(errors) || errors.length === 0) return `${where}: ${status} names no field`;
  for (const e of errors)
    if (
      typeof e.field !== 'string' ||
      e.field === '' ||
      typeof e.in !== 'string' ||
      typeof e.detail !== 'string'
    )
      return `${where}: ${status} has an error without field/in/detail: ${JSON.stringify(e)}`;
  return undefined;
}

/**
 * Sends `runs` generated requests to a running API (`base` = `http://host:port`), `concurrency` at a
 * time, and checks every answer: never a 5xx; every rejection application/problem+json with a known
 * type and at least one field named.
 */
export async function fuzzHttpApi(
  base: string,
  clusters: readonly string[],
  opts: { runs: number; seed?: number; concurrency?: number },
): Promise<FuzzReport> {
  const samples = fc.sample(requestArbitrary(clusters), { numRuns: opts.runs, seed: opts.seed ?? 42 });
  const report: FuzzReport = { runs: samples.length, byStatus: {}, unsendable: 0, violations: [] };
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < samples.length) {
      const req = samples[next++]!;
      let res: Response;
      try {
        res = await fetch(`${base}${req.path}`, { method: req.method, headers: req.headers, body: req.body });
      } catch {
        report.unsendable++;
        continue;
      }
      const text = req.method === 'HEAD' ? '' : await res.text();
      report.byStatus[res.status] = (report.byStatus[res.status] ?? 0) + 1;
      const bad = checkAnswer(req, res.status, res.headers.get('content-type') ?? '', text);
      if (bad && report.violations.length < 50) report.violations.push(bad);
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency ?? 8 }, worker));
  return report;
}
