import { isTerminalState } from '../operations/terminal';
import { isBusy, type ClusterRef, type ClusterSnapshot, type PoolSnapshot } from '../fleet/cluster';
import { osKey } from './osKey';

/** The node-image part of a cluster's policy (docs/tags.md), already parsed by the tag parser. */
export interface NodeImagePolicy {
  nodeImage: 'auto' | 'notify' | 'off';
  /** `day2-ring`, 0..9; untagged = 5. */
  ring: number;
  /** `day2-protect`. */
  protect: boolean;
}

/** A maintenance window as `chooseWindow` returns it, or its answer computed beforehand. */
export type WindowInput =
  { contains(now: Date): boolean; describe(): string } | { inWindow: boolean; description: string };

export interface NodeImageClusterInput {
  cluster: ClusterSnapshot;
  policy: NodeImagePolicy;
  window: WindowInput;
  /** Pool name → `latestNodeImageVersion` of `agentPools.getUpgradeProfile(rg, cluster, pool)`. */
  latestNodeImageVersion: Readonly<Record<string, string | undefined>>;
}

/** One past (or running) node-image rollout of one pool, from the state store. */
export interface NodeImageRollout {
  clusterId: string;
  pool: string;
  ring: number;
  imageVersion: string;
  osKey: string;
  startedAt: Date;
  finishedAt?: Date;
  outcome: 'Succeeded' | 'Failed' | 'InProgress';
}

export interface NodeImagePlanInput {
  clusters: readonly NodeImageClusterInput[];
  history: readonly NodeImageRollout[];
  now: Date;
  /** `DAY2_RING_SOAK_HOURS`. */
  soakHours: number;
  /**
   * When aks-day2 first saw a pool on an image (`firstSeenKey`): the soak of a pool that runs an image
   * without an aks-day2 rollout of it (a new cluster, a manual or AKS upgrade) starts then. A pool on the
   * image that is missing here is taken as first seen `now`.
   */
  firstSeenOnImage?: ReadonlyMap<string, Date>;
}

/** Key of `firstSeenOnImage`: lower-cased cluster id, pool name, image version. */
export function firstSeenKey(clusterId: string, pool: string, image: string): string {
  return `${clusterId.toLowerCase()}|${pool}|${image}`;
}

export interface NodeImageDecision {
  cluster: ClusterRef;
  pool: string;
  kind: 'upgrade' | 'notify' | 'skip';
  from: string;
  to: string;
  ring: number;
  /** Image family of `to` (see osKey). */
  osKey: string;
  reason: string;
  /** Set when the decision is a finding to tell once (not routine waiting): what kind of finding it is. */
  finding?: FindingKind;
}

/**
 * Kinds of node-image findings: an image to report, a pool left to AKS, a stopped cluster or pool, a
 * halted ring, a failed upgrade not retried, a bad tag.
 */
export type FindingKind = 'notify' | 'aks-managed' | 'stopped' | 'halted' | 'not-retried' | 'tag';

const AKS_MANAGED_CHANNELS = ['nodeimage', 'securitypatch'];

function windowOpen(w: WindowInput, now: Date): { open: boolean; text: string } {
  return 'inWindow' in w
    ? { open: w.inWindow, text: w.description }
    : { open: w.contains(now), text: w.describe() };
}

function ref(c: ClusterSnapshot): ClusterRef {
  return { id: c.id, name: c.name, subscriptionId: c.subscriptionId, resourceGroup: c.resourceGroup };
}

const sameId = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** Clusters whose node images aks-day2 rolls automatically: the only ones a ring gate waits for. */
function rollsAutomatically(c: NodeImageClusterInput): boolean {
  return (
    c.policy.nodeImage === 'auto' &&
    !c.policy.protect &&
    !AKS_MANAGED_CHANNELS.includes((c.cluster.nodeOSUpgradeChannel ?? '').toLowerCase())
  );
}

/** The latest record per cluster/pool/image decides: a failure followed by a successful retry no longer halts. */
function latestRecords(history: readonly NodeImageRollout[], image: string): NodeImageRollout[] {
  const byPool = new Map<string, NodeImageRollout>();
  for (const r of history) {
    if (r.imageVersion !== image) continue;
    const k = `${r.clusterId.toLowerCase()}|${r.pool}`;
    const prev = byPool.get(k);
    if (!prev || r.startedAt.getTime() >= prev.startedAt.getTime()) byPool.set(k, r);
  }
  return [...byPool.values()];
}

