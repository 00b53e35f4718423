/** Abort of the running operation (`POST CL/abort`, `POST CL/agentPools/{pool}/abort`): 204, or 409 when nothing runs. */
import { ArmError } from '../errors';
import type { SimContext } from '../context';
import { route, type Route, type SimRequest, type SimResponse } from '../http';
import { CL, requireCluster, requirePool } from './common';

function abort(ctx: SimContext, req: SimRequest, pool?: string): SimResponse {
  const c = requireCluster(ctx, req);
  const op = ctx.engine.activeOn(c);
  if (!op || (pool !== undefined && !op.pools.includes(pool)))
    throw new ArmError(
      409,
      'OperationNotAllowed',
      `There is no ongoing operation to abort on ${pool ? `agent pool '${pool}'` : `managed cluster '${c.name}'`}.`,
    );
  ctx.engine.cancel(op, c);
  return { status: 204 };
}

export function abortRoutes(ctx: SimContext): Route[] {
  return [
    route('POST', `${CL}/abort`, 'ManagedClusters_AbortLatestOperation', (req) => abort(ctx, req)),
    route('POST', `${CL}/agentPools/{agentPoolName}/abort`, 'AgentPools_AbortLatestOperation', (req) =>
      abort(ctx, req, requirePool(ctx, req).pool.name),
    ),
  ];
}
