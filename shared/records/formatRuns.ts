import type { RunRecord } from './outcome';
import { summarizeRun, type RunSummary } from './runSummary';

/**
 * The table `aks-day2 runs [--cluster X]` prints, newest first as given:
 *
 *   RUN                           JOB             ACTOR   STARTED (UTC)     TOOK   CHANGED  FAILED  SKIPPED  CLUSTERS
 *   20261005T060000123Z-9f3a61c2  node-image      timer   2026-10-05 06:00  4m12s        3       1       9        13
 *
 * Listed for one cluster, a last column says what the run did to it.
 */
export function formatRuns(runs: ReadonlyArray<RunSummary | RunRecord>): string {
  if (runs.length === 0) return 'No runs found.';
  const summaries = runs.map((r) => ('outcomes' in r ? summarizeRun(r) : r));
  const withCluster = summaries.some((s) => s.forCluster);
  const header = [
    'RUN',
    'JOB',
    'ACTOR',
    'STARTED (UTC)',
    'TOOK',
    'CHANGED',
    'PLANNED',
    'FAILED',
    'SKIPPED',
    'CLUSTERS',
  ];
  if (withCluster) header.push('ON THIS CLUSTER');
  const rows = summaries.map((s) => {
    const row = [
      s.runId + (s.dryRun ? ' (dry run)' : ''),
      s.job,
      s.actor,
      s.startedAt.toISOString().slice(0, 16).replace('T', ' '),
      s.endedAt ? took(s.endedAt.getTime() - s.startedAt.getTime()) : 'running',
      String(s.counts.Succeeded + s.counts.InProgress),
      String(s.counts.Planned),
      String(s.counts.Failed),
      String(s.counts.Skipped),
      String(s.clusters),
    ];
    if (withCluster) {
      row.push(
        (s.forCluster?.outcomes ?? [])
          .map(
            (o) =>
              `${o.action}${o.nodePool ? `/${o.nodePool}` : ''} ${o.outcome}${o.outcome === 'Failed' || o.outcome === 'Skipped' ? `: ${o.reason}` : ''}`,
          )
          .join('; '),
      );
    }
    return row;
  });
  const numeric = new Set([5, 6, 7, 8, 9]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) =>
        i === cells.length - 1 ? c : numeric.has(i) ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0),
      )
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

function took(ms: number): string {
  if (ms < 0) return '?';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}
