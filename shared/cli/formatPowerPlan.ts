import { handledEdgeKey } from '../operations/edgeKey';
import type { ClusterSnapshot } from '../fleet/cluster';
import type { Inventory } from '../fleet/inventory';
import { formatTagError, parseClusterPolicy } from '../policy/tags';
import { renderTable } from './table';
import { localTime } from '../power/format';
import { nextEdges, planPowerSchedule, type PowerDecision } from '../power/plan';

export interface PowerPlanView {
  inventory: Inventory;
  now: Date;
  defaultTimezone: string;
  catchupMinutes: number;
  snoozes: ReadonlyMap<string, Date>;
  handledEdges: ReadonlyMap<string, Date>;
}

const utc = (d: Date): string => `${d.toISOString().slice(11, 16)}Z`;
const edgeCell = (d: Date | undefined, zone: string, now: Date): string =>
  d ? `${localTime(d, zone, now).replace(` ${zone}`, '')} (${utc(d)})` : '–';

function policyCell(c: ClusterSnapshot, defaults: { defaultTimezone: string }): string {
  const p = parseClusterPolicy(c.tags, defaults);
  const parts = [p.stop && `stop ${p.stop.expression}`, p.start && `start ${p.start.expression}`].filter(
    Boolean,
  ) as string[];
  if (parts.length === 0) return 'no schedule';
  if (p.skipDates.length) parts.push(`skip ${p.skipDates.join(',')}`);
  if (p.prod) parts.push('prod');
  if (p.protect) parts.push('protected');
  return parts.join('; ');
}

/** What the plan decides now for a cluster; edges seen for the first time long after they passed are history, not shown. */
function shownDecisions(decisions: PowerDecision[], view: PowerPlanView): PowerDecision[] {
  return decisions.filter(
    (d) =>
      !(
        d.kind === 'skip' &&
        view.now.getTime() - d.edge.getTime() > view.catchupMinutes * 60_000 &&
        !view.handledEdges.has(handledEdgeKey(d.cluster.id, d.action))
      ),
  );
}

function nowCell(decisions: PowerDecision[], view: PowerPlanView): string {
  return (
    shownDecisions(decisions, view)
      .map((d) => `${d.kind === 'act' ? d.action.toUpperCase() : `${d.kind} ${d.action}`}: ${d.reason}`)
      .join('; ') || '–'
  );
}

/** The power plan the view shows (the same plan the timer would make at `view.now`). */
function planOf(view: PowerPlanView): ReturnType<typeof planPowerSchedule> {
  return planPowerSchedule({
    now: view.now,
    clusters: view.inventory.clusters,
    defaultTimezone: view.defaultTimezone,
    catchupMinutes: view.catchupMinutes,
    snoozes: view.snoozes,
    handledEdges: view.handledEdges,
  });
}

/**
 * `aks-day2 plan --job power-schedule`: every cluster with a power schedule, its zone and policy, its next
 * stop and start edges in local time and UTC, and what the plan decides now. Tag errors are listed below.
 */
export function formatPowerPlan(view: PowerPlanView): string {
  const { inventory, now } = view;
  const defaults = { defaultTimezone: view.defaultTimezone };
  const plan = planOf(view);
  const rows: string[][] = [];
  for (const c of inventory.clusters) {
    const next = nextEdges(c, defaults, now);
    const decisions = plan.decisions.filter((d) => d.cluster.id === c.id);
    const hasSchedule = next.stop !== undefined || next.start !== undefined || decisions.length > 0;
    if (!hasSchedule) continue;
    const until = view.snoozes.get(c.id.toLowerCase());
    const power = `${c.powerState}${c.provisioningState === 'Succeeded' ? '' : ` (${c.provisioningState})`}${until && until > now ? `, snoozed to ${utc(until)}` : ''}`;
    rows.push([
      c.name,
      next.zone,
      power,
      policyCell(c, defaults),
      edgeCell(next.stop, next.zone, now),
      edgeCell(next.start, next.zone, now),
      nowCell(decisions, view),
    ]);
  }
  const out = [
    `Power schedule at ${now.toISOString().slice(0, 16).replace('T', ' ')} UTC: ${rows.length} of ${inventory.clusters.length} clusters have a schedule (catch-up ${view.catchupMinutes} min)`,
    '',
    renderTable(
      ['CLUSTER', 'ZONE', 'POWER', 'POLICY', 'NEXT STOP local (UTC)', 'NEXT START local (UTC)', 'NOW'],
      rows,
    ),
  ];
  if (plan.tagErrors.length) {
    out.push('', 'Tag errors (that part of the schedule is off until fixed):');
    for (const t of plan.tagErrors)
      for (const e of t.errors) out.push(`  - ${t.cluster.name}: ${formatTagError(e)}`);
  }
  for (const f of inventory.failures)
    out.push('', `Subscription ${f.subscriptionId} could not be listed: ${f.error.message}`);
  return out.join('\n');
}

/** `plan --job power-schedule --output json`: the same plan as data. */
export function powerPlanData(view: PowerPlanView): unknown {
  const { inventory, now } = view;
  const defaults = { defaultTimezone: view.defaultTimezone };
  const plan = planOf(view);
  const clusters = inventory.clusters.flatMap((c) => {
    const next = nextEdges(c, defaults, now);
    const decisions = plan.decisions.filter((d) => d.cluster.id === c.id);
    if (next.stop === undefined && next.start === undefined && decisions.length === 0) return [];
    const until = view.snoozes.get(c.id.toLowerCase());
    return [
      {
        id: c.id,
        name: c.name,
        zone: next.zone,
        powerState: c.powerState,
        provisioningState: c.provisioningState,
        snoozedUntil: until && until > now ? until : null,
        nextStop: next.stop ?? null,
        nextStart: next.start ?? null,
        decisions: shownDecisions(decisions, view).map((d) => ({
          kind: d.kind,
          action: d.action,
          edge: d.edge,
          reason: d.reason,
        })),
      },
    ];
  });
  return {
    job: 'power-schedule',
    at: now,
    catchupMinutes: view.catchupMinutes,
    clusters,
    tagErrors: plan.tagErrors.flatMap((t) => t.errors.map((e) => ({ cluster: t.cluster.name, ...e }))),
    failures: inventory.failures.map((f) => ({ subscriptionId: f.subscriptionId, error: f.error })),
  };
}
