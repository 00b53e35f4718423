/** Every card and row the app's runs owe delivered once: the receivers' records, deduplicated by run id and `rowId`. */
import type { Deps } from '../deps';
import type { LocalEnvironment } from '../local/localEnv';
import { simAdmin } from '../local/simAdmin';
import { shouldPost } from '../notify/card';
import type { RunRecord } from '../records/outcome';
import type { GroundTruth } from './groundTruth';
import type { ChaosReport } from './report';

export async function checkDeliveries(
  env: LocalEnvironment,
  deps: Deps,
  truth: GroundTruth,
  runIds: string[],
  report: ChaosReport,
  /** Runs that must have been reported (upgrade runs that ended): a missing record is a card never sent. */
  mustReport: string[] = [],
): Promise<void> {
  const cards = new Map<string, number>();
  const rows = new Map<string, number>();
  const { posts } = await simAdmin<{ posts: Array<{ body: unknown }> }>(env.sim, 'GET', '/teams');
  for (const p of posts) {
    const id = /Run (\S+) ·/.exec(JSON.stringify(p.body))?.[1];
    if (id) cards.set(id, (cards.get(id) ?? 0) + 1);
  }
  for (const r of truth.rows) {
    const id = (r.Details as { rowId?: string } | undefined)?.rowId;
    if (id && r.Action !== 'notify-dead-letter') rows.set(id, (rows.get(id) ?? 0) + 1);
  }
  const owed = new Set(mustReport);
  for (const runId of new Set([...runIds, ...mustReport])) {
    const run: RunRecord | undefined = await deps.notifier.runs.get(runId);
    if (!run) {
      if (owed.has(runId)) {
        report.cardsExpected++;
        report.problems.push(`run ${runId} ended but was never reported (no card, no rows)`);
      }
      continue;
    }
    if (shouldPost(run)) {
      report.cardsExpected++;
      const c = cards.get(runId) ?? 0;
      if (c >= 1) report.cardsDelivered++;
      if (c > 1) {
        report.cardsDoubled += c - 1;
        report.problems.push(`card of ${run.job} run ${runId} arrived ${c} times`);
      }
      if (c === 0) report.problems.push(`card of ${run.job} run ${runId} never arrived`);
    }
    run.outcomes.forEach((_, i) => {
      report.rowsExpected++;
      const c = rows.get(`${runId}/${i}`) ?? 0;
      if (c >= 1) report.rowsDelivered++;
      if (c > 1) report.rowsDoubled += c - 1;
    });
  }
  if (report.rowsDelivered < report.rowsExpected)
    report.problems.push(`${report.rowsExpected - report.rowsDelivered} row(s) never arrived`);
}