type GateResult = { ok: true } | { ok: false; reason: string; finding?: FindingKind };

function ringGate(
  me: NodeImageClusterInput,
  image: string,
  family: string,
  all: readonly NodeImageClusterInput[],
  history: readonly NodeImageRollout[],
  now: Date,
  soakHours: number,
  firstSeen: ReadonlyMap<string, Date>,
): GateResult {
  const ring = me.policy.ring;
  const records = latestRecords(history, image);
  const nameOf = (id: string) => all.find((c) => sameId(c.cluster.id, id))?.cluster.name ?? id;
  const failed = records
    .filter((r) => r.outcome === 'Failed' && r.ring < ring)
    .sort(
      (a, b) =>
        a.ring - b.ring ||
        nameOf(a.clusterId).localeCompare(nameOf(b.clusterId)) ||
        a.pool.localeCompare(b.pool),
    )[0];
  if (failed)
    return {
      ok: false,
      finding: 'halted',
      reason: `halted: ring ${failed.ring} failed on ${nameOf(failed.clusterId)}/${failed.pool} with image ${image}`,
    };

  // The nearest lower ring that has clusters running this image family. A stopped cluster runs no
  // nodes, so it cannot soak an image: it is not waited for (it is reported as stopped on its own line),
  // otherwise one dev cluster left stopped would hold every later ring forever.
  const members = (r: number) =>
    all.filter(
      (c) =>
        c.policy.ring === r &&
        rollsAutomatically(c) &&
        c.cluster.powerState !== 'Stopped' &&
        c.cluster.pools.some((p) => p.nodeImageVersion !== undefined && osKey(p.nodeImageVersion) === family),
    );
  let prevRing: number | undefined;
  for (let r = ring - 1; r >= 0; r--)
    if (members(r).length > 0) {
      prevRing = r;
      break;
    }
  if (prevRing === undefined) return { ok: true };

  const soakMs = soakHours * 3_600_000;
  const waiting: string[] = [];
  for (const c of [...members(prevRing)].sort((a, b) => a.cluster.name.localeCompare(b.cluster.name))) {
    for (const p of [...c.cluster.pools].sort((a, b) => a.name.localeCompare(b.name))) {
      if (p.nodeImageVersion === undefined || osKey(p.nodeImageVersion) !== family) continue;
      const rec = records.find((r) => sameId(r.clusterId, c.cluster.id) && r.pool === p.name);
      const where = `${c.cluster.name}/${p.name}`;
      const soaksLeft = (since: Date): number => soakMs - (now.getTime() - since.getTime());
      const hours = (ms: number): number => Math.ceil(ms / 3_600_000);
      if (!rec) {
        // Already on the image without an aks-day2 rollout (new cluster, manual or AKS upgrade): it soaks
        // from when aks-day2 first saw it there.
        if (p.nodeImageVersion !== image) waiting.push(`${where} has not run it yet`);
        else {
          const since = firstSeen.get(firstSeenKey(c.cluster.id, p.name, image)) ?? now;
          if (soaksLeft(since) > 0)
            waiting.push(
              `${where} soaks ${hours(soaksLeft(since))}h more (on it since aks-day2 first saw it, ${since.toISOString()})`,
            );
        }
      } else if (rec.outcome === 'InProgress' || !rec.finishedAt) waiting.push(`${where} is still upgrading`);
      else if (soaksLeft(rec.finishedAt) > 0)
        waiting.push(`${where} soaks ${hours(soaksLeft(rec.finishedAt))}h more`);
    }
  }
  if (waiting.length === 0) return { ok: true };
  const more = waiting.length > 3 ? ` (+${waiting.length - 3} more)` : '';
  return {
    ok: false,
    reason: `waiting for ring ${prevRing} to run ${image} for ${soakHours}h: ${waiting.slice(0, 3).join('; ')}${more}`,
  };
}

function poolBusy(p: PoolSnapshot): boolean {
  return !isTerminalState(p.provisioningState);
}

/**
 * Node-image decisions for every pool whose image is behind the latest (docs/tags.md; `nodeImageUpgrade` in docs/functions.md).
 * Pure and deterministic: clusters by ring then name then id, pools by name.
 */
