import type { Deps } from '../deps';
import { regionKey, type ClusterSnapshot } from '../fleet/cluster';
import { oncePerKeyRetrying } from '../util/onceRetrying';
import { readQuota, type QuotaFacts } from './facts/capacity';

/**
 * The vCPU quota of each (subscription, region) as one wave (a timer run starting many upgrade runs)
 * sees it: the usage is read once, and the surge vCPUs of the runs the wave already started there are
 * held against it. Each run alone may fit a quota that all of them together would exceed; AKS would then
 * fail the later surges half way (QuotaExceeded). Not stored: a wave lasts one timer run, and the next run
 * reads the usage again (surges that ended are free again, surges still running show in it).
 */
export class WaveQuota {
  private readonly held = new Map<string, Map<string, number>>();

  constructor(private readonly deps: Pick<Deps, 'azure'>) {}

  /** The region's usage, read once for the wave (a failed read is tried again by the next cluster). */
  readonly read = oncePerKeyRetrying(
    (cluster: Pick<ClusterSnapshot, 'subscriptionId' | 'location'>) => readQuota(this.deps, cluster),
    (cluster) => regionKey(cluster.subscriptionId, cluster.location),
  );

  /** `q` with what the wave's runs started so far hold in its region (read at the moment of the check). */
  view(q: QuotaFacts, subscriptionId: string): QuotaFacts {
    const held = this.held.get(regionKey(subscriptionId, q.location));
    return held && held.size > 0 ? { ...q, heldByWave: Object.fromEntries(held) } : q;
  }

  /** Holds a started run's surge vCPUs (by usage name) in its region; `release` gives them back. */
  hold(subscriptionId: string, location: string, need: ReadonlyMap<string, number>): { release(): void } {
    const key = regionKey(subscriptionId, location);
    const held = this.held.get(key) ?? new Map<string, number>();
    this.held.set(key, held);
    for (const [name, vcpus] of need) held.set(name, (held.get(name) ?? 0) + vcpus);
    return {
      release: () => {
        for (const [name, vcpus] of need) held.set(name, (held.get(name) ?? 0) - vcpus);
      },
    };
  }
}
