import type { Deps } from '../deps';
import { runJob } from '../records/runJob';
import { parseClusterId, type ClusterRef } from '../fleet/cluster';
import type { Actor, OutcomeRecord, RunRecord } from '../records/outcome';
import { planVersionSupport, type VersionPlan, type VersionPlanOptions } from './planVersionSupport';
import type { VersionAssessment } from './support';

const JOB = 'version-support';

export interface VersionSupportOptions extends Pick<VersionPlanOptions, 'clusterIds' | 'calendar'> {
  /** `timer` (default) or `eventgrid` (NewKubernetesVersionAvailable re-checks one cluster). */
  actor?: Actor;
}

export interface VersionSupportResult {
  run: RunRecord;
  plan: VersionPlan;
}

/**
 * Outcome mapping (docs/records.md): a version check changes nothing, so every assessment is `Skipped`
 * (action `version-check`), its reason the assessment's sentence prefixed by the status. Anything but
 * `current` is a finding (`details.finding`), so the card lists it under Findings; `details` carries
 * status, version, latest patch, end of support, days left and the upgrade path for Log Analytics.
 * A check that could not be made (region versions or subscription not readable) is `Failed`.
 * Outcomes are ordered worst first.
 */
export function versionOutcome(a: VersionAssessment, ref: ClusterRef, at: Date): OutcomeRecord {
  return {
    action: 'version-check',
    outcome: 'Skipped',
    cluster: ref,
    fromVersion: a.version,
    ...(a.path.length > 0 ? { toVersion: a.path[a.path.length - 1] } : {}),
    reason: `${a.status}: ${a.reason}`,
    at,
    details: {
      finding: a.status !== 'current',
      status: a.status,
      version: a.version,
      minor: a.minor,
      isLts: a.isLts,
      latestPatchOfMinor: a.latestPatchOfMinor,
      endOfSupport: a.endOfSupport ? a.endOfSupport.toISOString().slice(0, 10) : 'unknown',
      daysLeft: a.daysLeft ?? 'unknown',
      path: a.path,
    },
  };
}

function outcomesOf(plan: VersionPlan): OutcomeRecord[] {
  const at = plan.now;
  const out: OutcomeRecord[] = [];
  for (const a of plan.assessments) {
    const c = plan.clusters.get(a.cluster.id.toLowerCase());
    const ref: ClusterRef = c
      ? { id: c.id, name: c.name, subscriptionId: c.subscriptionId, resourceGroup: c.resourceGroup }
      : (parseClusterId(a.cluster.id) ?? {
          id: a.cluster.id,
          name: a.cluster.name,
          subscriptionId: '',
          resourceGroup: '',
        });
    out.push(versionOutcome(a, ref, at));
  }
  for (const f of plan.failures) {
    const refs: ClusterRef[] =
      f.clusters.length > 0
        ? f.clusters
        : [
            {
              id: `/subscriptions/${f.subscriptionId}`,
              name: `subscription ${f.subscriptionId}`,
              subscriptionId: f.subscriptionId,
              resourceGroup: '',
            },
          ];
    for (const r of refs) {
      out.push({
        action: 'version-check',
        outcome: 'Failed',
        cluster: { id: r.id, name: r.name, subscriptionId: r.subscriptionId, resourceGroup: r.resourceGroup },
        reason: f.error.message,
        at,
        details: { errorCode: f.error.code, ...(f.error.azureCode ? { azureCode: f.error.azureCode } : {}) },
      });
    }
  }
  for (const id of plan.missing) {
    const ref = parseClusterId(id) ?? { id, name: id, subscriptionId: '', resourceGroup: '' };
    out.push({
      action: 'version-check',
      outcome: 'Skipped',
      cluster: ref,
      reason: 'not found in the fleet (not listed in any subscription in scope)',
      at,
    });
  }
  return out;
}

/**
 * The `versionSupport` job (docs/functions.md): the support status of every cluster (or of `clusterIds`), one
 * outcome per cluster, reported as one run that always posts its card (a scheduled report). When
 * discovery fails, the run is still reported, with a Failed `run` outcome, and a Day2Error is thrown.
 */
export async function runVersionSupport(
  deps: Deps,
  opts: VersionSupportOptions = {},
): Promise<VersionSupportResult> {
  const spec = {
    job: JOB,
    actor: opts.actor ?? 'timer',
    dryRun: deps.settings.dryRun,
    startedAt: deps.clock.now(),
    alwaysReport: true,
  } as const;
  const { run, result: plan } = await runJob(deps, spec, async (r) => {
    const p = await planVersionSupport(deps, opts);
    r.outcomes.push(...outcomesOf(p));
    return p;
  });
  const counts = plan.assessments.reduce<Record<string, number>>(
    (m, a) => ({ ...m, [a.status]: (m[a.status] ?? 0) + 1 }),
    {},
  );
  deps.log.info(
    `${JOB}: ${plan.assessments.length} clusters assessed ${JSON.stringify(counts)}, ${plan.failures.length} checks failed`,
  );
  return { run, plan };
}
