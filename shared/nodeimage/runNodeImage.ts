import { formatTagError } from '../policy/tags';
import type { Deps } from '../deps';
import { listingIsFresh } from '../fleet/freshness';
import { mapLimit } from '../util/mapLimit';
import { runJob } from '../records/runJob';
import type { ClusterRef, ClusterSnapshot } from '../fleet/cluster';
import type { Actor, OutcomeRecord, RunRecord } from '../records/outcome';
import { applyNodeImageUpgrade } from './applyNodeImage';
import { readNodeImageFacts, type NodeImageFacts, type NodeImagePlanDeps } from './facts';
import { findingKind, NodeImageFindings } from './findings';
import { planNodeImage, type NodeImageDecision } from './plan';

const JOB = 'node-image';
/** Upgrades being started at a time (each of another cluster; ARM writes are throttled per subscription). */
export const APPLY_CONCURRENCY = 8;

export interface NodeImagePlanResult {
  facts: NodeImageFacts;
  decisions: NodeImageDecision[];
}

/** Facts, then the pure plan. What `plan --job node-image` and the job share. */
export async function planNodeImageRun(deps: NodeImagePlanDeps): Promise<NodeImagePlanResult> {
  const facts = await readNodeImageFacts(deps);
  const decisions = planNodeImage({
    clusters: facts.clusters,
    history: facts.history,
    now: facts.now,
    soakHours: deps.settings.ringSoakHours,
    firstSeenOnImage: facts.firstSeenOnImage,
  });
  return { facts, decisions };
}

export interface NodeImageRunOptions {
  actor?: Actor;
}

export interface NodeImageRunResult extends NodeImagePlanResult {
  run: RunRecord;
}

const refOf = (c: ClusterSnapshot): ClusterRef => ({
  id: c.id,
  name: c.name,
  subscriptionId: c.subscriptionId,
  resourceGroup: c.resourceGroup,
});

/**
 * Outcome of a notify/skip decision. Findings (see `findingKind`) are told once per (cluster, pool,
 * image, kind) with `details.finding`, so the card shows them; repeats and routine waits are plain
 * `Skipped` rows (no card).
 */
function decisionOutcome(d: NodeImageDecision, findings: NodeImageFindings, at: Date): OutcomeRecord {
  const kind = findingKind(d);
  const isNew = kind !== undefined && findings.isNew(kind, d.cluster.id, d.pool, d.to || d.from);
  return {
    action: d.kind === 'notify' ? 'node-image-available' : 'node-image-upgrade',
    outcome: 'Skipped',
    cluster: d.cluster,
    nodePool: d.pool,
    fromVersion: d.from || undefined,
    toVersion: d.to || undefined,
    reason: d.reason,
    at,
    details: {
      ring: d.ring,
      osKey: d.osKey,
      imageVersion: d.to,
      ...(kind ? { findingKind: kind } : {}),
      ...(isNew ? { finding: true } : {}),
    },
  };
}

/** The run's outcomes: listing and read failures, bad tags, then each decision (upgrades of different clusters started side by side). */
async function planAndApply(deps: Deps, run: RunRecord): Promise<NodeImagePlanResult> {
  const { facts, decisions } = await planNodeImageRun(deps);
  const findings = await NodeImageFindings.load(deps.state.findings, deps.settings.dryRun);
  const outcomes = run.outcomes;

  for (const f of facts.inventory.failures) {
    outcomes.push({
      action: 'node-image-check',
      outcome: 'Failed',
      reason: f.error.message,
      at: facts.now,
      cluster: {
        id: `/subscriptions/${f.subscriptionId}`,
        name: `subscription ${f.subscriptionId}`,
        subscriptionId: f.subscriptionId,
        resourceGroup: '',
      },
    });
  }
  for (const f of facts.readFailures) {
    outcomes.push({
      action: 'node-image-check',
      outcome: 'Failed',
      cluster: refOf(f.cluster),
      reason: f.error.message,
      at: facts.now,
      details: { errorCode: f.error.code },
    });
  }
  for (const t of facts.tagErrors) {
    // A tag-check is always a finding on the card: told once per tag value, logged on every run.
    deps.log.warn(`node-image: ${t.cluster.name}: tag ${formatTagError(t.error)}`);
    if (!findings.isNew('tag', t.cluster.id, t.error.tag, t.error.value)) continue;
    outcomes.push({
      action: 'tag-check',
      outcome: 'Skipped',
      cluster: refOf(t.cluster),
      at: facts.now,
      reason: `tag ${formatTagError(t.error)}`,
      details: { tag: t.error.tag, value: t.error.value },
    });
  }
  // At most one upgrade per cluster (the plan's rule), so clusters are started side by side, a few at a
  // time: each a lock, a re-read (unless the listing is still fresh, asked at each upgrade) and a POST.
  // Outcomes keep the plan's order.
  const listed = new Map(facts.inventory.clusters.map((c) => [c.id.toLowerCase(), c]));
  const { listingMaxAgeSeconds } = deps.settings;
  const applied = await mapLimit(decisions, APPLY_CONCURRENCY, async (d) => {
    if (d.kind !== 'upgrade') return decisionOutcome(d, findings, facts.now);
    const fresh = listingIsFresh(facts.inventory, deps.clock.now(), listingMaxAgeSeconds);
    const pool = fresh
      ? listed.get(d.cluster.id.toLowerCase())?.pools.find((p) => p.name === d.pool)
      : undefined;
    return applyNodeImageUpgrade(deps, d, { runId: run.runId, actor: run.actor }, pool);
  });
  outcomes.push(...applied);
  await findings.save(
    facts.clusters.map((c) => c.cluster.id),
    deps.clock.now(),
  );
  // An observation of the fleet, not a change: recorded in a dry run too, so its soak clock runs.
  await facts.firstSeen.record(facts.inventory.clusters, facts.now);
  return { facts, decisions };
}

/**
 * The `nodeImageUpgrade` job (docs/functions.md): plan every pool's node image, start the `upgrade` decisions
 * (one pool per cluster, never waiting for completion), report the rest, one run. When discovery or
 * storage fails, the run is still reported, with a Failed `run` outcome, and a Day2Error is thrown.
 */
export async function runNodeImage(deps: Deps, opts: NodeImageRunOptions = {}): Promise<NodeImageRunResult> {
  const spec = {
    job: JOB,
    actor: opts.actor ?? 'timer',
    dryRun: deps.settings.dryRun,
    startedAt: deps.clock.now(),
  } as const;
  const { run, result } = await runJob(deps, spec, (r) => planAndApply(deps, r));
  const started = run.outcomes.filter((o) => o.outcome === 'InProgress').length;
  deps.log.info(
    `${JOB}: ${result.decisions.length} pools behind, ${started} upgrades started, ${run.outcomes.filter((o) => o.outcome === 'Failed').length} failed`,
  );
  return { run, ...result };
}
