/**
 * The keys of a scheduled edge (power schedule). An edge is handled once per cluster and action: the
 * handled-edge store remembers the latest edge instant per `handledEdgeKey`, and `edgeKey` names one edge
 * (its idempotency key, carried in outcomes). Cluster ids compare case-insensitively.
 */
export function handledEdgeKey(clusterId: string, action: string): string {
  return `${clusterId.toLowerCase()}|${action}`;
}

export function edgeKey(clusterId: string, action: string, edge: Date): string {
  return `${handledEdgeKey(clusterId, action)}|${edge.toISOString()}`;
}
