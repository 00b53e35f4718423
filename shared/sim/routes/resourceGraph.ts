/**
 * Azure Resource Graph `POST /providers/Microsoft.ResourceGraph/resources` over the simulator's clusters,
 * as the service answers it: `{ totalRecords, count, resultTruncated, $skipToken?, data, facets }`,
 * 1 to 1,000 rows a page (`options.$top`, default 100), the next page asked with the same query and scopes
 * plus `options.$skipToken`; a page is only continued when `id` is projected (otherwise the answer is cut
 * at one page and `resultTruncated` is `"true"`). Every answer carries the per-user quota headers
 * `x-ms-user-quota-remaining` and `x-ms-user-quota-resets-after` (`hh:mm:ss`); past the quota (15 queries
 * per 5 s window, see `UserQuota`) the query is refused with 429 and a `Retry-After`.
 *
 * The query language is a small subset of KQL, enough for the app's discovery query:
 *   resources | where <column> (=~ | == | !~ | !=) '<text>' [and …] | project <column>, … | order by <column> [asc|desc] | limit <n> (or take <n>)
 * `resources` is the only table and holds the AKS clusters (`type` `microsoft.containerservice/managedclusters`,
 * lower-case as Resource Graph stores types; `resourceGroup` lower-case). Anything else is refused with
 * 400 `BadRequest` and an `InvalidQuery` detail, as the service refuses a query it cannot parse. Scopes:
 * `subscriptions` (only those), or none (the whole tenant); `managementGroups` is refused. Only the
 * `objectArray` result format is served. The index is always current (the real one can lag ARM).
 */
import { createHash } from 'node:crypto';
import type { SimContext } from '../context';
import { isRecord, route, type Route, type SimResponse } from '../http';
import { clusterResource, wireClusterId } from '../wire';

export const QUOTA_PER_WINDOW = 15;
export const QUOTA_WINDOW_MS = 5_000;
const MAX_TOP = 1000;
const DEFAULT_TOP = 100;

type Row = Record<string, unknown>;
type Op =
  | { kind: 'where'; conds: Array<{ column: string; op: '=~' | '==' | '!~' | '!='; value: string }> }
  | { kind: 'project'; columns: string[] }
  | { kind: 'order'; column: string; desc: boolean }
  | { kind: 'limit'; n: number };

class QueryError extends Error {}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

function parseWhere(text: string): Op {
  const conds = text.split(/\s+and\s+/i).map((c) => {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)\s*(=~|==|!~|!=)\s*'([^']*)'$/.exec(c.trim());
    if (!m) throw new QueryError(`unsupported condition: ${c.trim()}`);
    return { column: m[1]!, op: m[2] as '=~' | '==' | '!~' | '!=', value: m[3]! };
  });
  return { kind: 'where', conds };
}

/** Parses the supported KQL subset; throws QueryError naming what it cannot read. */
export function parseQuery(query: string): Op[] {
  const [table, ...stages] = query.split('|').map((s) => s.trim());
  if (!table || table.toLowerCase() !== 'resources')
    throw new QueryError(`unknown table '${table ?? ''}' (only 'resources' is served)`);
  return stages.map((stage): Op => {
    const m = /^(\w+)(?:\s+by)?\s+(.*)$/is.exec(stage);
    if (!m) throw new QueryError(`unsupported operator: ${stage}`);
    const verb = m[1]!.toLowerCase();
    const rest = m[2]!.trim();
    if (verb === 'where') return parseWhere(rest);
    if (verb === 'project') {
      const columns = rest.split(',').map((c) => c.trim());
      for (const c of columns) if (!IDENT.test(c)) throw new QueryError(`unsupported projection: ${c}`);
      return { kind: 'project', columns };
    }
    if (verb === 'order' || verb === 'sort') {
      const o = /^([A-Za-z_][A-Za-z0-9_]*)(?:\s+(asc|desc))?$/i.exec(rest);
      if (!o) throw new QueryError(`unsupported order: ${rest}`);
      return { kind: 'order', column: o[1]!, desc: (o[2] ?? 'desc').toLowerCase() === 'desc' };
    }
    if (verb === 'limit' || verb === 'take') {
      const n = Number(rest);
      if (!Number.isInteger(n) || n < 0) throw new QueryError(`unsupported limit: ${rest}`);
      return { kind: 'limit', n };
    }
    throw new QueryError(`unsupported operator '${verb}'`);
  });
}

