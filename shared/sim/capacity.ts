/**
 * Surge capacity as Azure accounts it: regional vCPU quota per VM family and in total (Compute
 * usages), and IPs used per subnet (virtual network usages), computed from the fleet's pools unless
 * the fleet file states them. Also the QuotaExceeded failure of a pool roll whose surge does not fit.
 */
import type { ArmErrorDetail } from './errors';
import type { ClusterState, PoolState, SimState } from './state';

export interface VmSize {
  family: string;
  vCPUs: number;
}

/** Common AKS node sizes; the fleet file's `vmSizes` adds or overrides. */
export const BUILT_IN_VM_SIZES: Record<string, VmSize> = {
  Standard_B2s: { family: 'standardBSFamily', vCPUs: 2 },
  Standard_B4ms: { family: 'standardBSFamily', vCPUs: 4 },
  Standard_D2s_v3: { family: 'standardDSv3Family', vCPUs: 2 },
  Standard_D4s_v3: { family: 'standardDSv3Family', vCPUs: 4 },
  Standard_D8s_v3: { family: 'standardDSv3Family', vCPUs: 8 },
  Standard_D2s_v5: { family: 'standardDSv5Family', vCPUs: 2 },
  Standard_D4s_v5: { family: 'standardDSv5Family', vCPUs: 4 },
  Standard_D8s_v5: { family: 'standardDSv5Family', vCPUs: 8 },
  Standard_D16s_v5: { family: 'standardDSv5Family', vCPUs: 16 },
  Standard_D2ds_v5: { family: 'standardDDSv5Family', vCPUs: 2 },
  Standard_D4ds_v5: { family: 'standardDDSv5Family', vCPUs: 4 },
  Standard_D8ds_v5: { family: 'standardDDSv5Family', vCPUs: 8 },
  Standard_D16ds_v5: { family: 'standardDDSv5Family', vCPUs: 16 },
  Standard_D4as_v5: { family: 'standardDASv5Family', vCPUs: 4 },
  Standard_D8as_v5: { family: 'standardDASv5Family', vCPUs: 8 },
  Standard_E4ds_v5: { family: 'standardEDSv5Family', vCPUs: 4 },
  Standard_E8ds_v5: { family: 'standardEDSv5Family', vCPUs: 8 },
  Standard_F4s_v2: { family: 'standardFSv2Family', vCPUs: 4 },
  Standard_F8s_v2: { family: 'standardFSv2Family', vCPUs: 8 },
  Standard_NC6s_v3: { family: 'standardNCSv3Family', vCPUs: 6 },
};

/** Limits when the fleet file names none (raised to 1.5 x the use, so unnamed quotas never block). */
const DEFAULT_LIMITS = { cores: 1000, virtualMachines: 25000, family: 500 };

export function vmSizes(state: SimState): Record<string, VmSize> {
  return { ...BUILT_IN_VM_SIZES, ...state.fleet.vmSizes };
}

export function vmSize(state: SimState, name: string): VmSize {
  const sizes = vmSizes(state);
  const key = Object.keys(sizes).find((k) => k.toLowerCase() === name.toLowerCase());
  return key ? sizes[key]! : { family: 'standardDSv5Family', vCPUs: 4 };
}

function friendly(name: string): string {
  if (name === 'cores') return 'Total Regional vCPUs';
  if (name === 'virtualMachines') return 'Virtual Machines';
  const m = /^standard(.+)Family$/.exec(name);
  return m ? `Standard ${m[1]} Family vCPUs` : name;
}

export interface Usage {
  name: string;
  currentValue: number;
  limit: number;
}

