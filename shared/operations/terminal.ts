/**
 * Terminal values of both a resource's `provisioningState` and an operation's status (ARM's async
 * operation contract): anything else means an operation is still running. A resource without a
 * `provisioningState` counts as `Succeeded`.
 */
export const TERMINAL_STATES: readonly string[] = ['Succeeded', 'Failed', 'Canceled'];

/** True when `state` (a provisioningState or operation status) is terminal: nothing is running. */
export function isTerminalState(state: string | undefined): boolean {
  return TERMINAL_STATES.includes(state ?? 'Succeeded');
}
