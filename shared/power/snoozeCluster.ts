import type { Deps } from '../deps';
import { Day2Error } from '../errors';
import { parseClusterPolicy } from '../policy/tags';
import { localTime } from './format';
import { findCluster } from './findCluster';
import { nextEdges } from './plan';
import { parseSnooze } from './snooze';

export interface SnoozeRequest {
  /** Resource id, or a name unique in the subscriptions in scope. */
  cluster: string;
  /** Local `HH:MM` in the cluster's zone. */
  until?: string;
  /** `2h`, `90m`, `1h30m`. */
  for?: string;
  /** Who asked: `teams:<object id>`, `cli:<user>`, … (stored with the snooze). */
  actor: string;
}

/**
 * `snooze CLUSTER for 2h|until 22:00` (CLI and ChatOps): keeps the cluster running past its stop edges
 * until the given time, in the cluster's zone (`day2-timezone`). Stored with its expiry; when it ends a
 * cluster the schedule wants stopped is stopped by the next tick. Returns the confirmation to show.
 */
export async function snoozeCluster(deps: Deps, req: SnoozeRequest): Promise<string> {
  const c = await findCluster(deps.azure, deps.settings.subscriptions, req.cluster, deps.log);
  const defaults = { defaultTimezone: deps.settings.defaultTimezone };
  const zone = parseClusterPolicy(c.tags, defaults).timezone;
  const now = deps.clock.now();
  const r = parseSnooze({ until: req.until, for: req.for }, now, zone);
  if ('error' in r)
    throw new Day2Error('BadRequest', `snooze ${c.name}: ${r.error}`, { cluster: c.id, operation: 'snooze' });
  await deps.state.snoozes.set(c.id, r.until, req.actor, now);
  const next = nextEdges(c, defaults, now);
  const when = `${localTime(r.until, zone, now)} (${r.until.toISOString().slice(11, 16)}Z)`;
  const stop = next.stop
    ? next.stop < r.until
      ? `its stop edge ${localTime(next.stop, zone, now)} is postponed; when the snooze ends it is stopped if its schedule still says stopped`
      : `its next stop edge is ${localTime(next.stop, zone, now)}, after the snooze ends`
    : 'it has no day2-stop schedule';
  deps.log.info(`power-schedule: ${c.name} snoozed until ${r.until.toISOString()} by ${req.actor}`);
  return `${c.name} snoozed until ${when}: ${stop}.`;
}
