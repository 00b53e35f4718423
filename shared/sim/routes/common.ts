/** Helpers shared by the ARM route modules: lookups that 404/400 as ARM does, paging, LRO headers. */
import {
  badRequest,
  notFound,
  resourceGroupNotFound,
  resourceNotFound,
  subscriptionNotFound,
} from '../errors';
import type { SimContext } from '../context';
import type { SimRequest } from '../http';
import type { SimOperation } from '../operations';
import type { ClusterState, PoolState, SubscriptionState } from '../state';

export const CLUSTER_NAME = /^[a-zA-Z0-9]$|^[a-zA-Z0-9][-_a-zA-Z0-9]{0,61}[a-zA-Z0-9]$/;
export const POOL_NAME = /^[a-z][a-z0-9]{0,11}$/;
export const CL =
  '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.ContainerService/managedClusters/{resourceName}';

export function requireSubscription(ctx: SimContext, id: string): SubscriptionState {
  const s = ctx.state.subscription(id);
  if (!s) throw subscriptionNotFound(id);
  return s;
}

export function requireResourceGroup(ctx: SimContext, sub: string, rg: string): void {
  const s = requireSubscription(ctx, sub);
  if (!s.resourceGroups.has(rg.toLowerCase())) throw resourceGroupNotFound(rg);
}

export function checkClusterName(name: string): void {
  if (!CLUSTER_NAME.test(name)) {
    throw badRequest(
      'InvalidParameter',
      `The value of parameter resourceName is invalid. Error details: the name '${name}' must be 1-63 characters, start and end with a letter or digit, and contain only letters, digits, '-' and '_'. Please see https://aka.ms/aks-naming-rules for more details.`,
    );
  }
}

export function checkPoolName(name: string): void {
  if (!POOL_NAME.test(name)) {
    throw badRequest(
      'InvalidParameter',
      `The value of parameter agentPoolProfile.name is invalid. Error details: agent pool name '${name}' must start with a lowercase letter, have max length of 12, and only have characters a-z0-9. Please see https://aka.ms/aks-naming-rules for more details.`,
    );
  }
}

export function requireCluster(ctx: SimContext, req: SimRequest): ClusterState {
  const { subscriptionId, resourceGroupName, resourceName } = req.params as Record<
    'subscriptionId' | 'resourceGroupName' | 'resourceName',
    string
  >;
  checkClusterName(resourceName);
  requireResourceGroup(ctx, subscriptionId, resourceGroupName);
  const c = ctx.state.cluster(subscriptionId, resourceGroupName, resourceName);
  if (!c)
    throw resourceNotFound('Microsoft.ContainerService/managedClusters', resourceName, resourceGroupName);
  return c;
}

export function requirePool(ctx: SimContext, req: SimRequest): { cluster: ClusterState; pool: PoolState } {
  const name = req.params.agentPoolName ?? '';
  checkPoolName(name);
  const cluster = requireCluster(ctx, req);
  const pool = cluster.pools.find((p) => p.name === name);
  if (!pool) throw notFound(`Could not find agent pool '${name}' in managed cluster '${cluster.name}'.`);
  return { cluster, pool };
}

export function apiVersion(req: SimRequest): string {
  return req.query.get('api-version') ?? '2026-06-01';
}

/** One page of a pageable list, with an absolute `nextLink` carrying `$skiptoken`. */
export function page<T>(req: SimRequest, items: T[], pageSize: number): { value: T[]; nextLink?: string } {
  const skip = Math.max(0, Number(req.query.get('$skiptoken') ?? '0') || 0);
  const value = items.slice(skip, skip + pageSize);
  if (skip + pageSize >= items.length) return { value };
  const q = new URLSearchParams({ 'api-version': apiVersion(req), $skiptoken: String(skip + pageSize) });
  return { value, nextLink: `${req.origin}${req.path}?${q.toString()}` };
}

export function operationUrls(
  req: SimRequest,
  op: SimOperation,
): { asyncOperation: string; location: string } {
  const base = `${req.origin}/subscriptions/${op.subscriptionId}/providers/Microsoft.ContainerService/locations/${op.location}`;
  return {
    asyncOperation: `${base}/operations/${op.id}?api-version=2017-08-31`,
    location: `${base}/operationresults/${op.id}?api-version=2017-08-31`,
  };
}

/** Headers of an LRO's first response; `x-ms-request-id` equals the operation id, as in AKS. */
export function lroHeaders(req: SimRequest, op: SimOperation, withLocation: boolean): Record<string, string> {
  const u = operationUrls(req, op);
  return {
    'azure-asyncoperation': u.asyncOperation,
    ...(withLocation ? { location: u.location } : {}),
    'x-ms-request-id': op.id,
  };
}

export function isNonEmptyString(v: unknown): v is string {
  return typeof v === 'string' && v.trim() !== '';
}

const SECRET_KEYS = new Set(['adminPassword', 'secret']);

/** Deep merge of a request body into stored ARM fields: objects merge, arrays and leaves replace; secrets are not kept. */
export function deepMerge(
  into: Record<string, unknown>,
  from: Record<string, unknown>,
  skip: Set<string> = new Set(),
): void {
  for (const [k, v] of Object.entries(from)) {
    if (skip.has(k) || SECRET_KEYS.has(k)) continue;
    const cur = into[k];
    if (
      v &&
      typeof v === 'object' &&
      !Array.isArray(v) &&
      cur &&
      typeof cur === 'object' &&
      !Array.isArray(cur)
    ) {
      deepMerge(cur as Record<string, unknown>, v as Record<string, unknown>);
    } else if (v && typeof v === 'object' && !Array.isArray(v)) {
      const fresh: Record<string, unknown> = {};
      deepMerge(fresh, v as Record<string, unknown>);
      into[k] = fresh;
    } else {
      into[k] = structuredClone(v);
    }
  }
}
