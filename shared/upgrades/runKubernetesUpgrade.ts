import { toDay2Error } from '../azure/azureError';
import type { KubernetesVersion } from '@azure/arm-containerservice';
import type { Deps } from '../deps';
import type { ClusterRef, ClusterSnapshot } from '../fleet/cluster';
import type { Actor, OutcomeRecord, RunRecord } from '../records/outcome';
import { runJob } from '../records/runJob';
import { mapLimit } from '../util/mapLimit';
import { planVersionSupport } from '../versions/planVersionSupport';
import { advanceActiveRuns, advanceRun, requestUpgrade, UpgradeError } from './api';
import type { UpgradeRun } from './model';
import { planUnattendedUpgrades, type UnattendedDecision } from './policy';
import { WaveQuota } from './waveQuota';

/** Unattended runs started at most this many at a time (each reads its cluster's facts first). */
export const START_CONCURRENCY = 16;
/** Runs looked at for ring gating: those created in the last 30 days. */
const HISTORY_DAYS = 30;

export interface UnattendedPlan {
  now: Date;
  decisions: UnattendedDecision[];
  /** The versions each (subscription, region) offers, as read for the plan (`regionKey`). */
  regionVersions: ReadonlyMap<string, KubernetesVersion[]>;
}

const refOf = (c: ClusterSnapshot): ClusterRef => ({
  id: c.id,
  name: c.name,
  subscriptionId: c.subscriptionId,
  resourceGroup: c.resourceGroup,
});

async function recentRuns(deps: Pick<Deps, 'state'>, since: Date): Promise<UpgradeRun[]> {
  const out: UpgradeRun[] = [];
  let token: string | undefined;
  do {
    const page = await deps.state.upgradeRuns.list(
      { since },
      { maxPageSize: 1000, continuationToken: token },
    );
    out.push(...page.runs);
    token = page.continuationToken;
  } while (token);
  return out.filter((r) => r.request.unattended);
}

/** Facts, then the pure policy. What `plan --job upgrades` and the timer share. Reads only. */
export async function planUnattended(deps: Deps): Promise<UnattendedPlan> {
  const versions = await planVersionSupport(deps);
  const now = versions.now;
  const runs = await recentRuns(deps, new Date(now.getTime() - HISTORY_DAYS * 86_400_000));
  const decisions = planUnattendedUpgrades({
    now,
    assessments: versions.assessments,
    clusters: versions.clusters,
    runs,
    settings: deps.settings,
  });
  return { now, decisions, regionVersions: versions.regionVersions };
}

function decisionOutcome(
  d: UnattendedDecision,
  at: Date,
  outcome: OutcomeRecord['outcome'],
  reason = d.reason,
): OutcomeRecord {
  return {
    action: 'upgrade',
    outcome,
    cluster: refOf(d.cluster),
    fromVersion: d.from,
    ...(d.to ? { toVersion: d.to } : {}),
    reason,
    at,
    details: { decision: d.kind, ring: d.ring, level: d.level },
  };
}

/** Starts one decided run: refused pre-checks and a run already in flight are outcomes, not errors. */
async function start(
  deps: Deps,
  d: UnattendedDecision,
  actor: Actor,
  wave: { regionVersions: UnattendedPlan['regionVersions']; quota: WaveQuota },
): Promise<OutcomeRecord> {
  try {
    const r = await requestUpgrade(
      deps,
      { cluster: d.cluster.id, to: d.to, requestedBy: actor, unattended: true, ring: d.ring },
      wave,
    );
    if (r.dryRun) throw new Error('unreachable: not a dry run');
    const run = (await advanceRun(deps, r.run.id)) ?? r.run;
    return {
      ...decisionOutcome(
        d,
        deps.clock.now(),
        'InProgress',
        `run ${run.id} started: ${d.reason}; now ${run.state}`,
      ),
      details: { decision: d.kind, ring: d.ring, upgradeRun: run.id },
    };
  } catch (err) {
    if (err instanceof UpgradeError && err.kind === 'prechecks-failed') {
      const checks = err.prechecks ?? [];
      // Only waiting (outside the window, or the quota held by this wave's other runs): not a failure.
      const waiting = checks.every((c) => c.check === 'window' || c.kind === 'quota-held-by-wave');
      return {
        ...decisionOutcome(
          d,
          deps.clock.now(),
          waiting ? 'Skipped' : 'Failed',
          `not started: ${checks.map((c) => `${c.check}: ${c.summary}`).join('; ')}`,
        ),
        details: {
          decision: d.kind,
          ring: d.ring,
          prechecks: checks.map((c) => ({
            check: c.check,
            kind: c.kind,
            summary: c.summary,
            evidence: c.evidence,
          })),
        },
      };
    }
    if (err instanceof UpgradeError && err.kind === 'run-in-flight')
      return decisionOutcome(d, deps.clock.now(), 'Skipped', err.message);
    const e = toDay2Error(err, { cluster: d.cluster.name, operation: 'start upgrade run' });
    deps.log.error(`kubernetes-upgrade: ${d.cluster.name}: ${e.message}`);
    return {
      ...decisionOutcome(d, deps.clock.now(), 'Failed', e.message),
      details: { decision: d.kind, errorCode: e.code },
    };
  }
}

export interface KubernetesUpgradeResult {
  run: RunRecord;
  plan: UnattendedPlan;
}

/**
 * The `kubernetesUpgrade` timer job: advances the runs in flight, then starts the runs the unattended
 * policy decides (each through its pre-checks, the maintenance window among them) and reports the
 * others. With DAY2_DRY_RUN nothing is started: the decisions are reported as Planned.
 */
export async function runKubernetesUpgrade(
  deps: Deps,
  opts: { actor?: Actor } = {},
): Promise<KubernetesUpgradeResult> {
  const actor = opts.actor ?? 'timer';
  const dryRun = deps.settings.dryRun;
  const { run, result } = await runJob(
    deps,
    { job: 'upgrade', actor, dryRun, startedAt: deps.clock.now() },
    async (record) => {
      if (!dryRun) await advanceActiveRuns(deps);
      const plan = await planUnattended(deps);
      const startNow = plan.decisions.filter((d) => d.kind === 'upgrade');
      const others = plan.decisions.filter(
        (d) => d.kind !== 'upgrade' && d.kind !== 'up-to-date' && d.kind !== 'off',
      );
      for (const d of others) record.outcomes.push(decisionOutcome(d, plan.now, 'Skipped'));
      if (dryRun) {
        for (const d of startNow) record.outcomes.push(decisionOutcome(d, plan.now, 'Planned'));
        return plan;
      }
      const wave = { regionVersions: plan.regionVersions, quota: new WaveQuota(deps) };
      record.outcomes.push(
        ...(await mapLimit(startNow, START_CONCURRENCY, (d) => start(deps, d, actor, wave))),
      );
      return plan;
    },
  );
  return { run, plan: result };
}
