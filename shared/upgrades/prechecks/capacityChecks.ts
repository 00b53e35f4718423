import { isUnavailable } from '../facts';
import { usesNodeSubnetIps } from '../facts/capacity';
import type { PreCheckResult } from '../model';
import { vmSizeInfo } from '../surge';
import { result, type CheckContext } from './context';

/** Legacy Azure CNI default pods per node when the pool does not say. */
const DEFAULT_CNI_MAX_PODS = 30;

/**
 * Quota: the regional vCPUs of each VM family (and the regional total) must fit the surge nodes of the
 * pools upgraded. Pools upgrade one after another, but the sum is the safe reading (as AKS's capacity
 * guidance budgets it).
 */
export function quotaCheck(c: CheckContext): PreCheckResult {
  const q = c.facts.quota;
  if (isUnavailable(q))
    return result(
      'quota',
      'warn',
      'quota-unavailable',
      false,
      `vCPU quota could not be read: ${q.unavailable}`,
    );
  const { need, unknown, evidence: ev } = surgeVcpus(c.pools);
  const short: string[] = [];
  let shortAlone = false; // short even without the wave's other runs
  for (const [name, vcpus] of need) {
    const u = q.usages[name];
    if (!u) {
      ev.push(`${name}: no usage reported in ${q.location}`);
      continue;
    }
    const held = q.heldByWave?.[name] ?? 0;
    const free = u.limit - u.current - held;
    ev.push(
      `${name} in ${q.location}: ${u.current}/${u.limit} used${held ? `, ${held} held by the surges of runs this wave started` : ''}, ${free} free, ${vcpus} needed`,
    );
    if (free < vcpus) short.push(`${name} needs ${vcpus} vCPUs, ${free} free`);
    if (u.limit - u.current < vcpus) shortAlone = true;
  }
  if (short.length > 0 && !shortAlone)
    return result(
      'quota',
      'fail',
      'quota-held-by-wave',
      true,
      `the surge nodes fit the vCPU quota, but not beside those of the runs this wave started first: ${short.join('; ')}; it starts once they are done`,
      ev,
    );
  if (short.length > 0)
    return result(
      'quota',
      'fail',
      'quota-short',
      true,
      `not enough vCPU quota for the surge nodes: ${short.join('; ')}; lower maxSurge or raise the quota`,
      ev,
    );
  if (unknown.length > 0)
    return result('quota', 'warn', 'vm-size-unknown', false, `vCPUs of ${unknown.join(', ')} not known`, ev);
  return result('quota', 'pass', 'quota-fits', false, `the surge nodes fit the vCPU quota`, ev);
}

/** Subnet: for Azure CNI pools on a subnet, free IPs for the surge nodes and their pods. */
export function subnetCheck(c: CheckContext): PreCheckResult {
  const s = c.facts.subnets;
  const onSubnet = c.pools.filter(({ pool }) => usesNodeSubnetIps(c.facts.managedCluster, pool));
  if (onSubnet.length === 0)
    return result(
      'subnet',
      'pass',
      'not-applicable',
      false,
      'no upgraded pool takes node IPs from a subnet',
      [
        `network plugin ${c.facts.managedCluster.networkProfile?.networkPlugin ?? 'kubenet'}${c.facts.managedCluster.networkProfile?.networkPluginMode ? ` (${c.facts.managedCluster.networkProfile.networkPluginMode})` : ''}`,
      ],
    );
  if (isUnavailable(s))
    return result(
      'subnet',
      'warn',
      'subnet-unavailable',
      false,
      `subnet usage could not be read: ${s.unavailable}`,
    );
  const need = new Map<string, number>();
  const ev: string[] = [];
  for (const { pool, surge } of onSubnet) {
    const id = pool.vnetSubnetID!.toLowerCase();
    const ips = surge.surgeNodes * (1 + (pool.maxPods ?? DEFAULT_CNI_MAX_PODS));
    need.set(id, (need.get(id) ?? 0) + ips);
    ev.push(
      `pool ${pool.name}: ${surge.surgeNodes} surge node(s) × (1 + ${pool.maxPods ?? DEFAULT_CNI_MAX_PODS} pods) = ${ips} IPs`,
    );
  }
  const short: string[] = [];
  for (const [id, ips] of need) {
    const u = s.subnets.find((x) => x.id.toLowerCase() === id);
    const name = id.split('/').slice(-3).join('/');
    if (!u) {
      ev.push(`${name}: no usage reported`);
      continue;
    }
    const free = u.size - u.used;
    ev.push(`${name}: ${u.used}/${u.size} IPs used, ${free} free, ${ips} needed`);
    if (free < ips) short.push(`${name} has ${free} free IPs, ${ips} needed`);
  }
  if (short.length > 0)
    return result(
      'subnet',
      'fail',
      'subnet-short',
      true,
      `not enough free IPs for the surge nodes: ${short.join('; ')}`,
      ev,
    );
  return result('subnet', 'pass', 'subnet-fits', false, 'the subnets have IPs for the surge nodes', ev);
}

/**
 * The vCPUs the surge nodes of `pools` take, by quota name: each VM family, and `cores` (the regional
 * total). Pools upgrade one after another, but the sum is the safe reading.
 */
export function surgeVcpus(pools: CheckContext['pools']): {
  need: Map<string, number>;
  unknown: string[];
  evidence: string[];
} {
  const need = new Map<string, number>();
  const evidence: string[] = [];
  const unknown: string[] = [];
  let total = 0;
  for (const { pool, surge } of pools) {
    const info = vmSizeInfo(pool.vmSize ?? '');
    if (!info) {
      unknown.push(`${pool.name} (${pool.vmSize ?? 'no size'})`);
      continue;
    }
    const vcpus = surge.surgeNodes * info.vcpus;
    need.set(info.family, (need.get(info.family) ?? 0) + vcpus);
    total += vcpus;
    evidence.push(
      `pool ${pool.name}: ${surge.surgeNodes} surge node(s) × ${info.vcpus} vCPUs (${pool.vmSize}, ${info.family})`,
    );
  }
  need.set('cores', total);
  return { need, unknown, evidence };
}
