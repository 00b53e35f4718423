/** `locations/{location}/kubernetesVersions`: the regional versions list (`values`, not pageable). */
import { badRequest } from '../errors';
import type { SimContext } from '../context';
import { route, type Route } from '../http';
import { kubernetesVersionList } from '../versions';
import { requireSubscription } from './common';

export function versionRoutes(ctx: SimContext): Route[] {
  return [
    route(
      'GET',
      '/subscriptions/{subscriptionId}/providers/Microsoft.ContainerService/locations/{location}/kubernetesVersions',
      'ManagedClusters_ListKubernetesVersions',
      (req) => {
        requireSubscription(ctx, req.params.subscriptionId!);
        const name = req.params.location!;
        const loc = ctx.state.location(name);
        if (!loc) {
          throw badRequest(
            'LocationNotAvailableForResourceType',
            `The provided location '${name}' is not available for resource type 'Microsoft.ContainerService/locations/kubernetesVersions'. List of available regions for the resource type is '${[...ctx.state.locations.keys()].join(',')}'.`,
          );
        }
        return { status: 200, body: kubernetesVersionList(loc) };
      },
    ),
  ];
}
