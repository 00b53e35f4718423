import type { AgentPool } from '@azure/arm-containerservice';
import type { Settings } from '../config/settings';
import { resolveTarget } from '../versions/upgradeTarget';
import { parseVersion } from '../versions/kubernetesVersion';
import { UpgradeError } from './errors';
import type { UpgradeFacts } from './facts';
import {
  newUpgradeRunId,
  type PreCheckResult,
  type UpgradePlan,
  type UpgradeRequest,
  type UpgradeRun,
  type UpgradeStep,
} from './model';
import { blockingChecks, runPreChecks } from './prechecks';
import { poolSurge, type PoolSurge } from './surge';

export type Legs =
  { legs: string[]; error?: undefined } | { legs: string[]; error: { code: string; error: string } };

/**
 * The versions a run goes through, one minor per leg: `latest-patch` and `next-minor` are one leg; an
 * explicit version more than one minor ahead goes through the latest patch of each minor between.
 */
export function legsFor(
  current: string,
  to: string | undefined,
  facts: Pick<UpgradeFacts, 'regionVersions'> & { supportPlan?: string },
): Legs {
  const opts = facts.supportPlan ? { supportPlan: facts.supportPlan } : {};
  const target = to ?? 'latest-patch';
  const want = parseVersion(target);
  const cur = parseVersion(current);
  const legs: string[] = [];
  let at = current;
  if (want && cur && want.patch !== undefined && want.major === cur.major && want.minor > cur.minor + 1) {
    while ((parseVersion(at)?.minor ?? want.minor) < want.minor - 1) {
      const step = resolveTarget(at, 'next-minor', facts.regionVersions, opts);
      if ('error' in step) return { legs, error: { code: step.code, error: step.error } };
      legs.push(step.target);
      at = step.target;
    }
  }
  const last = resolveTarget(at, target, facts.regionVersions, opts);
  if ('error' in last) return { legs, error: { code: last.code, error: last.error } };
  legs.push(last.target);
  return { legs };
}

/** The pools a run upgrades, system pools first, then by name; unknown names are a bad request. */
export function choosePools(pools: readonly AgentPool[], asked: readonly string[] | undefined): AgentPool[] {
  if (asked) {
    const unknown = asked.filter((n) => !pools.some((p) => p.name === n));
    if (unknown.length > 0)
      throw new UpgradeError(
        'bad-request',
        `pools: no pool named ${unknown.join(', ')} (pools: ${pools.map((p) => p.name ?? '').join(', ')})`,
      );
  }
  return pools
    .filter((p) => !asked || asked.includes(p.name ?? ''))
    .sort(
      (a, b) =>
        Number(b.mode === 'System') - Number(a.mode === 'System') ||
        (a.name ?? '').localeCompare(b.name ?? ''),
    );
}

function stepsFor(
  facts: UpgradeFacts,
  req: UpgradeRequest,
  legs: string[],
  pools: Array<{ pool: AgentPool; surge: PoolSurge }>,
  approval: boolean,
  wakes: boolean,
): UpgradeStep[] {
  const steps: UpgradeStep[] = [];
  const add = (s: Omit<UpgradeStep, 'status'>) => steps.push({ ...s, status: 'Pending' });
  if (wakes) add({ kind: 'wake', leg: 0 });
  if (req.nodeImageOnly) {
    add({ kind: 'pre-checks', leg: 0, toVersion: facts.cluster.kubernetesVersion });
    if (approval) add({ kind: 'approval', leg: 0 });
    for (const { pool, surge } of pools)
      add({
        kind: 'node-image',
        leg: 0,
        pool: pool.name,
        upgradeSettings: surge.settings,
        surgeSource: surge.source,
      });
  } else {
    legs.forEach((to, leg) => {
      add({ kind: 'pre-checks', leg, toVersion: to });
      if (leg === 0 && approval) add({ kind: 'approval', leg });
      add({ kind: 'control-plane', leg, toVersion: to });
      for (const { pool, surge } of pools)
        add({
          kind: 'pool',
          leg,
          toVersion: to,
          pool: pool.name,
          upgradeSettings: surge.settings,
          surgeSource: surge.source,
        });
    });
  }
  add({ kind: 'post-checks', leg: Math.max(0, legs.length - 1) });
  if (wakes) add({ kind: 'sleep', leg: Math.max(0, legs.length - 1) });
  return steps;
}

