import type { ContainerServiceClient } from '@azure/arm-containerservice';
import type { ClusterRef } from '../fleet/cluster';
import type { Expectation, ObservedState } from './intent';
import { isTerminalState } from './terminal';

/** An operation's resource (the cluster, or one of its pools) as ARM shows it now. */
export interface ResourceState extends ObservedState {
  /** AKS's error of the resource's last operation, when it reports one (`status.provisioningError`). */
  error?: string;
  /**
   * The version ARM was last asked for (the cluster's `kubernetesVersion`, the pool's
   * `orchestratorVersion`): set by the PUT AKS accepted, so it tells whose upgrade or update is running.
   */
  askedVersion?: string;
}

/** Where an operation runs: the cluster, or `nodePool` of it. */
export interface OperationTarget {
  cluster: ClusterRef;
  nodePool?: string;
}

export const targetLabel = (op: OperationTarget): string =>
  op.nodePool ? `${op.cluster.name} pool ${op.nodePool}` : op.cluster.name;

/** One GET of the operation's resource (cluster or pool). Throws the SDK's error. */
export async function readResource(
  client: ContainerServiceClient,
  op: OperationTarget,
): Promise<ResourceState> {
  const { resourceGroup: rg, name } = op.cluster;
  if (op.nodePool) {
    const p = await client.agentPools.get(rg, name, op.nodePool);
    return {
      provisioningState: p.provisioningState ?? 'Succeeded',
      powerState: p.powerState?.code,
      nodeImageVersion: p.nodeImageVersion,
      kubernetesVersion: p.currentOrchestratorVersion ?? p.orchestratorVersion,
      ...(p.orchestratorVersion ? { askedVersion: p.orchestratorVersion } : {}),
    };
  }
  const mc = await client.managedClusters.get(rg, name);
  const err = mc.status?.provisioningError;
  return {
    provisioningState: mc.provisioningState ?? 'Succeeded',
    powerState: mc.powerState?.code,
    kubernetesVersion: mc.currentKubernetesVersion ?? mc.kubernetesVersion,
    ...(mc.kubernetesVersion ? { askedVersion: mc.kubernetesVersion } : {}),
    ...(err?.code || err?.message ? { error: [err.code, err.message].filter(Boolean).join(': ') } : {}),
  };
}

/** True while an operation runs on the resource. */
export const isRunning = (r: Pick<ResourceState, 'provisioningState'>): boolean =>
  !isTerminalState(r.provisioningState);

/** True when every expected field matches (false when nothing is expected). */
export function showsEffect(r: ObservedState, expect: Expectation | undefined): boolean {
  if (!expect) return false;
  const entries = Object.entries(expect).filter(([, v]) => v !== undefined);
  return entries.length > 0 && entries.every(([k, v]) => r[k as keyof ObservedState] === v);
}
