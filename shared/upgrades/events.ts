import type { Deps } from '../deps';
import type { ClusterRef } from '../fleet/cluster';
import { advance } from './engine';

/**
 * A NodePoolRolling* event of a cluster: its upgrade run (if one has not ended) is carried forward now
 * instead of at the next sweep. Repeated and late events change nothing: the run settles each step from
 * ARM and records it once.
 */
export async function advanceRunOf(deps: Deps, cluster: Pick<ClusterRef, 'id'>): Promise<void> {
  const run = await deps.state.upgradeRuns.activeFor(cluster);
  if (run) await advance(deps, run);
}
