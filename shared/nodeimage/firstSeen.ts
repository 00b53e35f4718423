import type { ClusterSnapshot } from '../fleet/cluster';
import type { FindingStore } from '../state/findingStore';
import { firstSeenKey } from './plan';

/**
 * When aks-day2 first saw each pool on its current node image (the ring gate's `firstSeenOnImage`): a
 * pool that got an image without an aks-day2 rollout soaks from then. Kept in the FindingStore under its
 * own scope, one entry per (cluster, pool, image) as `<pool>|<image>|<ISO time>`; an entry goes when
 * the pool moves to another image or goes away.
 */
export const FIRST_SEEN_SCOPE = 'node-image-seen';

type Store = Pick<FindingStore, 'reported' | 'changeMany'>;

interface Entry {
  clusterId: string;
  pool: string;
  image: string;
  at: Date;
  raw: string;
}

function parse(clusterId: string, raw: string): Entry | undefined {
  const [pool, image, iso, ...rest] = raw.split('|');
  const at = iso ? new Date(iso) : undefined;
  if (!pool || !image || !at || Number.isNaN(at.getTime()) || rest.length > 0) return undefined;
  return { clusterId, pool, image, at, raw };
}

export class FirstSeenImages {
  private constructor(
    private readonly store: Store,
    private readonly entries: Entry[],
  ) {}

  static async load(store: Store): Promise<FirstSeenImages> {
    const entries: Entry[] = [];
    for (const [clusterId, raws] of await store.reported(FIRST_SEEN_SCOPE)) {
      for (const raw of raws) {
        const e = parse(clusterId, raw);
        if (e) entries.push(e);
      }
    }
    return new FirstSeenImages(store, entries);
  }

  /**
   * The plan's input: the stored times, and `now` for every pool of `clusters` on an image not seen
   * before (not stored: `record` does that).
   */
  asOf(clusters: readonly ClusterSnapshot[], now: Date): Map<string, Date> {
    const out = new Map<string, Date>();
    for (const e of this.entries) out.set(firstSeenKey(e.clusterId, e.pool, e.image), e.at);
    for (const c of clusters) {
      for (const p of c.pools) {
        if (!p.nodeImageVersion) continue;
        const k = firstSeenKey(c.id, p.name, p.nodeImageVersion);
        if (!out.has(k)) out.set(k, now);
      }
    }
    return out;
  }

  /** Stores `now` for pools on an image not seen before; forgets pools of `clusters` that left an image. */
  async record(clusters: readonly ClusterSnapshot[], now: Date): Promise<void> {
    const add: Array<{ clusterId: string; finding: string }> = [];
    const remove: Array<{ clusterId: string; finding: string }> = [];
    const byCluster = new Map<string, Entry[]>();
    for (const e of this.entries) byCluster.set(e.clusterId, [...(byCluster.get(e.clusterId) ?? []), e]);
    for (const c of clusters) {
      const id = c.id.toLowerCase();
      const mine = byCluster.get(id) ?? [];
      for (const p of c.pools) {
        if (!p.nodeImageVersion || mine.some((e) => e.pool === p.name && e.image === p.nodeImageVersion))
          continue;
        add.push({ clusterId: id, finding: `${p.name}|${p.nodeImageVersion}|${now.toISOString()}` });
      }
      for (const e of mine) {
        if (!c.pools.some((p) => p.name === e.pool && p.nodeImageVersion === e.image))
          remove.push({ clusterId: id, finding: e.raw });
      }
    }
    // One partition: written 100 rows a request.
    await this.store.changeMany(FIRST_SEEN_SCOPE, add, remove, now);
  }
}
