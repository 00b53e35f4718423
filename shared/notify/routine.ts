import type { JobName, OutcomeRecord, RunRecord } from '../records/outcome';
import { isFinding } from './card';

/** Jobs whose routine successes fold into a daily digest card, and the actions that count as routine. */
export const DIGEST_ACTIONS: Readonly<Record<string, DigestJob>> = {
  stop: 'power-schedule',
  start: 'power-schedule',
  'node-image-upgrade': 'node-image',
};
export type DigestJob = Extract<JobName, 'power-schedule' | 'node-image'>;
export const DIGEST_JOBS: readonly DigestJob[] = ['power-schedule', 'node-image'];

/** Nobody asked for this run: a timer or an Event Grid event started it (not the CLI, HTTP or ChatOps). */
export function isUnattended(run: Pick<RunRecord, 'actor'>): boolean {
  return run.actor === 'timer' || run.actor === 'eventgrid';
}

/**
 * A routine success of an unattended run: a stop, start or node-image upgrade that AKS accepted,
 * that completed, or (dry run) that was planned. Failures, findings and everything else are not.
 */
export function isRoutine(o: OutcomeRecord): boolean {
  return (
    DIGEST_ACTIONS[o.action] !== undefined &&
    (o.outcome === 'Succeeded' || o.outcome === 'InProgress' || o.outcome === 'Planned') &&
    !isFinding(o)
  );
}

/** The run split into its routine successes and the rest (what alone decides an immediate card). */
export function splitRoutine(run: RunRecord): { routine: OutcomeRecord[]; rest: OutcomeRecord[] } {
  const routine: OutcomeRecord[] = [];
  const rest: OutcomeRecord[] = [];
  for (const o of run.outcomes) (isRoutine(o) ? routine : rest).push(o);
  return { routine, rest };
}
