import type { ClusterSnapshot } from '../fleet/cluster';
import type { Inventory } from '../fleet/inventory';
import { describePolicy, formatTagError, parseClusterPolicy } from '../policy/tags';
import { renderTable } from './table';

function poolsCell(c: ClusterSnapshot): string {
  return c.pools
    .map((p) => `${p.name}:${p.count}${p.osType === 'Windows' ? 'w' : ''} ${p.nodeImageVersion ?? '?'}`)
    .join(', ');
}

/**
 * `aks-day2 plan` (inventory form): every cluster with its subscription, region, version, power state,
 * pools (node count, node image) and its parsed tag policy; tag errors listed under the table.
 */
export function formatInventoryPlan(inv: Inventory, defaults: { defaultTimezone: string }): string {
  const errors: string[] = [];
  const rows = inv.clusters.map((c) => {
    const policy = parseClusterPolicy(c.tags, defaults);
    for (const e of policy.errors) errors.push(`${c.name}: tag ${formatTagError(e)}`);
    return [
      c.name,
      c.subscriptionId.slice(0, 8),
      c.location,
      c.kubernetesVersion,
      c.provisioningState === 'Succeeded' ? c.powerState : `${c.powerState} (${c.provisioningState})`,
      poolsCell(c),
      describePolicy(policy),
    ];
  });
  const out = [
    `Fleet: ${inv.clusters.length} clusters in ${inv.subscriptions.length} subscriptions`,
    '',
    renderTable(
      ['CLUSTER', 'SUB', 'REGION', 'VERSION', 'POWER', 'POOLS (nodes, node image)', 'POLICY (tags)'],
      rows,
    ),
  ];
  if (errors.length)
    out.push(
      '',
      'Tag errors (the feature is off for that cluster until fixed):',
      ...errors.map((e) => `  - ${e}`),
    );
  for (const f of inv.failures)
    out.push('', `Subscription ${f.subscriptionId} could not be listed: ${f.error.message}`);
  return out.join('\n');
}

/** `aks-day2 plan --output json` (inventory form): the same facts as data, each cluster with its parsed policy. */
export function inventoryPlanData(inv: Inventory, defaults: { defaultTimezone: string }, at: Date): unknown {
  return {
    job: null,
    at,
    subscriptions: inv.subscriptions,
    clusters: inv.clusters.map((c) => {
      const { errors, stop, start, ...policy } = parseClusterPolicy(c.tags, defaults);
      return {
        ...c,
        policy: { ...policy, stop: stop?.expression ?? null, start: start?.expression ?? null },
        tagErrors: errors,
      };
    }),
    failures: inv.failures.map((f) => ({ subscriptionId: f.subscriptionId, error: f.error })),
  };
}
