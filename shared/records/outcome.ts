import type { ClusterRef } from '../fleet/cluster';

/** `Outcome` values (docs/records.md). */
export type Outcome = 'Succeeded' | 'Failed' | 'Skipped' | 'Planned' | 'InProgress';

/** Jobs (docs/functions.md), as they appear in the `Job` column. */
export type JobName =
  'power-schedule' | 'node-image' | 'version-support' | 'upgrade' | 'sweep' | 'events' | 'chatops';

/**
 * `Actor` (docs/records.md): `timer`, `eventgrid`, `http:<principal>`, `teams:<object id>`.
 * The CLI runs as `timer` when it runs a job the timers run (same job, same records); a change a person
 * asks for on the command line (`upgrade`, `snooze`) is theirs: `cli:<user>`.
 */
export type Actor = 'timer' | 'eventgrid' | `http:${string}` | `teams:${string}` | `cli:${string}`;

/** One action or finding on one cluster (and optionally one pool): a Log Analytics row, a card line. */
export interface OutcomeRecord {
  action: string; // stop | start | node-image-upgrade | upgrade | version-check | tag-check | ...
  outcome: Outcome;
  cluster: ClusterRef;
  nodePool?: string;
  fromVersion?: string;
  toVersion?: string;
  /** Why: AKS's error message, the skip reason, the finding. Never empty for Failed/Skipped. */
  reason: string;
  at: Date;
  durationMs?: number;
  details?: Record<string, unknown>;
}

export interface RunRecord {
  runId: string;
  job: JobName;
  actor: Actor;
  startedAt: Date;
  endedAt?: Date;
  dryRun: boolean;
  outcomes: OutcomeRecord[];
  /** Scheduled reports (version support) are posted even when nothing changed. */
  alwaysReport?: boolean;
}
