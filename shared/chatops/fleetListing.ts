import type { Deps } from '../deps';
import type { ClusterSnapshot } from '../fleet/cluster';
import { discoverFleet } from '../fleet/inventory';

interface Listing {
  key: string;
  at: number;
  clusters: Promise<ClusterSnapshot[]>;
}

let last: Listing | undefined;

/**
 * The fleet as ChatOps resolves names against it: one listing shared by the messages of the last
 * `DAY2_LISTING_MAX_AGE_SECONDS` (and by messages that arrive while it is being read), so that a burst
 * of commands costs one list per subscription, not one per message. Anything that acts on a cluster
 * reads it again from ARM first (the worker, the upgrade engine, `status CLUSTER`).
 */
export function fleetListing(
  deps: Pick<Deps, 'azure' | 'settings' | 'log' | 'clock'>,
): Promise<ClusterSnapshot[]> {
  const key = `${deps.settings.armEndpoint ?? ''}|${deps.settings.subscriptions.join(',')}`;
  const now = deps.clock.now().getTime();
  const maxAge = deps.settings.listingMaxAgeSeconds * 1000;
  if (last && last.key === key && now - last.at <= maxAge && now >= last.at) return last.clusters;
  const clusters = discoverFleet(deps.azure, deps.settings.subscriptions, {
    ...deps.log,
    info: () => undefined,
  }).then((inv) => inv.clusters);
  const entry: Listing = { key, at: now, clusters };
  last = entry;
  clusters.catch(() => {
    if (last === entry) last = undefined; // a failed listing is not kept
  });
  return clusters;
}
