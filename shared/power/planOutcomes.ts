import { formatTagError } from '../policy/tags';
import { handledEdgeKey } from '../operations/edgeKey';
import type { ClusterRef } from '../fleet/cluster';
import type { OutcomeRecord } from '../records/outcome';
import { mapLimit } from '../util/mapLimit';
import type { PowerDecision, PowerPlan } from './plan';
import { decisionOutcome, JOB, type Tick } from './tick';

const STORE_CONCURRENCY = 8;

/**
 * A skip of an edge missed past the catch-up window that was never handled: what the app finds on its
 * first run (or after a long outage). Logged, not reported: it is history, not news.
 */
function isFirstSight(
  d: PowerDecision,
  tick: Tick,
  handled: ReadonlyMap<string, Date>,
  catchupMinutes: number,
): boolean {
  return (
    d.kind === 'skip' &&
    tick.now.getTime() - d.edge.getTime() > catchupMinutes * 60_000 &&
    !handled.has(handledEdgeKey(d.cluster.id, d.action))
  );
}

/**
 * Outcomes of the plan's `skip` and `defer` decisions (both `Skipped`, with the plan's reason). Skips consume
 * their edge so each is reported once; defers do not, so the action is retried next tick.
 */
export async function skipOutcomes(
  tick: Tick,
  decisions: readonly PowerDecision[],
  handled: ReadonlyMap<string, Date>,
  catchupMinutes: number,
): Promise<OutcomeRecord[]> {
  const { deps } = tick;
  const out: OutcomeRecord[] = [];
  const consumed: PowerDecision[] = [];
  for (const d of decisions) {
    if (d.kind === 'act') continue;
    if (d.kind === 'skip') consumed.push(d);
    if (isFirstSight(d, tick, handled, catchupMinutes)) {
      deps.log.info(
        `${JOB}: ${d.cluster.name} ${d.action}: ${d.reason} (first sight of this edge, not reported)`,
      );
      continue;
    }
    const deferred = d.kind === 'defer';
    deps.log.info(`${JOB}: ${d.cluster.name} ${d.action} ${deferred ? 'deferred' : 'skipped'}: ${d.reason}`);
    out.push(
      decisionOutcome(
        tick,
        d,
        'Skipped',
        deferred ? `deferred: ${d.reason}` : d.reason,
        deferred ? { deferred: true } : {},
      ),
    );
  }
  await mapLimit(consumed, STORE_CONCURRENCY, (d) =>
    tick.edges.markHandled(
      d.cluster.id,
      d.action,
      d.edge,
      !handled.has(handledEdgeKey(d.cluster.id, d.action)),
    ),
  );
  return out;
}

const findingKey = (tag: string, value: string): string => `${tag.toLowerCase()}=${value}`;

/**
 * Tag errors as `tag-check` findings (`Skipped`, reason `tag=value: why`), each reported once per
 * (cluster, tag, value). Findings of listed clusters that are gone (tag fixed) are forgotten, so a
 * relapse is reported again.
 */
export async function tagFindings(
  tick: Tick,
  tagErrors: PowerPlan['tagErrors'],
  listed: readonly ClusterRef[],
): Promise<OutcomeRecord[]> {
  const { deps } = tick;
  // A dry run remembers what it reported apart, so it never keeps the real timer from reporting a tag error.
  const scope = tick.dryRun ? `${JOB}-dry-run` : JOB;
  const reported = await deps.state.findings.reported(scope);
  const out: OutcomeRecord[] = [];
  const add: Array<{ id: string; key: string }> = [];
  const current = new Map<string, Set<string>>();
  for (const { cluster, errors } of tagErrors) {
    const id = cluster.id.toLowerCase();
    const keys = new Set<string>();
    current.set(id, keys);
    for (const e of errors) {
      const key = findingKey(e.tag, e.value);
      keys.add(key);
      if (reported.get(id)?.has(key)) continue;
      add.push({ id, key });
      deps.log.warn(`${JOB}: ${cluster.name}: tag ${formatTagError(e)}`);
      out.push({
        action: 'tag-check',
        outcome: 'Skipped',
        cluster,
        reason: formatTagError(e),
        at: deps.clock.now(),
        details: { tag: e.tag, value: e.value, finding: true },
      });
    }
  }
  const stale: Array<{ id: string; key: string }> = [];
  for (const c of listed) {
    const id = c.id.toLowerCase();
    for (const key of reported.get(id) ?? []) if (!current.get(id)?.has(key)) stale.push({ id, key });
  }
  await mapLimit(add, STORE_CONCURRENCY, (f) => deps.state.findings.add(scope, f.id, f.key, tick.now));
  await mapLimit(stale, STORE_CONCURRENCY, (f) => deps.state.findings.remove(scope, f.id, f.key));
  return out;
}
