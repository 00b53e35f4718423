import type { Deps } from '../deps';
import { formatVersionPlan } from '../cli/formatVersionPlan';
import { runVersionSupport } from '../versions/runVersionSupport';

/** Demo: the daily version-support report of the demo fleet (its card goes to the Teams receiver), printed as a table. */
export async function demoVersionReport(deps: Deps, out: (line: string) => void): Promise<void> {
  const { run, plan } = await runVersionSupport(deps, { actor: 'timer' });
  out(`version support (run ${run.runId}): one card, one Log Analytics row per cluster`);
  out(formatVersionPlan(plan));
}
