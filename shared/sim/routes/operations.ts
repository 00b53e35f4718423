/**
 * Operation status (`locations/{loc}/operations/{id}`: 200 + status body) and operation results
 * (`locations/{loc}/operationresults/{id}`: 202 while running, then what the call returns when done).
 */
import { ArmError, notFound } from '../errors';
import type { SimContext } from '../context';
import { route, type Route } from '../http';
import { percentComplete, type SimOperation } from '../operations';
import { clusterResource, poolResource } from '../wire';

const BASE = '/subscriptions/{subscriptionId}/providers/Microsoft.ContainerService/locations/{location}';

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export function operationStatusBody(
  op: SimOperation,
  idPath: string,
  nowMs: number = op.endedMs ?? op.startMs,
): Record<string, unknown> {
  return {
    id: idPath,
    name: op.id,
    status: op.status,
    percentComplete: percentComplete(op, nowMs),
    startTime: iso(op.startMs),
    ...(op.endedMs !== undefined ? { endTime: iso(op.endedMs) } : {}),
    ...(op.error ? { error: { code: op.error.code, message: op.error.message } } : {}),
  };
}

export function operationRoutes(ctx: SimContext): Route[] {
  const find = (sub: string, id: string): SimOperation => {
    const op = ctx.engine.operations.get(id);
    if (!op || op.subscriptionId.toLowerCase() !== sub.toLowerCase())
      throw notFound(`Operation '${id}' was not found.`);
    return op;
  };
  return [
    route('GET', `${BASE}/operations/{operationId}`, 'Operations_GetStatus', (req) => {
      const op = find(req.params.subscriptionId!, req.params.operationId!);
      return { status: 200, body: operationStatusBody(op, req.path, ctx.clock.nowMs()) };
    }),
    route('GET', `${BASE}/operationresults/{operationId}`, 'Operations_GetResult', (req) => {
      const op = find(req.params.subscriptionId!, req.params.operationId!);
      if (op.status === 'InProgress')
        return { status: 202, headers: { location: `${req.origin}${req.path}?api-version=2017-08-31` } };
      if (op.status === 'Failed' || op.status === 'Canceled') {
        const e = op.error ?? { code: 'Canceled', message: 'The operation was canceled.' };
        throw new ArmError(400, e.code, e.message);
      }
      if (op.kind === 'stop' || op.kind === 'start') return { status: 204 };
      const c = ctx.state.clusters.get(op.clusterKey);
      if (!c) return { status: 204 };
      const pool = op.pool ? c.pools.find((p) => p.name === op.pool) : undefined;
      return { status: 200, body: pool ? poolResource(c, pool) : clusterResource(c) };
    }),
  ];
}
