/**
 * Admin routes for upgrade tests: PUTs counted per cluster and pool (`/admin/puts`), and the progress
 * of a cluster's latest operation, pool by pool (`/admin/progress/{cluster}`).
 */
import type { SimContext } from '../context';
import { notFound } from '../errors';
import { route, type Route } from '../http';
import { percentComplete, poolProgress } from '../operations';
import type { PutCounter } from '../putCounts';
import { clusterKey } from '../state';

export function upgradeAdminRoutes(ctx: SimContext, puts: PutCounter): Route[] {
  return [
    route('GET', '/admin/puts', 'Admin_Puts', () => ({ status: 200, body: { clusters: puts.all() } })),
    route('GET', '/admin/puts/{cluster}', 'Admin_PutsOfCluster', (req) => {
      const c = ctx.state.findCluster(req.params.cluster!);
      if (!c) throw notFound(`No cluster '${req.params.cluster}' in the simulator.`);
      const found = puts
        .all()
        .find(
          (p) =>
            `${p.subscriptionId}/${p.resourceGroup}/${p.name}`.toLowerCase() ===
            clusterKey(c.subscriptionId, c.resourceGroup, c.name),
        );
      const zero = { received: 0, accepted: 0 };
      return {
        status: 200,
        body: found ?? {
          subscriptionId: c.subscriptionId,
          resourceGroup: c.resourceGroup,
          name: c.name,
          cluster: zero,
          pools: {},
          total: zero,
        },
      };
    }),
    route('DELETE', '/admin/puts', 'Admin_PutsReset', () => {
      puts.reset();
      return { status: 204 };
    }),
    route('GET', '/admin/progress/{cluster}', 'Admin_Progress', (req) => {
      ctx.engine.evaluate();
      const c = ctx.state.findCluster(req.params.cluster!);
      if (!c) throw notFound(`No cluster '${req.params.cluster}' in the simulator.`);
      const key = clusterKey(c.subscriptionId, c.resourceGroup, c.name);
      const op = [...ctx.engine.operations.values()].filter((o) => o.clusterKey === key).at(-1);
      const now = ctx.clock.nowMs();
      return {
        status: 200,
        body: {
          cluster: c.name,
          operation: op
            ? {
                id: op.id,
                name: op.displayName,
                status: op.status,
                percentComplete: percentComplete(op, now),
                ...(op.error ? { error: op.error } : {}),
              }
            : null,
          pools: op ? poolProgress(op, now) : [],
        },
      };
    }),
  ];
}
