import { isBusy, type ClusterRef, type ClusterSnapshot } from '../fleet/cluster';
import {
  parseClusterPolicy,
  POWER_TAGS,
  tagValue,
  type ClusterPolicy,
  type PolicyDefaults,
  type TagError,
} from '../policy/tags';
import { edgeKey, handledEdgeKey } from '../operations/edgeKey';
import { lastEdgeAtOrBefore, nextEdgeAfter } from './edges';
import { localDate, localTime, minutesBetween } from './format';

export type PowerAction = 'stop' | 'start';

export interface PowerPlanInput {
  now: Date;
  clusters: ClusterSnapshot[];
  defaultTimezone: string;
  /** DAY2_CATCHUP_MINUTES: an edge older than this is never acted on. */
  catchupMinutes: number;
  /** Cluster id lower-case → snoozed until (keeps it running past stop edges until then). */
  snoozes: ReadonlyMap<string, Date>;
  /** `handledEdgeKey(cluster, action)` → latest edge instant already handled (acted on or consumed). */
  handledEdges: ReadonlyMap<string, Date>;
}

export type PowerDecision = {
  cluster: ClusterRef;
  action: PowerAction;
  /** The cron edge instant; for a stop postponed by a snooze, the instant the snooze ended. */
  edge: Date;
  /** `edgeKey(cluster, action, edge)`: idempotency key of the edge. */
  edgeKey: string;
  /** act: call AKS; skip: edge consumed, nothing done; defer: edge not consumed, retried next tick. */
  kind: 'act' | 'skip' | 'defer';
  reason: string;
};

export interface PowerPlan {
  decisions: PowerDecision[];
  /** Errors of the tags the power schedule reads (stop, start, timezone, skip, protect). */
  tagErrors: Array<{ cluster: ClusterRef; errors: TagError[] }>;
}

interface Candidate {
  action: PowerAction;
  edge: Date;
  /** The cron edge whose local date is checked against `day2-skip`. */
  cronEdge: Date;
  label: string;
}

/** A stop and a start closer than this are not both carried out (the later wins). */
const SUPERSEDE_WINDOW_MS = 30 * 60_000;

function refOf(c: ClusterSnapshot): ClusterRef {
  return { id: c.id, name: c.name, subscriptionId: c.subscriptionId, resourceGroup: c.resourceGroup };
}

function prodTag(tags: Record<string, string>): string {
  for (const k of ['environment', 'env']) {
    const t = tagValue(tags, k);
    if (t && /^(prod|production)$/i.test(t.value.trim())) return `${t.key}=${t.value}`;
  }
  return 'environment=prod';
}

/** Latest unhandled edge of each action, plus the snooze-expiry stop (see planCluster). */
function candidates(c: ClusterSnapshot, p: ClusterPolicy, input: PowerPlanInput): Candidate[] {
  const { now } = input;
  const id = c.id.toLowerCase();
  const zone = p.timezone;
  const last = {
    stop: p.stop && lastEdgeAtOrBefore(p.stop, zone, now),
    start: p.start && lastEdgeAtOrBefore(p.start, zone, now),
  };
  const out: Candidate[] = [];
  for (const action of ['stop', 'start'] as const) {
    const edge = last[action];
    const handled = input.handledEdges.get(handledEdgeKey(id, action));
    if (!edge || (handled && edge <= handled)) continue;
    out.push({ action, edge, cronEdge: edge, label: `${action} edge ${localTime(edge, zone, now)}` });
  }
  // Snooze expiry. A snooze keeps a cluster running past its stop edge; when it ends, the schedule's state
  // applies again, so the cluster must stop late. Rule: once `now >= until`, if the latest stop edge lies
  // before `until` and after the latest start edge (the schedule says "stopped" now), and no stop has been
  // handled at or after `until`, a stop is due with edge = `until` (its key differs from the cron edge's,
  // and handling it records `until`, so it happens once). It replaces a still-pending cron stop edge.
  // Snoozes that ended before the stop edge, or before a later start edge, change nothing; a manual start
  // without a snooze is respected until the next edge as usual.
  const until = input.snoozes.get(id);
  const stopEdge = last.stop;
  const handledStop = input.handledEdges.get(handledEdgeKey(id, 'stop'));
  if (
    until &&
    until <= now &&
    stopEdge &&
    stopEdge < until &&
    (!last.start || stopEdge > last.start) &&
    (!handledStop || handledStop < until)
  ) {
    const label = `snooze ended ${localTime(until, zone, now)}; stop edge ${localTime(stopEdge, zone, now)} was postponed`;
    return [
      ...out.filter((x) => x.action !== 'stop'),
      { action: 'stop', edge: until, cronEdge: stopEdge, label },
    ];
  }
  return out;
}

/**
 * Decisions for one cluster. Order of the rules: missed (past catch-up) → protect → skip date → prod guard
 * (stop) → snooze (stop); of what is left, when a stop and a start are both pending only the later acts;
 * then already in the target state → skip; busy → defer; else act.
 */