/** One leg's pre-checks from the facts (pure). */
export function legPreChecks(
  facts: UpgradeFacts,
  req: UpgradeRequest,
  settings: Pick<Settings, 'maintenanceWindow' | 'defaultTimezone'>,
  leg: { from: string; to: string; targetError?: { code: string; error: string } },
  pools: Array<{ pool: AgentPool; surge: PoolSurge }>,
  wakes: boolean,
): PreCheckResult[] {
  const results = runPreChecks(
    {
      facts,
      request: req,
      settings,
      from: leg.from,
      to: leg.to,
      ...(leg.targetError ? { targetError: leg.targetError } : {}),
      pools,
      wakes,
    },
    req.force,
  );
  if (!req.nodeImageOnly) return results;
  // Node images only: the Kubernetes version does not change, so nothing about it is checked.
  return results.map((r) =>
    r.check === 'target' || r.check === 'skew' || r.check === 'deprecated-apis'
      ? {
          ...r,
          status: 'pass' as const,
          kind: 'node-image-only',
          overridable: false,
          summary: 'node images only: the Kubernetes version stays',
          evidence: [],
        }
      : r,
  );
}

/** The pools a run upgrades (`choosePools`), each with the surge it upgrades with (`poolSurge`). */
export function poolsWithSurge(
  pools: readonly AgentPool[],
  req: Parameters<typeof poolSurge>[0] & Pick<UpgradeRequest, 'pools'>,
): Array<{ pool: AgentPool; surge: PoolSurge }> {
  return choosePools(pools, req.pools).map((pool) => ({ pool, surge: poolSurge(req, pool) }));
}

/** The plan of an upgrade (pure): legs, pools with their surge, steps and every leg's pre-checks. */
export function planUpgrade(
  facts: UpgradeFacts,
  req: UpgradeRequest,
  settings: Pick<Settings, 'maintenanceWindow' | 'defaultTimezone'>,
): UpgradePlan {
  const current = facts.cluster.kubernetesVersion;
  const pools = poolsWithSurge(facts.pools, req);
  const wakes = facts.cluster.powerState === 'Stopped' && req.wake === true;
  const approval = facts.policy.prod || req.requireApproval === true;
  const resolved: Legs = req.nodeImageOnly
    ? { legs: [current] }
    : legsFor(current, req.to, {
        regionVersions: facts.regionVersions,
        supportPlan: facts.cluster.supportPlan,
      });
  const prechecks: PreCheckResult[] = [];
  let from = current;
  const legTargets = resolved.error ? [...resolved.legs, req.to ?? 'latest-patch'] : resolved.legs;
  legTargets.forEach((to, i) => {
    const targetError = resolved.error && i === legTargets.length - 1 ? resolved.error : undefined;
    prechecks.push(
      ...legPreChecks(
        facts,
        req,
        settings,
        { from, to, ...(targetError ? { targetError } : {}) },
        pools,
        wakes,
      ),
    );
    from = to;
  });
  const blocking = blockingChecks(prechecks);
  const legs = resolved.error ? [] : resolved.legs;
  return {
    cluster: {
      id: facts.cluster.id,
      name: facts.cluster.name,
      subscriptionId: facts.cluster.subscriptionId,
      resourceGroup: facts.cluster.resourceGroup,
    },
    fromVersion: current,
    toVersion: legs[legs.length - 1] ?? req.to ?? current,
    legs,
    steps: resolved.error ? [] : stepsFor(facts, req, legs, pools, approval, wakes),
    prechecks,
    approvalRequired: approval,
    wouldStart: blocking.length === 0,
    blocking,
  };
}

export function newUpgradeRun(plan: UpgradePlan, req: UpgradeRequest, now: Date): UpgradeRun {
  const { dryRun: _dryRun, ...request } = req;
  const at = now.toISOString();
  // The first leg's pre-checks were made on facts read just now: that step is done, unless the run
  // starts the cluster first (then they are made again once it runs).
  const first = plan.steps.findIndex((s) => s.kind === 'pre-checks');
  const fresh = first >= 0 && !plan.steps.some((s) => s.kind === 'wake');
  const leg0 = plan.prechecks.filter((c) => c.toVersion === plan.steps[first]?.toVersion);
  const steps = plan.steps.map((s, i) =>
    i === first && fresh
      ? {
          ...s,
          status: 'Succeeded' as const,
          startedAt: at,
          finishedAt: at,
          reason: `${leg0.filter((c) => c.status === 'pass').length} passed, ${leg0.filter((c) => c.status === 'warn').length} warned${
            leg0.some((c) => c.overridden)
              ? `, overridden: ${leg0
                  .filter((c) => c.overridden)
                  .map((c) => c.check)
                  .join(', ')}`
              : ''
          } (when the run was requested)`,
        }
      : s,
  );
  return {
    id: newUpgradeRunId(now),
    cluster: plan.cluster,
    state: 'Planned',
    request,
    fromVersion: plan.fromVersion,
    toVersion: plan.toVersion,
    legs: plan.legs,
    steps,
    prechecks: plan.prechecks,
    progress: { step: 0, steps: steps.length },
    requestedBy: req.requestedBy,
    approvalRequired: plan.approvalRequired,
    ...(plan.steps.some((s) => s.kind === 'wake') ? { woke: true } : {}),
    createdAt: at,
    updatedAt: at,
  };
}
