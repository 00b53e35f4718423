import type { AgentPool, ManagedCluster } from '@azure/arm-containerservice';
import type { Deps } from '../deps';
import type { NewOperation } from '../state/operationStore';
import type { UpgradeRun, UpgradeStep } from './model';

/** Steps that are an operation on AKS. */
export const OPERATION_STEPS = ['wake', 'control-plane', 'pool', 'node-image', 'sleep'] as const;
export type OperationStepKind = (typeof OPERATION_STEPS)[number];
export const isOperationStep = (s: UpgradeStep): s is UpgradeStep & { kind: OperationStepKind } =>
  (OPERATION_STEPS as readonly string[]).includes(s.kind);

const TERMINAL = ['Succeeded', 'Failed', 'Canceled'];
/** A `forceUpgrade` override is valid this long after the PUT (as `az aks upgrade` writes it). */
const FORCE_UNTIL_MS = 3 * 24 * 3_600_000;

/** What ARM shows of the step's resource now. */
export interface StepResource {
  /** AKS has been asked for this step's change (desired state): a PUT/start/stop was accepted. */
  asked: boolean;
  /** The change took effect and the resource is at rest. */
  done: boolean;
  /** The resource is at rest (not Upgrading/Starting/...). */
  atRest: boolean;
  provisioningState: string;
  describe: string;
  cluster: ManagedCluster;
  pool?: AgentPool;
  /** When it was read (the app's clock): a read younger than DAY2_LISTING_MAX_AGE_SECONDS is acted on. */
  readAt: Date;
}

export type StepVerdict =
  | { state: 'running'; reason: string; progress?: { nodesDone: number; nodesTotal: number } }
  | { state: 'Succeeded'; reason: string }
  | { state: 'Failed'; reason: string; azureCode?: string };

/** Reads the step's resource and whether AKS was asked for the change / carried it out. */
export async function readStepResource(
  deps: Pick<Deps, 'azure' | 'clock'>,
  run: UpgradeRun,
  step: UpgradeStep,
): Promise<StepResource> {
  const readAt = deps.clock.now();
  const aks = deps.azure.aks(run.cluster.subscriptionId);
  const { resourceGroup, name } = run.cluster;
  const cluster = await aks.managedClusters.get(resourceGroup, name);
  const cState = cluster.provisioningState ?? 'Succeeded';
  const power = cluster.powerState?.code ?? 'Running';
  switch (step.kind) {
    case 'wake':
      return {
        asked: power === 'Running' || cState === 'Starting',
        done: power === 'Running' && TERMINAL.includes(cState),
        atRest: TERMINAL.includes(cState),
        provisioningState: cState,
        describe: `cluster ${power}, ${cState}`,
        cluster,
        readAt,
      };
    case 'sleep':
      return {
        asked: power === 'Stopped' || cState === 'Stopping',
        done: power === 'Stopped' && TERMINAL.includes(cState),
        atRest: TERMINAL.includes(cState),
        provisioningState: cState,
        describe: `cluster ${power}, ${cState}`,
        cluster,
        readAt,
      };
    case 'control-plane':
      return {
        asked: cluster.kubernetesVersion === step.toVersion,
        done: cluster.currentKubernetesVersion === step.toVersion && cState === 'Succeeded',
        atRest: TERMINAL.includes(cState),
        provisioningState: cState,
        describe: `control plane ${cluster.currentKubernetesVersion ?? '?'} (asked ${cluster.kubernetesVersion ?? '?'}), ${cState}`,
        cluster,
        readAt,
      };
    default: {
      const pool = await aks.agentPools.get(resourceGroup, name, step.pool ?? '');
      const pState = pool.provisioningState ?? 'Succeeded';
      const imageStep = step.kind === 'node-image';
      const asked = imageStep
        ? pState === 'UpgradingNodeImageVersion'
        : pool.orchestratorVersion === step.toVersion;
      const done = imageStep
        ? false // a node-image step is done when its operation says so
        : pool.currentOrchestratorVersion === step.toVersion && pState === 'Succeeded';
      return {
        asked,
        done,
        atRest: TERMINAL.includes(pState) && TERMINAL.includes(cState),
        provisioningState: pState,
        describe: `pool ${step.pool} ${pool.currentOrchestratorVersion ?? '?'} (asked ${pool.orchestratorVersion ?? '?'}), ${pState}`,
        cluster,
        pool,
        readAt,
      };
    }
  }
}