/** Usages of a subscription in a region: cores, virtualMachines, then each family in use or with a quota. */
export function computeUsages(state: SimState, subscriptionId: string, location: string): Usage[] {
  const used = new Map<string, number>([
    ['cores', 0],
    ['virtualMachines', 0],
  ]);
  for (const c of state.clustersOf(subscriptionId)) {
    if (c.location.toLowerCase() !== location.toLowerCase()) continue;
    for (const p of c.pools) {
      const s = vmSize(state, p.vmSize);
      // Deallocated (stopped) VMs keep counting against quota.
      used.set('cores', used.get('cores')! + p.count * s.vCPUs);
      used.set('virtualMachines', used.get('virtualMachines')! + p.count);
      used.set(s.family, (used.get(s.family) ?? 0) + p.count * s.vCPUs);
    }
  }
  const sub = state.fleet.subscriptions.find((s) => s.id.toLowerCase() === subscriptionId.toLowerCase());
  const quotaKey = Object.keys(sub?.quotas ?? {}).find((k) => k.toLowerCase() === location.toLowerCase());
  const quotas = quotaKey ? sub!.quotas[quotaKey]! : {};
  const names = [...new Set([...used.keys(), ...Object.keys(quotas)])];
  return names.map((name) => ({
    name,
    currentValue: quotas[name]?.currentValue ?? used.get(name) ?? 0,
    limit:
      quotas[name]?.limit ??
      Math.max(
        Math.ceil((used.get(name) ?? 0) * 1.5),
        name === 'cores'
          ? DEFAULT_LIMITS.cores
          : name === 'virtualMachines'
            ? DEFAULT_LIMITS.virtualMachines
            : DEFAULT_LIMITS.family,
      ),
  }));
}

export function usageBody(u: Usage): Record<string, unknown> {
  return {
    unit: 'Count',
    currentValue: u.currentValue,
    limit: u.limit,
    name: { value: u.name, localizedValue: friendly(u.name) },
  };
}

/** Surge nodes of a roll: integer or ceil(percent x count), default 10%, at least 1, at most the pool. */
export function surgeCount(p: PoolState): number {
  const raw = p.upgradeSettings?.maxSurge ?? '10%';
  const n = raw.endsWith('%') ? Math.ceil((p.count * Number(raw.slice(0, -1))) / 100) : Number(raw);
  return Math.min(Math.max(1, p.count), Math.max(1, Number.isFinite(n) ? n : 1));
}

/** AKS's QuotaExceeded when the surge nodes of a roll of `p` do not fit the family or regional quota. */
export function surgeQuotaFailure(
  state: SimState,
  c: ClusterState,
  p: PoolState,
): ArmErrorDetail | undefined {
  if (p.count === 0) return undefined;
  const size = vmSize(state, p.vmSize);
  const asked = surgeCount(p) * size.vCPUs;
  const usages = computeUsages(state, c.subscriptionId, c.location);
  const family = usages.find((u) => u.name === size.family);
  const cores = usages.find((u) => u.name === 'cores');
  if (family && family.limit - family.currentValue < asked) {
    return {
      code: 'QuotaExceeded',
      message: `Insufficient vcpu quota requested ${asked}, remaining ${Math.max(0, family.limit - family.currentValue)} for family ${size.family} for region ${c.location}.`,
    };
  }
  if (cores && cores.limit - cores.currentValue < asked) {
    return {
      code: 'QuotaExceeded',
      message: `Operation results in exceeding quota limits of Core. Maximum allowed: ${cores.limit}, Current in use: ${cores.currentValue}, Additional requested: ${asked}.`,
    };
  }
  return undefined;
}

function ipCount(prefix: string): number {
  const bits = Number(prefix.split('/')[1]);
  return 2 ** (32 - bits);
}

/** Usable addresses of a subnet: Azure keeps 5 of every subnet. */
export function subnetLimit(prefix: string): number {
  return Math.max(0, ipCount(prefix) - 5);
}

/** IPs the fleet's pools take on a subnet (by resource id): 1 per node, or 1 + maxPods with Azure CNI on the node subnet. */
export function ipsUsedBy(state: SimState, subnetId: string): number {
  let used = 0;
  for (const c of state.clusters.values()) {
    const net = (c.extra.networkProfile ?? {}) as Record<string, unknown>;
    const podsOnNodeSubnet = net.networkPlugin === 'azure' && net.networkPluginMode !== 'overlay';
    for (const p of c.pools) {
      const sid = p.extra.vnetSubnetID;
      if (typeof sid !== 'string' || sid.toLowerCase() !== subnetId.toLowerCase()) continue;
      const maxPods = typeof p.extra.maxPods === 'number' ? p.extra.maxPods : 110;
      const perNode = podsOnNodeSubnet && !p.extra.podSubnetID ? 1 + maxPods : 1;
      used += p.count * perNode;
    }
  }
  return used;
}
