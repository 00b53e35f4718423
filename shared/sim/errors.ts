/**
 * ARM error bodies as AKS sends them: `{"error":{code,message,details:null,subcode:""}}`, and the
 * refusals AKS makes (docs/simulator.md, AKS's refusals), worded as AKS words them.
 */
export interface ArmErrorDetail {
  code: string;
  message: string;
}

export class ArmError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ArmError';
  }

  body(): ArmErrorBody {
    return armErrorBody(this.code, this.message);
  }
}

export interface ArmErrorBody {
  error: { code: string; message: string; details: null; subcode: string };
}

export function armErrorBody(code: string, message: string): ArmErrorBody {
  return { error: { code, message, details: null, subcode: '' } };
}

const PENDING =
  'please wait for it to finish before starting a new operation. See https://aka.ms/aks-pending-operation for more details';

/** 409 while another operation runs on the cluster (operation name e.g. `Upgrading`, `nodepool1 - Updating`). */
export function anotherOperation(opName: string): ArmError {
  return new ArmError(
    409,
    'OperationNotAllowed',
    `Operation is not allowed: Another operation (${opName}) is in progress, ${PENDING}`,
  );
}

/** 409 for a pool operation while another pool operation runs. */
export function anotherAgentPoolOperation(opName: string): ArmError {
  return new ArmError(
    409,
    'OperationNotAllowed',
    `Operation is not allowed: Another agentpool operation (${opName}) is in progress, ${PENDING}`,
  );
}

/** 409 for a cluster operation while a pool operation runs. */
export function clusterOpWhilePoolOp(opName: string, pool: string): ArmError {
  return new ArmError(
    409,
    'OperationNotAllowed',
    `Managed Cluster operation is not allowed: Another operation (${opName}) is in progress on agent pool (${pool}), ${PENDING}`,
  );
}

function elapsed(since: number, now: number): string {
  const s = Math.max(0, Math.floor((now - since) / 1000));
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
}

/** 409 `managed cluster is in Provisioning State(X) and Power State(Y), <verb> cannot be performed ...`. */
export function stateConflict(
  provisioningState: string,
  powerState: string,
  verb: string,
  previous?: { startedAt: number; now: number },
): ArmError {
  let msg = `managed cluster is in Provisioning State(${provisioningState}) and Power State(${powerState}), ${verb} cannot be performed`;
  if (previous) {
    msg += ` The previous operation started at '${new Date(previous.startedAt).toISOString()}' and elapsed time is: '${elapsed(previous.startedAt, previous.now)}' (RFC3339 format)`;
  }
  return new ArmError(409, 'OperationNotAllowed', msg);
}

/** 409 when stopping a cluster that is not running. */
export function notRunning(lastStop?: { startedAt: number; now: number }): ArmError {
  const tail = lastStop
    ? `; The stop operation started at '${new Date(lastStop.startedAt).toISOString()}' and elapsed time is: '${elapsed(lastStop.startedAt, lastStop.now)}' (RFC3339 format)`
    : '';
  return new ArmError(
    409,
    'OperationNotAllowed',
    `managed cluster is not currently running, stopping cannot be performed${tail}`,
  );
}

export function upgradeNotAllowed(from: string, to: string, available: string[]): ArmError {
  return new ArmError(
    400,
    'OperationNotAllowed',
    `Upgrading Kubernetes version ${from} to ${to} is not allowed. Available upgrades: [${available.join(' ')}]. Please see https://aka.ms/aks-supported-k8s-ver for version details.`,
  );
}

export function versionNotSupported(version: string, location: string): ArmError {
  return new ArmError(
    400,
    'K8sVersionNotSupported',
    `Version ${version} is not supported in this region (${location}). Please use the [az aks get-versions] command to get the supported version list in this region. For more information, please check https://aka.ms/supported-version-list`,
  );
}

export function poolVersionIncompatible(poolVersion: string, controlPlane: string, reason: string): ArmError {
  return new ArmError(
    400,
    'NodePoolMcVersionIncompatible',
    `Node pool version ${poolVersion} and control plane version ${controlPlane} is incompatible. ${reason} Please see https://aka.ms/aks-supported-k8s-ver for version details.`,
  );
}

/** The UpgradeFailed message AKS gives when a PodDisruptionBudget blocks the drain (docs/simulator.md). */
export function pdbDrainFailure(
  pool: string,
  nodeIndex: number,
  ns: string,
  pod: string,
  pdb: string,
): ArmErrorDetail {
  const node = `aks-${pool}-12345678-vmss${String(nodeIndex).padStart(6, '0')}`;
  return {
    code: 'UpgradeFailed',
    message:
      `Drain node ${node} failed when evicting pod ${pod} failed with Too Many Requests error. This is often caused by a restrictive Pod Disruption Budget (PDB) policy. ` +
      `See https://aka.ms/aks/debugdrainfailures. Original error: Cannot evict pod as it would violate the pod's disruption budget.. ` +
      `PDB debug info: ${ns}/${pod} blocked by pdb ${pdb} with 0 unready pods.`,
  };
}

export function resourceNotFound(type: string, name: string, resourceGroup: string): ArmError {
  return new ArmError(
    404,
    'ResourceNotFound',
    `The Resource '${type}/${name}' under resource group '${resourceGroup}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
  );
}

export function resourceGroupNotFound(resourceGroup: string): ArmError {
  return new ArmError(404, 'ResourceGroupNotFound', `Resource group '${resourceGroup}' could not be found.`);
}

export function subscriptionNotFound(subscriptionId: string): ArmError {
  return new ArmError(
    404,
    'SubscriptionNotFound',
    `The subscription '${subscriptionId}' could not be found.`,
  );
}

export function notFound(message: string): ArmError {
  return new ArmError(404, 'NotFound', message);
}

export function badRequest(code: string, message: string): ArmError {
  return new ArmError(400, code, message);
}
