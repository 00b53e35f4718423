import { createDeps, type Deps } from '../deps';
import { startLocalEnvironment, type LocalEnvironment } from '../local/localEnv';
import { simAdmin } from '../local/simAdmin';
import { silentLogger } from '../log';
import type { FleetFile } from '../sim/fleet/schema';
import type { LogRow, TeamsPost } from '../sim/receivers';
import {
  advanceRun,
  isTerminalRun,
  requestUpgrade,
  UpgradeError,
  type PreCheckResult,
  type UpgradeRequest,
} from '../upgrades/api';
import { describeStep, formatPreChecks } from '../upgrades/format';

const SUB = '0d2a7c1e-5b3f-4e21-9a64-7c3e1f0b2d95';
const RG = 'rg-aks-shop';
const IMG = 'AKSUbuntu-2204gen2containerd-202601.06.0';

/**
 * The upgrade part's own small fleet: a cluster two minors behind, one whose checkout service has a PDB
 * allowing no disruption, one whose Helm release still writes a removed flowcontrol API, and one whose
 * region has too little vCPU quota for its surge.
 */
export function upgradeDemoFleet(): FleetFile {
  const region = {
    kubernetesVersions: [
      { version: '1.31', patches: ['1.31.10', '1.31.11'] },
      { version: '1.32', patches: ['1.32.8', '1.32.9'] },
      { version: '1.33', patches: ['1.33.5', '1.33.6'], isDefault: true },
      { version: '1.34', patches: ['1.34.1', '1.34.2'] },
    ],
    latestNodeImages: [IMG],
  };
  const sys = { name: 'system', count: 3, mode: 'System' as const, nodeImageVersion: IMG };
  return {
    subscriptions: [
      {
        id: SUB,
        displayName: 'shop-prod',
        resourceGroups: [
          {
            name: RG,
            clusters: [
              {
                name: 'aks-shop-weu-01',
                location: 'westeurope',
                kubernetesVersion: '1.32.8',
                tags: { team: 'shop' },
                pools: [
                  sys,
                  { name: 'web', count: 4, nodeImageVersion: IMG, upgradeSettings: { maxSurge: '50%' } },
                ],
              },
              {
                name: 'aks-pay-weu-01',
                location: 'westeurope',
                kubernetesVersion: '1.33.5',
                tags: { team: 'payments' },
                pools: [sys, { name: 'payments', count: 3, nodeImageVersion: IMG }],
                podDisruptionBudgets: [
                  {
                    namespace: 'payments',
                    name: 'checkout-pdb',
                    pod: 'checkout-7d9c5b6f4-x2kqp',
                    minAvailable: 3,
                    blocksDrain: true,
                    pools: ['payments'],
                  },
                ],
              },
              {
                name: 'aks-legacy-weu-01',
                location: 'westeurope',
                kubernetesVersion: '1.31.11',
                tags: { team: 'platform' },
                pools: [sys, { name: 'apps', count: 3, nodeImageVersion: IMG }],
                auditLogs: {
                  categories: ['kube-audit-admin'],
                  events: [
                    {
                      hoursAgo: 20,
                      repeat: 42,
                      verb: 'update',
                      requestUri: '/apis/flowcontrol.apiserver.k8s.io/v1beta3/flowschemas/ingress-priority',
                      userAgent: 'helm/v3.12.3 (linux/amd64)',
                      objectRef: {
                        apiGroup: 'flowcontrol.apiserver.k8s.io',
                        apiVersion: 'v1beta3',
                        resource: 'flowschemas',
                        name: 'ingress-priority',
                      },
                      annotations: { 'k8s.io/deprecated': 'true', 'k8s.io/removed-release': '1.32' },
                    },
                  ],
                },
              },
              {
                name: 'aks-batch-neu-01',
                location: 'northeurope',
                kubernetesVersion: '1.33.5',
                tags: { team: 'data' },
                pools: [
                  sys,
                  {
                    name: 'batch',
                    count: 20,
                    vmSize: 'Standard_D16ds_v5',
                    nodeImageVersion: IMG,
                    upgradeSettings: { maxSurge: '33%' },
                  },
                ],
              },
            ],
          },
        ],
        quotas: { northeurope: { standardDDSv5Family: { limit: 400, currentValue: 340 } } },
      },
    ],
    locations: { westeurope: region, northeurope: region },
    throttling: { enabled: false },
  };
}