/** Sends the step's request to AKS without waiting for it; returns the SDK poller. */
export function sendStep(
  deps: Pick<Deps, 'azure' | 'clock'>,
  run: UpgradeRun,
  step: UpgradeStep,
  r: StepResource,
): { submitted(): Promise<void>; serialize(): Promise<string> } {
  const aks = deps.azure.aks(run.cluster.subscriptionId);
  const { resourceGroup, name } = run.cluster;
  const opts = { updateIntervalInMs: 5_000 };
  switch (step.kind) {
    case 'wake':
      return aks.managedClusters.start(resourceGroup, name, opts);
    case 'sleep':
      return aks.managedClusters.stop(resourceGroup, name, opts);
    case 'control-plane': {
      // Only the control plane changes: pools keep the version they run.
      const forced = run.prechecks.some(
        (c) => c.check === 'deprecated-apis' && c.overridden && c.toVersion === step.toVersion,
      );
      const body: ManagedCluster = {
        ...r.cluster,
        kubernetesVersion: step.toVersion,
        agentPoolProfiles: (r.cluster.agentPoolProfiles ?? []).map((p) => ({
          ...p,
          orchestratorVersion: p.currentOrchestratorVersion ?? p.orchestratorVersion,
        })),
        servicePrincipalProfile: undefined,
        ...(forced
          ? {
              upgradeSettings: {
                overrideSettings: {
                  forceUpgrade: true,
                  until: new Date(deps.clock.now().getTime() + FORCE_UNTIL_MS),
                },
              },
            }
          : {}),
      };
      return aks.managedClusters.createOrUpdate(resourceGroup, name, body, {
        ...opts,
        ...(r.cluster.eTag ? { ifMatch: r.cluster.eTag } : {}),
      });
    }
    case 'node-image':
      return aks.agentPools.upgradeNodeImageVersion(resourceGroup, name, step.pool ?? '', opts);
    default: {
      const pool = r.pool!;
      const body: AgentPool = {
        ...pool,
        orchestratorVersion: step.toVersion,
        upgradeSettings: {
          ...(pool.upgradeSettings ?? {}),
          ...(step.upgradeSettings ?? {}),
        },
      };
      return aks.agentPools.createOrUpdate(resourceGroup, name, step.pool ?? '', body, {
        ...opts,
        ...(pool.eTag ? { ifMatch: pool.eTag } : {}),
      });
    }
  }
}

/** The aks-day2 operation record of a step (job `upgrade`, run id = the upgrade run's id). */
export function stepOperation(run: UpgradeRun, step: UpgradeStep, id: string, now: Date): NewOperation {
  const action =
    step.kind === 'control-plane'
      ? 'upgrade-control-plane'
      : step.kind === 'pool'
        ? 'upgrade-pool'
        : step.kind === 'node-image'
          ? 'node-image-upgrade'
          : step.kind === 'wake'
            ? 'start'
            : 'stop';
  return {
    id,
    runId: run.id,
    job: 'upgrade',
    action,
    actor: run.requestedBy,
    cluster: run.cluster,
    ...(step.pool ? { nodePool: step.pool } : {}),
    ...(step.kind === 'control-plane' || step.kind === 'pool'
      ? { fromVersion: run.fromVersion, toVersion: step.toVersion }
      : {}),
    startedAt: now,
    details: {
      upgradeRun: run.id,
      leg: step.leg,
      ...(step.upgradeSettings ? { upgradeSettings: step.upgradeSettings } : {}),
    },
  };
}
