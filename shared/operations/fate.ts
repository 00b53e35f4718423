import type { PendingOperation } from '../state/operationStore';
import { isRunning, showsEffect, type ResourceState } from './resource';

/**
 * What became of an operation whose holder never recorded AKS's answer (the process died, or the
 * answer was lost on the way), decided from ARM and the intent recorded before the request was sent:
 * - no intent (`Starting`): the request was never sent;
 * - the resource busy in a state this operation shows (`during`): AKS accepted it and it runs (AKS
 *   answers 409 to anything else while it does); busy in another state, or (an upgrade) with ARM asked
 *   for another version than this operation's: someone else's operation (an update also shows
 *   `Updating`);
 * - the expected effect shown, and not shown before: AKS accepted it and it ended Succeeded;
 * - the resource failed since it was observed healthy: AKS accepted it and it ended Failed;
 * - otherwise the resource is as it was: AKS never accepted it.
 */
export type Fate =
  | { fate: 'not-sent' }
  | { fate: 'not-accepted'; reason: string }
  | { fate: 'running'; reason: string }
  | { fate: 'ended'; status: 'Succeeded' | 'Failed'; reason: string };

export function fateOf(op: PendingOperation, r: ResourceState): Fate {
  if (op.stage === 'Starting' || !op.intent) return { fate: 'not-sent' };
  const { expect, before } = op.intent;
  const now = `provisioningState ${r.provisioningState}${r.powerState ? `, power ${r.powerState}` : ''}`;
  if (isRunning(r)) {
    // Busy with something else (another actor's operation): ours was not the one AKS took.
    if (op.intent.during && !op.intent.during.includes(r.provisioningState))
      return { fate: 'not-accepted', reason: `ARM shows another operation running (${now})` };
    const target = expect?.kubernetesVersion;
    if (target && r.askedVersion && r.askedVersion !== target)
      return {
        fate: 'not-accepted',
        reason: `ARM shows another operation running (${now}, asked for ${r.askedVersion}, not ${target})`,
      };
    return { fate: 'running', reason: `ARM shows it running (${now})` };
  }
  const wasShown = before ? showsEffect(before, expect) : false;
  if (!wasShown && showsEffect(r, expect))
    return {
      fate: 'ended',
      status: 'Succeeded',
      reason: `${op.action} completed (found from ARM: ${now}; its answer was lost)`,
    };
  if (r.provisioningState !== 'Succeeded' && before?.provisioningState === 'Succeeded')
    return {
      fate: 'ended',
      status: 'Failed',
      reason: `${op.action} ended in provisioningState ${r.provisioningState}${r.error ? `: ${r.error}` : ''} (found from ARM; its answer was lost)`,
    };
  return { fate: 'not-accepted', reason: `ARM shows no trace of it (${now})` };
}
