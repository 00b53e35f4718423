/** Power schedule ground truth: every stop/start edge due carried out once (or recorded Failed), none doubled. */
import { CronExpressionParser } from 'cron-parser';
import { START_CRON, STOP, type Scheduled } from './chaosFleet';
import type { GroundTruth } from './groundTruth';
import type { ChaosReport } from './report';

export function checkPower(
  truth: GroundTruth,
  scheduled: Scheduled[],
  ticks: number[],
  catchupMs: number,
  tickMs: number,
  report: ChaosReport,
): void {
  const first = ticks[0]!;
  const last = ticks[ticks.length - 1]!;
  for (const c of scheduled) {
    const ops = truth.opsOf(c.name);
    const edges: Array<{ at: number; action: 'stop' | 'start' }> = [];
    for (const [action, cron] of [
      ['stop', STOP],
      ['start', START_CRON],
    ] as const) {
      const it = CronExpressionParser.parse(cron, { tz: c.zone, currentDate: new Date(first - 1) });
      for (;;) {
        const at = it.next().getTime();
        if (at > last - catchupMs - tickMs) break;
        edges.push({ at, action });
      }
    }
    edges.sort((a, b) => a.at - b.at);
    let state: 'Running' | 'Stopped' = 'Running';
    for (const e of edges) {
      if (!ticks.some((t) => t >= e.at && t <= e.at + catchupMs)) continue; // the app was down for the whole catch-up window
      report.edgesDue++;
      const window = ops.filter(
        (op) => op.kind === e.action && op.startMs >= e.at && op.startMs <= e.at + catchupMs + tickMs,
      );
      const target = e.action === 'stop' ? 'Stopped' : 'Running';
      if (state === target) {
        report.notNeeded++;
        if (window.length > 0) report.doubled += window.length;
        continue;
      }
      if (window.length === 1) {
        report.actionsCarriedOut++;
        state = target;
      } else if (window.length > 1) {
        report.doubled += window.length - 1;
        report.problems.push(
          `${c.name}: ${e.action} edge ${new Date(e.at).toISOString()} carried out ${window.length} times`,
        );
        state = target;
      } else {
        const failed = truth
          .rowsOf(c.name)
          .some(
            (r) =>
              r.Action === e.action && r.Outcome === 'Failed' && Date.parse(String(r.TimeGenerated)) >= e.at,
          );
        if (failed) report.failedRecorded++;
        else {
          report.lost++;
          report.problems.push(
            `${c.name}: ${e.action} edge ${new Date(e.at).toISOString()} neither carried out nor recorded Failed`,
          );
        }
      }
    }
  }
}
