/** `GET /subscriptions` (pageable) and `GET /subscriptions/{id}`, as Microsoft.Resources serves them. */
import type { SimContext } from '../context';
import { route, type Route } from '../http';
import type { SubscriptionState } from '../state';
import { page, requireSubscription } from './common';

function subscriptionBody(s: SubscriptionState): Record<string, unknown> {
  return {
    id: `/subscriptions/${s.id}`,
    authorizationSource: 'RoleBased',
    managedByTenants: [],
    subscriptionId: s.id,
    tenantId: s.tenantId,
    displayName: s.displayName,
    state: 'Enabled',
    subscriptionPolicies: {
      locationPlacementId: 'Public_2014-09-01',
      quotaId: 'PayAsYouGo_2014-09-01',
      spendingLimit: 'Off',
    },
  };
}

export function subscriptionRoutes(ctx: SimContext): Route[] {
  return [
    route('GET', '/subscriptions', 'Subscriptions_List', (req) => {
      // A subscription the identity has no role on is not listed (the caller sees only its own).
      const items = [...ctx.state.subscriptions.values()].filter((s) => s.readable).map(subscriptionBody);
      return {
        status: 200,
        body: { ...page(req, items, ctx.state.pageSize), count: { type: 'Total', value: items.length } },
      };
    }),
    route('GET', '/subscriptions/{subscriptionId}', 'Subscriptions_Get', (req) => ({
      status: 200,
      body: subscriptionBody(requireSubscription(ctx, req.params.subscriptionId!)),
    })),
  ];
}