function planCluster(c: ClusterSnapshot, p: ClusterPolicy, input: PowerPlanInput): PowerDecision[] {
  const { now } = input;
  const id = c.id.toLowerCase();
  const zone = p.timezone;
  const cluster = refOf(c);
  const out: PowerDecision[] = [];
  const decide = (x: Candidate, kind: PowerDecision['kind'], reason: string): void => {
    out.push({
      cluster,
      action: x.action,
      edge: x.edge,
      edgeKey: edgeKey(id, x.action, x.edge),
      kind,
      reason,
    });
  };
  const until = input.snoozes.get(id);
  const live: Candidate[] = [];
  for (const x of candidates(c, p, input).sort((a, b) => a.edge.getTime() - b.edge.getTime())) {
    const late = now.getTime() - x.edge.getTime();
    const day = localDate(x.cronEdge, zone);
    if (late > input.catchupMinutes * 60_000) {
      decide(
        x,
        'skip',
        `${x.label} missed by ${minutesBetween(x.edge, now)} min, past the catch-up window (${input.catchupMinutes} min)`,
      );
    } else if (p.protect)
      decide(x, 'skip', `day2-protect=true: nothing is changed automatically (${x.label})`);
    else if (p.skipDates.includes(day)) decide(x, 'skip', `skip date ${day} (${x.label})`);
    else if (x.action === 'stop' && p.prod)
      decide(x, 'skip', `prod guard: ${prodTag(c.tags)} is never stopped by a schedule (${x.label})`);
    else if (x.action === 'stop' && until && now < until)
      decide(x, 'skip', `snoozed until ${localTime(until, zone, now)} (${x.label})`);
    else live.push(x);
  }
  const [first, second] = live;
  const chosen = second ?? first;
  if (first && second) {
    decide(
      first,
      'skip',
      `superseded by the later ${second.label}, ${minutesBetween(first.edge, second.edge)} min later`,
    );
  }
  // A stop and a start less than 30 minutes apart are not both carried out: the later wins. When the
  // opposite action's next edge follows this one within the window (and would not itself be skipped),
  // this edge is consumed without acting, whatever tick it is decided on.
  const opposite = chosen && (chosen.action === 'stop' ? 'start' : 'stop');
  const oppSpec = opposite && p[opposite];
  const oppNext = chosen && oppSpec ? nextEdgeAfter(oppSpec, zone, chosen.edge) : undefined;
  const oppSkipped = (edge: Date): boolean =>
    p.skipDates.includes(localDate(edge, zone)) || (opposite === 'stop' && p.prod);
  if (
    chosen &&
    oppNext &&
    oppNext.getTime() - chosen.edge.getTime() < SUPERSEDE_WINDOW_MS &&
    !oppSkipped(oppNext)
  ) {
    decide(
      chosen,
      'skip',
      `superseded by the later ${opposite} edge ${localTime(oppNext, zone, now)}, ${minutesBetween(chosen.edge, oppNext)} min later: a stop and a start less than 30 min apart are not both carried out (${chosen.label})`,
    );
  } else if (chosen) {
    const target = chosen.action === 'stop' ? 'Stopped' : 'Running';
    const late = minutesBetween(chosen.edge, now);
    if (c.powerState === target) decide(chosen, 'skip', `already ${target.toLowerCase()} (${chosen.label})`);
    else if (isBusy(c))
      decide(
        chosen,
        'defer',
        `operation in progress (${c.provisioningState}); retrying next tick (${chosen.label})`,
      );
    else decide(chosen, 'act', late > 0 ? `${chosen.label}, caught up ${late} min late` : chosen.label);
  }
  return out;
}

/** The power schedule (docs/tags.md) for the fleet at `now`. Pure: no I/O, no clock. */
export function planPowerSchedule(input: PowerPlanInput): PowerPlan {
  const decisions: PowerDecision[] = [];
  const tagErrors: PowerPlan['tagErrors'] = [];
  const defaults: PolicyDefaults = { defaultTimezone: input.defaultTimezone };
  for (const c of input.clusters) {
    const p = parseClusterPolicy(c.tags, defaults);
    const errors = p.errors.filter((e) => POWER_TAGS.includes(e.tag.toLowerCase()));
    if (errors.length > 0) tagErrors.push({ cluster: refOf(c), errors });
    decisions.push(...planCluster(c, p, input));
  }
  const byId = (a: ClusterRef, b: ClusterRef): number =>
    a.id.toLowerCase() < b.id.toLowerCase() ? -1 : a.id.toLowerCase() > b.id.toLowerCase() ? 1 : 0;
  decisions.sort(
    (a, b) =>
      byId(a.cluster, b.cluster) || a.edge.getTime() - b.edge.getTime() || a.action.localeCompare(b.action),
  );
  tagErrors.sort((a, b) => byId(a.cluster, b.cluster));
  return { decisions, tagErrors };
}

/**
 * The handled-edge map after the plan's decisions are carried out: every decision but `defer` consumes its
 * edge. (The apply step records an `act` only once AKS accepted it; a failed call is its to report.)
 */
export function handledAfter(
  previous: ReadonlyMap<string, Date>,
  decisions: readonly PowerDecision[],
): Map<string, Date> {
  const next = new Map(previous);
  for (const d of decisions) {
    if (d.kind === 'defer') continue;
    const key = handledEdgeKey(d.cluster.id, d.action);
    const prev = next.get(key);
    if (!prev || prev < d.edge) next.set(key, d.edge);
  }
  return next;
}

/** Next stop and start edges of a cluster, for `aks-day2 plan --job power-schedule`. */
export function nextEdges(
  cluster: ClusterSnapshot,
  defaults: PolicyDefaults,
  now: Date,
): { stop?: Date; start?: Date; zone: string } {
  const p = parseClusterPolicy(cluster.tags, defaults);
  return {
    stop: p.stop && nextEdgeAfter(p.stop, p.timezone, now),
    start: p.start && nextEdgeAfter(p.start, p.timezone, now),
    zone: p.timezone,
  };
}
