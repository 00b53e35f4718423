import type { Deps } from '../deps';
import { errorMessage } from '../errors';
import { discoverFleet, type Inventory } from '../fleet/inventory';
import { runJob } from '../records/runJob';
import { settleJob } from '../operations/lifecycle';
import type { Actor, OutcomeRecord, RunRecord } from '../records/outcome';
import { mapLimit } from '../util/mapLimit';
import { applyAction } from './applyAction';
import { planPowerSchedule } from './plan';
import { skipOutcomes, tagFindings } from './planOutcomes';
import { JOB, type Tick } from './tick';

export interface PowerRunOptions {
  actor?: Actor;
  /** Plan and report, change nothing (also when DAY2_DRY_RUN=true). */
  dryRun?: boolean;
  /** The Functions timer fired late (missed edges inside the catch-up window are caught up anyway). */
  pastDue?: boolean;
}

/** Stop/start calls in flight at most this many at a time (ARM writes are throttled per subscription). */
export const APPLY_CONCURRENCY = 8;

function listingFailures(inv: Inventory, at: Date): OutcomeRecord[] {
  return inv.failures.map((f) => ({
    action: 'list-clusters',
    outcome: 'Failed' as const,
    cluster: {
      id: `/subscriptions/${f.subscriptionId}`,
      name: `subscription ${f.subscriptionId}`,
      subscriptionId: f.subscriptionId,
      resourceGroup: '',
    },
    reason: `its clusters were not planned this tick: ${f.error.message}`,
    at,
    details: { errorCode: f.error.code },
  }));
}

async function planAndApply(tick: Tick, run: RunRecord): Promise<void> {
  const { deps } = tick;
  const inv = await discoverFleet(deps.azure, deps.settings.subscriptions, deps.log);
  const [snoozes, handledEdges] = await Promise.all([deps.state.snoozes.all(tick.now), tick.edges.all()]);
  const { catchupMinutes, defaultTimezone } = deps.settings;
  const plan = planPowerSchedule({
    now: tick.now,
    clusters: inv.clusters,
    defaultTimezone,
    catchupMinutes,
    snoozes,
    handledEdges,
  });
  const acts = plan.decisions.filter((d) => d.kind === 'act');
  const applied = await mapLimit(acts, APPLY_CONCURRENCY, async (d) => {
    const o = await applyAction(tick, d);
    const message = `${JOB}: ${d.action} ${d.cluster.name}: ${o.outcome}: ${o.reason}`;
    if (o.outcome === 'Failed') deps.log.error(message);
    else deps.log.info(message);
    return o;
  });
  run.outcomes.push(
    ...applied,
    ...(await skipOutcomes(tick, plan.decisions, handledEdges, catchupMinutes)),
    ...(await tagFindings(tick, plan.tagErrors, inv.clusters)),
    ...listingFailures(inv, deps.clock.now()),
  );
}

/** Snoozes that ended more than a day ago are deleted (`plan` only reads them). */
async function pruneSnoozes(tick: Tick): Promise<void> {
  try {
    const n = await tick.deps.state.snoozes.prune(tick.now);
    if (n > 0) tick.deps.log.info(`${JOB}: ${n} expired snooze(s) deleted`);
  } catch (err) {
    tick.deps.log.warn(`${JOB}: expired snoozes not deleted (next tick retries): ${errorMessage(err)}`);
  }
}

/**
 * One power-schedule tick (docs/tags.md, docs/functions.md): record how the operations of earlier ticks ended, discover
 * the fleet at the request floor, plan, and apply (stop/start accepted by AKS, not awaited). One run
 * record, reported once (the notifier decides whether a card is posted).
 */
export async function runPowerSchedule(deps: Deps, opts: PowerRunOptions = {}): Promise<RunRecord> {
  const startedAt = deps.clock.now();
  const dryRun = deps.settings.dryRun || opts.dryRun === true;
  const spec = { job: JOB, actor: opts.actor ?? 'timer', dryRun, startedAt } as const;
  const { run } = await runJob(deps, spec, async (run) => {
    // A dry run keeps its own edge bookkeeping: it reports each Planned edge once, and never consumes a real one.
    const tick: Tick = {
      deps,
      runId: run.runId,
      actor: run.actor,
      dryRun,
      now: startedAt,
      edges: dryRun ? deps.state.dryRunEdges : deps.state.edges,
    };
    deps.log.info(
      `${JOB}: run ${run.runId} at ${startedAt.toISOString()}${dryRun ? ' (dry run: nothing is changed)' : ''}${opts.pastDue ? ' (timer past due)' : ''}`,
    );
    try {
      // Before planning: operations of earlier ticks (and of a crashed tick) settled or recovered from ARM, so
      // their edges are handled. settleJob never throws for one operation; if even the list cannot be read, the tick still plans.
      run.outcomes.push(...(await settleJob(deps, JOB)).outcomes);
    } catch (err) {
      deps.log.error(
        `${JOB}: run ${run.runId}: the operations of earlier ticks were not checked (the sweeper retries): ${errorMessage(err)}`,
      );
    }
    if (!dryRun) await pruneSnoozes(tick);
    await planAndApply(tick, run);
  });
  const counts = run.outcomes.reduce<Record<string, number>>(
    (m, o) => ({ ...m, [o.outcome]: (m[o.outcome] ?? 0) + 1 }),
    {},
  );
  deps.log.info(
    `${JOB}: run ${run.runId} done: ${
      Object.entries(counts)
        .map(([k, v]) => `${v} ${k}`)
        .join(', ') || 'nothing to do'
    }`,
  );
  return run;
}
