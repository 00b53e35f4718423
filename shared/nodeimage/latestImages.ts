import { toDay2Error } from '../azure/azureError';
import type { AzureClients } from '../azure/clients';
import type { Day2Error } from '../errors';
import type { ClusterSnapshot, PoolSnapshot } from '../fleet/cluster';
import { mapLimit } from '../util/mapLimit';
import { osKey } from './osKey';

/** Upgrade-profile reads in flight at most this many at a time. */
export const PROFILE_CONCURRENCY = 8;

interface PoolRef {
  cluster: ClusterSnapshot;
  pool: PoolSnapshot;
}

/**
 * The group whose one upgrade-profile read answers for a pool: its region and the family of the image it
 * runs (`westeurope|AKSUbuntu-2204gen2containerd`). Undefined when the pool's image has no family to group
 * by (unknown or unversioned): such a pool is read on its own.
 */
export function imageGroupKey(
  cluster: Pick<ClusterSnapshot, 'location'>,
  pool: PoolSnapshot,
): string | undefined {
  const image = pool.nodeImageVersion?.trim();
  if (!image) return undefined;
  const family = osKey(image);
  if (family === image) return undefined;
  return `${cluster.location.toLowerCase()}|${family}`;
}

/** Compares the version parts after the family (`202409.16.0`) numerically; NaN parts compare as text. */
function compareImageVersions(a: string, b: string): number {
  const pa = a.slice(osKey(a).length + 1).split('.');
  const pb = b.slice(osKey(b).length + 1).split('.');
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? '0';
    const y = pb[i] ?? '0';
    const nx = Number(x);
    const ny = Number(y);
    const d = Number.isFinite(nx) && Number.isFinite(ny) ? nx - ny : x.localeCompare(y);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * Whether a group's answer can stand for `pool` without reading it: the answer is of the group's family
 * and not older than what the pool already runs. Otherwise the answer is ambiguous for that pool (AKS is
 * moving the family on, or the region's rollout reached the pool before the pool that was read) and the
 * pool is read on its own.
 */
export function answerFits(pool: PoolSnapshot, answer: string | undefined): answer is string {
  const image = pool.nodeImageVersion;
  if (answer === undefined || image === undefined) return false;
  if (osKey(answer) !== osKey(image)) return false;
  return compareImageVersions(answer, image) >= 0;
}

export interface LatestImages {
  /** Lower-cased cluster id → pool name → `latestNodeImageVersion`. */
  byCluster: Map<string, Record<string, string | undefined>>;
  /** Clusters with a pool whose own read failed (left out of the plan, as before). */
  failures: Array<{ cluster: ClusterSnapshot; error: Day2Error }>;
  /** Upgrade-profile reads made: one per group, plus one per pool read on its own. */
  groupReads: number;
  poolReads: number;
}

/**
 * The latest node image of every pool of `clusters`, at one upgrade-profile read per (region, image
 * family): the latest image AKS offers a pool is the newest release of the pool's image family in its
 * region, the same for every pool of that family there (a node-image upgrade never changes the family).
 * The first pool of each group (by cluster id, then pool name) is read; its answer stands for the others.
 * Pools without a family, pools for which the answer does not fit (`answerFits`) and the pools of a group
 * whose read failed are read one by one, so they get their own answer.
 */
export async function readLatestImages(
  azure: Pick<AzureClients, 'aks'>,
  clusters: readonly ClusterSnapshot[],
): Promise<LatestImages> {
  const groups = new Map<string, PoolRef[]>();
  const single: PoolRef[] = [];
  const byCluster = new Map<string, Record<string, string | undefined>>();
  const ordered = [...clusters].sort((a, b) => a.id.toLowerCase().localeCompare(b.id.toLowerCase()));
  for (const cluster of ordered) {
    byCluster.set(cluster.id.toLowerCase(), {});
    for (const pool of [...cluster.pools].sort((a, b) => a.name.localeCompare(b.name))) {
      const key = imageGroupKey(cluster, pool);
      if (key === undefined) single.push({ cluster, pool });
      else groups.set(key, [...(groups.get(key) ?? []), { cluster, pool }]);
    }
  }
  const read = async (r: PoolRef): Promise<string | undefined> =>
    (
      await azure
        .aks(r.cluster.subscriptionId)
        .agentPools.getUpgradeProfile(r.cluster.resourceGroup, r.cluster.name, r.pool.name)
    ).latestNodeImageVersion;
  const set = (r: PoolRef, v: string | undefined): void => {
    byCluster.get(r.cluster.id.toLowerCase())![r.pool.name] = v;
  };

  let groupReads = 0;
  await mapLimit([...groups.values()], PROFILE_CONCURRENCY, async (members) => {
    const first = members[0]!;
    let answer: string | undefined;
    let firstRead = false;
    try {
      groupReads++;
      answer = await read(first);
      firstRead = true;
    } catch {
      // Not lost: every pool of the group is read on its own below, and a failure there is reported.
    }
    for (const m of members) {
      if (m === first && firstRead) set(m, answer);
      else if (firstRead && answerFits(m.pool, answer)) set(m, answer);
      else single.push(m);
    }
  });

  const failures: LatestImages['failures'] = [];
  const failed = new Set<string>();
  await mapLimit(single, PROFILE_CONCURRENCY, async (r) => {
    try {
      set(r, await read(r));
    } catch (err) {
      const key = r.cluster.id.toLowerCase();
      if (failed.has(key)) return;
      failed.add(key);
      failures.push({
        cluster: r.cluster,
        error: toDay2Error(err, { cluster: r.cluster.name, operation: 'read node-image facts' }),
      });
    }
  });
  for (const key of failed) byCluster.delete(key);
  return { byCluster, failures, groupReads, poolReads: single.length };
}
