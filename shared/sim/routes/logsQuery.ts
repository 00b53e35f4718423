/**
 * The Log Analytics query API (`@azure/monitor-query-logs` LogsQueryClient with
 * `endpoint: <sim>/loganalytics/v1`): workspace queries and resource-centric queries of a cluster,
 * answered from the fleet's audit rows with the KQL subset of ../logs/kql.ts.
 */
import { randomUUID } from 'node:crypto';
import type { SimContext } from '../context';
import { isRecord, route, type Route, type SimResponse } from '../http';
import { auditTable } from '../logs/auditTables';
import { runKql, wireTable } from '../logs/kql';
import { KqlError } from '../logs/kqlLex';
import type { ClusterState } from '../state';
import { CL } from './common';

export const LOGS_QUERY_BASE = '/loganalytics/v1';

function laError(
  status: number,
  code: string,
  message: string,
  inner?: { code: string; message: string },
): SimResponse {
  return {
    status,
    body: { error: { message, code, correlationId: randomUUID(), ...(inner ? { innererror: inner } : {}) } },
  };
}

const DURATION =
  /^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i;

function durationMs(s: string): number | undefined {
  const m = DURATION.exec(s.trim());
  if (!m || s.trim().toUpperCase() === 'P' || s.trim().toUpperCase() === 'PT') return undefined;
  const [d, h, min, sec] = [m[1], m[2], m[3], m[4]].map((x) => Number(x ?? 0));
  return ((d! * 24 + h!) * 60 + min!) * 60_000 + sec! * 1000;
}

/** `timespan` of the request body: a duration back from now, `start/end` or `start/duration`. */
export function timeRange(timespan: unknown, nowMs: number): { from: number; to: number } | string {
  if (timespan === undefined || timespan === null || timespan === '')
    return { from: -Infinity, to: Infinity };
  if (typeof timespan !== 'string') return 'timespan must be an ISO 8601 duration or interval';
  const parts = timespan.split('/');
  if (parts.length === 1) {
    const ms = durationMs(parts[0]!);
    return ms === undefined ? `invalid timespan '${timespan.slice(0, 40)}'` : { from: nowMs - ms, to: nowMs };
  }
  const start = Date.parse(parts[0]!);
  const endAsDate = Date.parse(parts[1]!);
  const endAsDuration = durationMs(parts[1]!);
  if (Number.isNaN(start)) return `invalid timespan '${timespan.slice(0, 60)}'`;
  if (!Number.isNaN(endAsDate)) return { from: start, to: endAsDate };
  if (endAsDuration !== undefined) return { from: start, to: start + endAsDuration };
  return `invalid timespan '${timespan.slice(0, 60)}'`;
}

function answer(ctx: SimContext, body: unknown, clusters: ClusterState[]): SimResponse {
  if (!isRecord(body) || typeof body.query !== 'string' || body.query.trim() === '')
    return laError(400, 'BadArgumentError', 'The request had some invalid properties', {
      code: 'QueryValidationError',
      message: 'A query is required.',
    });
  const now = ctx.clock.nowMs();
  const range = timeRange(body.timespan, now);
  if (typeof range === 'string')
    return laError(400, 'BadArgumentError', 'The request had some invalid properties', {
      code: 'InvalidTimespan',
      message: range,
    });
  try {
    const table = runKql(body.query, {
      nowMs: now,
      table: (name) => {
        const t = auditTable(name, clusters, now, ctx.state.tenantId);
        if (!t) return undefined;
        const rows = t.rows.filter((r) => {
          const at = (r.TimeGenerated as Date).getTime();
          return at >= range.from && at <= range.to;
        });
        return { columns: t.columns, rows };
      },
    });
    return { status: 200, body: { tables: [wireTable(table)] } };
  } catch (err) {
    if (err instanceof KqlError)
      return laError(400, 'BadArgumentError', 'The request had some invalid properties', {
        code: err.code,
        message: err.message,
      });
    throw err;
  }
}

function readsRoute(method: string, template: string, operation: string, handler: Route['handler']): Route {
  return { ...route(method, template, operation, handler), kind: 'reads' };
}

export function logsQueryRoutes(ctx: SimContext): Route[] {
  return [
    readsRoute('POST', `${LOGS_QUERY_BASE}/workspaces/{workspaceId}/query`, 'LogAnalytics_Query', (req) => {
      if (!ctx.state.workspaceIds.includes((req.params.workspaceId ?? '').toLowerCase()))
        return laError(
          404,
          'WorkspaceNotFoundError',
          `The workspace ${String(req.params.workspaceId).slice(0, 64)} could not be found`,
        );
      return answer(ctx, req.body, [...ctx.state.clusters.values()]);
    }),
    readsRoute('POST', `${LOGS_QUERY_BASE}${CL}/query`, 'LogAnalytics_QueryResource', (req) => {
      const c = ctx.state.cluster(
        req.params.subscriptionId!,
        req.params.resourceGroupName!,
        req.params.resourceName!,
      );
      if (!c)
        return laError(
          404,
          'ResourceNotFoundError',
          `The resource ${req.path.slice(LOGS_QUERY_BASE.length, -6)} could not be found`,
        );
      return answer(ctx, req.body, [c]);
    }),
  ];
}