function matches(row: Row, c: { column: string; op: string; value: string }): boolean {
  const v = row[c.column];
  const text = typeof v === 'string' ? v : v === undefined || v === null ? '' : JSON.stringify(v);
  if (c.op === '==') return text === c.value;
  if (c.op === '!=') return text !== c.value;
  const same = text.toLowerCase() === c.value.toLowerCase();
  return c.op === '=~' ? same : !same;
}

/**
 * Runs the parsed query over `rows`. The projection (the last one wins) is returned, not applied, so the
 * caller projects only the page it serves; `hasId` says whether `id` is among the columns returned.
 */
export function runQuery(ops: Op[], rows: Row[]): { rows: Row[]; hasId: boolean; project: (r: Row) => Row } {
  let out = rows;
  let columns: string[] | undefined;
  for (const op of ops) {
    if (op.kind === 'where') out = out.filter((r) => op.conds.every((c) => matches(r, c)));
    else if (op.kind === 'project') {
      for (const c of op.columns)
        if (columns && !columns.includes(c)) throw new QueryError(`unknown column '${c}' after project`);
      columns = op.columns;
    } else if (op.kind === 'order') {
      const key = (r: Row): string => {
        const v = r[op.column];
        return (typeof v === 'string' ? v : JSON.stringify(v ?? '')).toLowerCase();
      };
      out = [...out].sort((a, b) => (op.desc ? key(b).localeCompare(key(a)) : key(a).localeCompare(key(b))));
    } else out = out.slice(0, op.n);
  }
  const cols = columns;
  return {
    rows: out,
    hasId: cols === undefined || cols.includes('id'),
    project: (r) => (cols ? Object.fromEntries(cols.map((c) => [c, r[c] ?? null])) : { ...r }),
  };
}

/**
 * The `resources` table: every cluster as Resource Graph stores it, in a stable order (by id). `properties`
 * (the whole ARM body) is built only for the rows that are served.
 */
