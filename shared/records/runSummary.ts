import type { Outcome, OutcomeRecord, RunRecord } from './outcome';

export const OUTCOMES: readonly Outcome[] = ['Failed', 'Succeeded', 'InProgress', 'Planned', 'Skipped'];

/** What `aks-day2 runs` and the run index show about a run, without its (possibly thousands of) outcomes. */
export interface RunSummary extends Omit<RunRecord, 'outcomes'> {
  /** Outcomes of the run by value. */
  counts: Record<Outcome, number>;
  /** Distinct clusters the run has an outcome for. */
  clusters: number;
  /** Set when the summary was listed for one cluster: what the run did to it. */
  forCluster?: {
    id: string;
    name: string;
    outcomes: Array<Pick<OutcomeRecord, 'action' | 'outcome' | 'reason' | 'nodePool'>>;
  };
}

export function countOutcomes(outcomes: readonly OutcomeRecord[]): Record<Outcome, number> {
  const counts: Record<Outcome, number> = { Failed: 0, Succeeded: 0, InProgress: 0, Planned: 0, Skipped: 0 };
  for (const o of outcomes) counts[o.outcome]++;
  return counts;
}

export function summarizeRun(run: RunRecord): RunSummary {
  return {
    runId: run.runId,
    job: run.job,
    actor: run.actor,
    startedAt: run.startedAt,
    ...(run.endedAt ? { endedAt: run.endedAt } : {}),
    dryRun: run.dryRun,
    ...(run.alwaysReport ? { alwaysReport: true } : {}),
    counts: countOutcomes(run.outcomes),
    clusters: new Set(run.outcomes.map((o) => o.cluster.id.toLowerCase())).size,
  };
}

/** `RunSummary` as plain JSON (dates as ISO strings) and back. */
export function summaryToJson(s: RunSummary): string {
  return JSON.stringify(s);
}

export function summaryFromJson(text: string): RunSummary {
  const raw = JSON.parse(text) as Omit<RunSummary, 'startedAt' | 'endedAt'> & {
    startedAt: string;
    endedAt?: string;
  };
  const { startedAt, endedAt, ...rest } = raw;
  return { ...rest, startedAt: new Date(startedAt), ...(endedAt ? { endedAt: new Date(endedAt) } : {}) };
}
