/**
 * Microsoft.Compute usages and resource SKUs, Microsoft.Network virtual networks, subnets and their
 * usages: what a surge-capacity check reads (`@azure/arm-compute` usage.list / resourceSkus.list,
 * `@azure/arm-network` subnets.get / virtualNetworks.get / virtualNetworks.listUsage).
 */
import { computeUsages, ipsUsedBy, subnetLimit, usageBody, vmSizes } from '../capacity';
import type { SimContext } from '../context';
import { resourceNotFound } from '../errors';
import { route, type Route, type SimRequest } from '../http';
import { page, requireResourceGroup, requireSubscription } from './common';

const VNET =
  '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Network/virtualNetworks/{virtualNetworkName}';

function vnetOf(ctx: SimContext, req: SimRequest) {
  const { subscriptionId, resourceGroupName, virtualNetworkName } = req.params;
  requireResourceGroup(ctx, subscriptionId!, resourceGroupName!);
  const sub = ctx.state.fleet.subscriptions.find(
    (s) => s.id.toLowerCase() === subscriptionId!.toLowerCase(),
  )!;
  const rg = sub.resourceGroups.find((g) => g.name.toLowerCase() === resourceGroupName!.toLowerCase());
  const vnet = rg?.virtualNetworks.find((v) => v.name.toLowerCase() === virtualNetworkName!.toLowerCase());
  if (!vnet)
    throw resourceNotFound('Microsoft.Network/virtualNetworks', virtualNetworkName!, resourceGroupName!);
  const id = `/subscriptions/${sub.id}/resourceGroups/${rg!.name}/providers/Microsoft.Network/virtualNetworks/${vnet.name}`;
  return { vnet, id };
}

type Vnet = ReturnType<typeof vnetOf>['vnet'];

function subnetUsed(ctx: SimContext, id: string, s: Vnet['subnets'][number]): number {
  return s.usedIps ?? ipsUsedBy(ctx.state, `${id}/subnets/${s.name}`);
}

function subnetBody(id: string, s: Vnet['subnets'][number]): Record<string, unknown> {
  return {
    id: `${id}/subnets/${s.name}`,
    name: s.name,
    etag: 'W/"00000000-0000-0000-0000-000000000000"',
    type: 'Microsoft.Network/virtualNetworks/subnets',
    properties: {
      addressPrefix: s.addressPrefix,
      provisioningState: 'Succeeded',
      privateEndpointNetworkPolicies: 'Disabled',
      privateLinkServiceNetworkPolicies: 'Enabled',
    },
  };
}

export function capacityRoutes(ctx: SimContext): Route[] {
  return [
    route(
      'GET',
      '/subscriptions/{subscriptionId}/providers/Microsoft.Compute/locations/{location}/usages',
      'Usage_List',
      (req) => {
        const sub = requireSubscription(ctx, req.params.subscriptionId!);
        const items = computeUsages(ctx.state, sub.id, req.params.location!).map(usageBody);
        return { status: 200, body: page(req, items, ctx.state.pageSize) };
      },
    ),
    route(
      'GET',
      '/subscriptions/{subscriptionId}/providers/Microsoft.Compute/skus',
      'ResourceSkus_List',
      (req) => {
        requireSubscription(ctx, req.params.subscriptionId!);
        const filter = /location\s+eq\s+'([^']+)'/i.exec(req.query.get('$filter') ?? '')?.[1];
        const locations = filter ? [filter] : [...ctx.state.locations.keys()];
        const items = Object.entries(vmSizes(ctx.state)).map(([name, s]) => ({
          resourceType: 'virtualMachines',
          name,
          tier: 'Standard',
          size: name.replace(/^Standard_/, ''),
          family: s.family,
          locations,
          locationInfo: locations.map((l) => ({ location: l, zones: ['1', '2', '3'], zoneDetails: [] })),
          capabilities: [
            { name: 'vCPUs', value: String(s.vCPUs) },
            { name: 'vCPUsAvailable', value: String(s.vCPUs) },
            { name: 'MemoryGB', value: String(s.vCPUs * 4) },
          ],
          restrictions: [],
        }));
        return { status: 200, body: { value: items } };
      },
    ),
    route('GET', VNET, 'VirtualNetworks_Get', (req) => {
      const { vnet, id } = vnetOf(ctx, req);
      return {
        status: 200,
        body: {
          id,
          name: vnet.name,
          type: 'Microsoft.Network/virtualNetworks',
          location: vnet.location,
          etag: 'W/"00000000-0000-0000-0000-000000000000"',
          properties: {
            provisioningState: 'Succeeded',
            addressSpace: { addressPrefixes: [...vnet.addressPrefixes] },
            subnets: vnet.subnets.map((s) => subnetBody(id, s)),
          },
        },
      };
    }),
    route('GET', `${VNET}/subnets/{subnetName}`, 'Subnets_Get', (req) => {
      const { vnet, id } = vnetOf(ctx, req);
      const s = vnet.subnets.find((x) => x.name.toLowerCase() === req.params.subnetName!.toLowerCase());
      if (!s)
        throw resourceNotFound(
          `Microsoft.Network/virtualNetworks/${vnet.name}/subnets`,
          req.params.subnetName!,
          req.params.resourceGroupName!,
        );
      return { status: 200, body: subnetBody(id, s) };
    }),
    route('GET', `${VNET}/usages`, 'VirtualNetworks_ListUsage', (req) => {
      const { vnet, id } = vnetOf(ctx, req);
      const items = vnet.subnets.map((s) => ({
        currentValue: subnetUsed(ctx, id, s),
        id: `${id}/subnets/${s.name}`,
        limit: subnetLimit(s.addressPrefix),
        name: { localizedValue: 'Subnet size and usage', value: 'SubnetSpace' },
        unit: 'Count',
      }));
      return { status: 200, body: page(req, items, ctx.state.pageSize) };
    }),
  ];
}
