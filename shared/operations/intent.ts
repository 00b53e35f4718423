/**
 * What ARM shows once an operation took effect: every field given must match. Recorded before the
 * request is sent, so that the fate of an operation whose answer was lost (the process died, the
 * connection dropped) is found out from ARM, never assumed.
 */
export interface Expectation {
  powerState?: 'Running' | 'Stopped';
  nodeImageVersion?: string;
  /** The control plane's `currentKubernetesVersion` (or the pool's `currentOrchestratorVersion`). */
  kubernetesVersion?: string;
}

/** The resource as the job re-read it just before submitting (what the operation changes from). */
export interface ObservedState {
  provisioningState: string;
  powerState?: string;
  nodeImageVersion?: string;
  kubernetesVersion?: string;
}

/** The intent recorded before submit (`Submitting`). */
export interface OperationIntent {
  expect?: Expectation;
  before?: ObservedState;
  /** The provisioningStates the resource shows while this operation runs (others are someone else's). */
  during?: string[];
}