export function planNodeImage(input: NodeImagePlanInput): NodeImageDecision[] {
  const { now, history, soakHours } = input;
  const firstSeen = input.firstSeenOnImage ?? new Map<string, Date>();
  const ordered = [...input.clusters].sort(
    (a, b) =>
      a.policy.ring - b.policy.ring ||
      a.cluster.name.localeCompare(b.cluster.name) ||
      a.cluster.id.localeCompare(b.cluster.id),
  );
  const decisions: NodeImageDecision[] = [];

  for (const entry of ordered) {
    const { cluster, policy } = entry;
    if (policy.nodeImage === 'off') continue;
    const pools = [...cluster.pools].sort((a, b) => a.name.localeCompare(b.name));
    const running = history.filter((r) => sameId(r.clusterId, cluster.id) && r.outcome === 'InProgress');
    // A pool being upgraded (by aks-day2 or anyone) or otherwise busy: the other pools wait for it.
    const upgrading = (p: PoolSnapshot) =>
      p.provisioningState === 'UpgradingNodeImageVersion' || running.some((r) => r.pool === p.name);
    let holder: string | undefined = pools.find(upgrading)?.name ?? pools.find(poolBusy)?.name;

    for (const pool of pools) {
      const to = entry.latestNodeImageVersion[pool.name];
      const from = pool.nodeImageVersion ?? '';
      if (to !== undefined && from === to) continue; // up to date
      const base = {
        cluster: ref(cluster),
        pool: pool.name,
        from,
        to: to ?? '',
        ring: policy.ring,
        osKey: osKey(to ?? from),
      };
      const decide = (kind: NodeImageDecision['kind'], reason: string, finding?: FindingKind) =>
        decisions.push({ ...base, kind, reason, ...(finding ? { finding } : {}) });

      const channel = cluster.nodeOSUpgradeChannel ?? '';
      if (AKS_MANAGED_CHANNELS.includes(channel.toLowerCase())) {
        decide('skip', `left to AKS: nodeOSUpgradeChannel is ${channel}`, 'aks-managed');
        continue;
      }
      if (to === undefined) {
        decide('skip', 'latest node image version unknown (pool upgrade profile not read)');
        continue;
      }
      if (from === '') {
        decide('skip', 'current node image version unknown');
        continue;
      }
      if (policy.protect) {
        decide('notify', `day2-protect is set: ${to} is available, reported only`, 'notify');
        continue;
      }
      if (policy.nodeImage === 'notify') {
        decide('notify', `${to} is available (day2-node-image is notify)`, 'notify');
        continue;
      }
      if (cluster.powerState === 'Stopped') {
        decide('skip', 'cluster is stopped', 'stopped');
        continue;
      }
      if (pool.powerState === 'Stopped') {
        decide('skip', 'pool is stopped', 'stopped');
        continue;
      }

      if (upgrading(pool)) {
        decide('skip', `node-image upgrade in progress (pool provisioningState ${pool.provisioningState})`);
        continue;
      }
      if (poolBusy(pool)) {
        decide('skip', `pool busy: provisioningState ${pool.provisioningState}; waiting`);
        continue;
      }
      if (holder !== undefined) {
        decide('skip', `waiting for pool ${holder}`);
        continue;
      }
      const mine = latestRecords(history, to).find(
        (r) => sameId(r.clusterId, cluster.id) && r.pool === pool.name,
      );
      if (isBusy(cluster)) {
        decide('skip', `cluster busy: provisioningState ${cluster.provisioningState}; waiting`);
        continue;
      }
      if (mine?.outcome === 'Failed') {
        decide(
          'skip',
          `the upgrade to ${to} failed at ${(mine.finishedAt ?? mine.startedAt).toISOString()}; not retried automatically`,
          'not-retried',
        );
        continue;
      }
      const gate = ringGate(entry, to, osKey(to), input.clusters, history, now, soakHours, firstSeen);
      if (!gate.ok) {
        decide('skip', gate.reason, gate.finding);
        continue;
      }
      const w = windowOpen(entry.window, now);
      if (!w.open) {
        decide('skip', `outside maintenance window (${w.text})`);
        continue;
      }
      decide('upgrade', `${from} → ${to} (ring ${policy.ring}, inside ${w.text})`);
      holder = pool.name; // one pool at a time per cluster
    }
  }
  return decisions;
}