export interface UpgradeDemoResult {
  posts: TeamsPost[];
  rows: LogRow[];
}

const ACTOR = 'http:platform-oncall@contoso.com' as const;

function evidence(checks: readonly PreCheckResult[]): string {
  return formatPreChecks(checks.filter((c) => c.status !== 'pass'));
}

async function refused(deps: Deps, req: UpgradeRequest, say: (s: string) => void): Promise<void> {
  try {
    await requestUpgrade(deps, req);
    say(`${req.cluster}: unexpectedly accepted`);
  } catch (err) {
    if (!(err instanceof UpgradeError) || err.kind !== 'prechecks-failed') throw err;
    say(`${req.cluster}: refused before anything was changed (the card and rows carry the evidence):`);
    for (const l of evidence(err.prechecks ?? []).split('\n')) say(`  ${l}`);
  }
}

/**
 * Demo: Kubernetes upgrades with pre-checks, on a small fleet of its own (own simulator, the same day):
 * one cluster through two minors in two legs, then three requests the pre-checks refuse, each with its
 * evidence: a PodDisruptionBudget, deprecated API use in the audit logs, and vCPU quota. Returns what
 * the simulator's Teams and Log Analytics receivers got, for the report.
 */
export async function demoUpgrades(
  startTime: Date,
  storageConnectionString: string,
  out: (line: string) => void,
): Promise<UpgradeDemoResult> {
  const local: LocalEnvironment = await startLocalEnvironment({
    fleet: upgradeDemoFleet(),
    startTime,
    speed: 0,
    storageConnectionString,
  });
  try {
    const sim = local.sim;
    await simAdmin(sim, 'POST', '/timings', { runCommandSeconds: 0 });
    const deps = createDeps(local.settings, {
      log: silentLogger,
      clock: { now: () => sim.clock.now() },
      notifier: { teamsPaceMs: 0 },
    });
    const stamp = () => sim.clock.now().toISOString().slice(0, 16).replace('T', ' ');
    const say = (text: string) => out(`[${stamp()}] ${text}`);
    out('Kubernetes upgrades with surge and pre-checks (a fleet of its own: shop-prod)');

    const dry = await requestUpgrade(deps, {
      cluster: 'aks-shop-weu-01',
      to: '1.34.2',
      dryRun: true,
      requestedBy: ACTOR,
    });
    if (!dry.dryRun) throw new Error('unreachable');
    say(
      `aks-shop-weu-01: ${dry.plan.fromVersion} → ${dry.plan.toVersion} in ${dry.plan.legs.length} legs (${dry.plan.legs.join(' → ')})`,
    );
    const r = await requestUpgrade(deps, { cluster: 'aks-shop-weu-01', to: '1.34.2', requestedBy: ACTOR });
    if (r.dryRun) throw new Error('unreachable');
    let last = '';
    for (let i = 0; i < 200; i++) {
      const run = await advanceRun(deps, r.run.id);
      if (!run) throw new Error(`run ${r.run.id} is gone`);
      const step = run.steps.find((s) => s.status === 'Running');
      const line = step
        ? `${run.state}: ${describeStep(step)}${step.progress ? `, nodes ${step.progress.nodesDone}/${step.progress.nodesTotal}` : ''}`
        : run.state;
      if (line !== last) say(`aks-shop-weu-01 ${run.id}: ${line}`);
      last = line;
      if (isTerminalRun(run.state)) break;
      sim.clock.advance(2 * 60_000);
    }

    await refused(deps, { cluster: 'aks-pay-weu-01', to: 'latest-patch', requestedBy: ACTOR }, say);
    await refused(deps, { cluster: 'aks-legacy-weu-01', to: 'next-minor', requestedBy: ACTOR }, say);
    await refused(deps, { cluster: 'aks-batch-neu-01', to: 'next-minor', requestedBy: ACTOR }, say);

    await deps.notifier.deliverPending();
    const teams = await simAdmin<{ posts: TeamsPost[] }>(sim, 'GET', '/teams');
    const logs = await simAdmin<{ rows: LogRow[] }>(sim, 'GET', '/logs');
    return { posts: teams.posts, rows: logs.rows };
  } finally {
    await local.close();
  }
}
