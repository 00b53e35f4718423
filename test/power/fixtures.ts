import { clusterId, type ClusterSnapshot } from '../../shared/fleet/cluster';
import {
  handledAfter,
  planPowerSchedule,
  type PowerDecision,
  type PowerPlanInput,
} from '../../shared/power/plan';

export const SUB = '00000000-0000-4000-8000-000000000001';

/** A dev cluster snapshot with the given tags; Running and idle unless told otherwise. */
export function cluster(
  name: string,
  tags: Record<string, string>,
  over: Partial<ClusterSnapshot> = {},
): ClusterSnapshot {
  return {
    id: clusterId(SUB, 'rg-dev', name),
    name,
    subscriptionId: SUB,
    resourceGroup: 'rg-dev',
    location: 'westeurope',
    tags,
    kubernetesVersion: '1.33.2',
    provisioningState: 'Succeeded',
    powerState: 'Running',
    pools: [],
    ...over,
  };
}

/** Paris office hours: stop 19:00, start 07:30, weekdays. */
export const PARIS_OFFICE = {
  'day2-stop': '0 19 * * 1-5',
  'day2-start': '30 7 * * 1-5',
  'day2-timezone': 'Europe/Paris',
};

export const at = (iso: string): Date => new Date(iso);

export interface TickLog {
  at: string;
  decision: PowerDecision;
}

/**
 * Runs the power plan every `stepMinutes` from `from` to `to` (inclusive), as the timer would, carrying the
 * handled edges forward and applying every `act` to the cluster's power state. `events` mutate the fleet
 * at a given ISO instant before that tick (manual start, an AKS operation starting or ending, ...).
 */
export function simulate(
  clusters: ClusterSnapshot[],
  from: string,
  to: string,
  opts: Partial<Pick<PowerPlanInput, 'catchupMinutes' | 'snoozes' | 'handledEdges' | 'defaultTimezone'>> & {
    stepMinutes?: number;
    events?: Record<string, (fleet: ClusterSnapshot[]) => void>;
    skipTicks?: (at: Date) => boolean;
  } = {},
): { log: TickLog[]; handled: Map<string, Date> } {
  let handled = new Map(opts.handledEdges ?? []);
  const log: TickLog[] = [];
  const step = (opts.stepMinutes ?? 5) * 60_000;
  for (let t = Date.parse(from); t <= Date.parse(to); t += step) {
    const now = new Date(t);
    opts.events?.[now.toISOString()]?.(clusters);
    if (opts.skipTicks?.(now)) continue;
    const plan = planPowerSchedule({
      now,
      clusters,
      defaultTimezone: opts.defaultTimezone ?? 'UTC',
      catchupMinutes: opts.catchupMinutes ?? 30,
      snoozes: opts.snoozes ?? new Map(),
      handledEdges: handled,
    });
    for (const d of plan.decisions) {
      log.push({ at: now.toISOString(), decision: d });
      const c = clusters.find((x) => x.id === d.cluster.id);
      if (c && d.kind === 'act') c.powerState = d.action === 'stop' ? 'Stopped' : 'Running';
    }
    handled = handledAfter(handled, plan.decisions);
  }
  return { log, handled };
}

/** Compact form of a log for assertions: `17:00Z stop act: <reason>`. */
export const brief = (log: TickLog[]): string[] =>
  log.map(
    ({ at, decision: d }) => `${at.slice(0, 16)}Z ${d.cluster.name} ${d.action} ${d.kind}: ${d.reason}`,
  );