function resourceRows(ctx: SimContext): Row[] {
  return [...ctx.state.clusters.values()]
    .map((c): Row => {
      const row: Row = {
        id: wireClusterId(c),
        name: c.name,
        type: 'microsoft.containerservice/managedclusters',
        tenantId: ctx.state.tenantId,
        kind: '',
        location: c.location,
        resourceGroup: c.resourceGroup.toLowerCase(),
        subscriptionId: c.subscriptionId,
        managedBy: '',
        sku: c.resource.sku ?? { name: 'Base', tier: c.skuTier },
        plan: null,
        tags: { ...c.tags },
        identity: c.resource.identity ?? null,
        zones: null,
        extendedLocation: null,
      };
      Object.defineProperty(row, 'properties', {
        enumerable: true,
        get: () => clusterResource(c).properties,
      });
      return row;
    })
    .map((row) => ({ row, key: String(row.id).toLowerCase() }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((x) => x.row);
}

function argError(status: number, code: string, message: string, detail: string): SimResponse {
  return { status, body: { error: { code, message, details: [{ code: detail, message }] } } };
}

const hh = (ms: number): string => {
  const s = Math.max(0, Math.ceil(ms / 1000));
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${p(Math.floor(s / 3600))}:${p(Math.floor(s / 60) % 60)}:${p(s % 60)}`;
};

/**
 * The per-user query quota: `QUOTA_PER_WINDOW` queries in each window of `QUOTA_WINDOW_MS`. A window ends
 * when that much time passed on real time OR on the simulator's clock: a demo that runs a simulated day in
 * minutes meets the quota the app meets at its real pace, and a held clock (tests, benchmarks) still
 * sees windows end.
 */
export class UserQuota {
  private windowStart = Number.NEGATIVE_INFINITY;
  private windowStartVirtual = Number.NEGATIVE_INFINITY;
  private used = 0;
  constructor(
    private readonly virtualNow: () => number,
    private readonly realNow: () => number = Date.now,
  ) {}

  take(): { allowed: boolean; headers: Record<string, string>; retryAfterSeconds: number } {
    const now = this.realNow();
    const virtual = this.virtualNow();
    if (now - this.windowStart >= QUOTA_WINDOW_MS || virtual - this.windowStartVirtual >= QUOTA_WINDOW_MS) {
      this.windowStart = now;
      this.windowStartVirtual = virtual;
      this.used = 0;
    }
    const allowed = this.used < QUOTA_PER_WINDOW;
    if (allowed) this.used++;
    const resetsIn = this.windowStart + QUOTA_WINDOW_MS - now;
    return {
      allowed,
      headers: {
        'x-ms-user-quota-remaining': String(QUOTA_PER_WINDOW - this.used),
        'x-ms-user-quota-resets-after': hh(resetsIn),
      },
      retryAfterSeconds: Math.max(1, Math.ceil(resetsIn / 1000)),
    };
  }
}

interface Token {
  q: string;
  offset: number;
  top: number;
}

export function resourceGraphRoutes(ctx: SimContext): Route[] {
  const quota = new UserQuota(() => ctx.clock.nowMs());
  return [
    route('POST', '/providers/Microsoft.ResourceGraph/resources', 'Resources', (req) => {
      const q = quota.take();
      if (!q.allowed) {
        const r = argError(
          429,
          'RateLimiting',
          'The query was throttled: the user quota of queries is used up until it resets.',
          'RateLimiting',
        );
        return { ...r, headers: { ...q.headers, 'retry-after': String(q.retryAfterSeconds) } };
      }
      const answer = (r: SimResponse): SimResponse => ({ ...r, headers: { ...q.headers, ...r.headers } });
      const body = isRecord(req.body) ? req.body : {};
      const query = typeof body.query === 'string' ? body.query : '';
      const options = isRecord(body.options) ? body.options : {};
      if (Array.isArray(body.managementGroups) && body.managementGroups.length > 0)
        return answer(
          argError(
            400,
            'BadRequest',
            'managementGroups scopes are not served by the simulator',
            'InvalidScope',
          ),
        );
      if (options.resultFormat !== undefined && options.resultFormat !== 'objectArray')
        return answer(
          argError(
            400,
            'BadRequest',
            'only resultFormat objectArray is served by the simulator',
            'InvalidFormat',
          ),
        );
      const subs = Array.isArray(body.subscriptions)
        ? body.subscriptions.filter((s): s is string => typeof s === 'string').map((s) => s.toLowerCase())
        : [];
      const scoped = new Set(subs);
      let ops: Op[];
      try {
        ops = parseQuery(query);
      } catch (err) {
        return answer(
          argError(400, 'BadRequest', `Query is invalid: ${(err as Error).message}`, 'InvalidQuery'),
        );
      }
      const scope = createHash('sha256')
        .update(JSON.stringify([query, [...subs].sort()]))
        .digest('hex')
        .slice(0, 16);
      let offset = typeof options.$skip === 'number' ? options.$skip : 0;
      let top = typeof options.$top === 'number' ? options.$top : DEFAULT_TOP;
      if (typeof options.$skipToken === 'string') {
        let t: Token | undefined;
        try {
          t = JSON.parse(Buffer.from(options.$skipToken, 'base64').toString('utf8')) as Token;
        } catch {
          t = undefined;
        }
        if (!t || t.q !== scope)
          return answer(
            argError(
              400,
              'BadRequest',
              'the $skipToken does not belong to this query and scopes',
              'InvalidSkipToken',
            ),
          );
        offset = t.offset;
        top = typeof options.$top === 'number' ? options.$top : t.top;
      }
      if (!Number.isInteger(top) || top < 1 || top > MAX_TOP || !Number.isInteger(offset) || offset < 0)
        return answer(
          argError(400, 'BadRequest', `$top must be 1 to ${MAX_TOP} and $skip 0 or more`, 'InvalidOptions'),
        );
      const inScope = resourceRows(ctx).filter(
        (r) => scoped.size === 0 || scoped.has(String(r.subscriptionId).toLowerCase()),
      );
      let result: ReturnType<typeof runQuery>;
      try {
        result = runQuery(ops, inScope);
      } catch (err) {
        return answer(
          argError(400, 'BadRequest', `Query is invalid: ${(err as Error).message}`, 'InvalidQuery'),
        );
      }
      const data = result.rows.slice(offset, offset + top).map(result.project);
      const more = offset + data.length < result.rows.length;
      const next: Token = { q: scope, offset: offset + data.length, top };
      return answer({
        status: 200,
        body: {
          totalRecords: result.rows.length,
          count: data.length,
          resultTruncated: more && !result.hasId ? 'true' : 'false',
          ...(more && result.hasId
            ? { $skipToken: Buffer.from(JSON.stringify(next)).toString('base64') }
            : {}),
          data,
          facets: [],
        },
      });
    }),
  ];
}
