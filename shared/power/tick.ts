import type { Deps } from '../deps';
import type { ClusterRef } from '../fleet/cluster';
import type { Actor, OutcomeRecord } from '../records/outcome';
import type { EdgeStore } from '../state/edgeStore';
import type { PowerDecision } from './plan';

/** What every step of one power-schedule tick shares. */
export interface Tick {
  deps: Deps;
  runId: string;
  actor: Actor;
  dryRun: boolean;
  /** Where this tick's handled edges are read and recorded: the dry-run store in a dry run, never the real one. */
  edges: EdgeStore;
  /** The instant the tick planned for. */
  now: Date;
}

export const JOB = 'power-schedule' as const;

/** The powerState ARM shows once a stop or a start took effect. */
export const POWER_TARGET = { stop: 'Stopped', start: 'Running' } as const;
/** The cluster's provisioningState while AKS stops or starts it. */
export const POWER_DURING = { stop: 'Stopping', start: 'Starting' } as const;

/** An outcome of a plan decision: action, cluster, reason and the edge it concerns. */
export function decisionOutcome(
  tick: Tick,
  d: Pick<PowerDecision, 'cluster' | 'action' | 'edge' | 'edgeKey'>,
  outcome: OutcomeRecord['outcome'],
  reason: string,
  details: Record<string, unknown> = {},
): OutcomeRecord {
  return {
    action: d.action,
    outcome,
    cluster: d.cluster,
    reason,
    at: tick.deps.clock.now(),
    details: { edge: d.edge.toISOString(), edgeKey: d.edgeKey, ...details },
  };
}

export const clusterLabel = (c: ClusterRef): string => `${c.name} (${c.resourceGroup})`;
