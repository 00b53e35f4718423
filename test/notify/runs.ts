/** Run records for notification tests: what the jobs will report. */
import { clusterId } from '../../shared/fleet/cluster';
import type { ClusterRef } from '../../shared/fleet/cluster';
import type { JobName, OutcomeRecord, RunRecord } from '../../shared/records/outcome';

const SUBS = [
  '6f1c2a3b-4d5e-4f60-8a71-92b3c4d5e6f7',
  '8a2d3c4b-5e6f-4a70-9b81-a2c3d4e5f607',
  'c3e4f5a6-7b8c-4d9e-8f01-b2c3d4e5f6a8',
];

export function cluster(
  name: string,
  sub = 0,
  rg = `rg-${name.split('-').slice(0, 3).join('-')}`,
): ClusterRef {
  const subscriptionId = SUBS[sub % SUBS.length] ?? '';
  return { id: clusterId(subscriptionId, rg, name), name, subscriptionId, resourceGroup: rg };
}

const at = (min: number): Date => new Date(Date.UTC(2026, 9, 5, 6, min));

/** A node-image run on the demo fleet: one failure (drain blocked by a PDB), changes, a bad tag, skips. */
export function nodeImageRun(
  runId = '20261005T060000000Z-0a1b2c3d',
  overrides: Partial<RunRecord> = {},
): RunRecord {
  const outcomes: OutcomeRecord[] = [
    {
      action: 'node-image-upgrade',
      outcome: 'Failed',
      cluster: cluster('aks-test-weu-01', 1),
      nodePool: 'payments',
      fromVersion: 'AKSUbuntu-2204gen2containerd-202609.16.0',
      toVersion: 'AKSUbuntu-2204gen2containerd-202610.07.0',
      reason:
        'Drain node aks-payments-12345678-vmss000000 failed when evicting pod payments-api-6f7c9d8b5-lq2xz failed with Too Many Requests error. PDB debug info: payments/payments-api-6f7c9d8b5-lq2xz blocked by pdb payments-api-pdb with 0 unready pods.',
      at: at(16),
      durationMs: 912_000,
    },
    {
      action: 'node-image-upgrade',
      outcome: 'Succeeded',
      cluster: cluster('aks-dev-weu-01', 0),
      nodePool: 'system',
      fromVersion: 'AKSUbuntu-2204gen2containerd-202609.16.0',
      toVersion: 'AKSUbuntu-2204gen2containerd-202610.07.0',
      reason: 'pool behind latest image; node-image auto',
      at: at(9),
      durationMs: 450_000,
    },
    {
      action: 'node-image-upgrade',
      outcome: 'InProgress',
      cluster: cluster('aks-dev-weu-01', 0),
      nodePool: 'apps',
      fromVersion: 'AKSUbuntu-2204gen2containerd-202609.16.0',
      toVersion: 'AKSUbuntu-2204gen2containerd-202610.07.0',
      reason: 'rolling 2 of 4 batches',
      at: at(12),
    },
    {
      action: 'tag-check',
      outcome: 'Skipped',
      cluster: cluster('aks-dev-weu-02', 0),
      reason:
        'tag day2-stop = "0 25 * * *" does not parse: hour 25 is out of range 0-23; power schedule off for this cluster',
      at: at(0),
      details: { tag: 'day2-stop', value: '0 25 * * *' },
    },
    {
      action: 'node-image-upgrade',
      outcome: 'Skipped',
      cluster: cluster('aks-test-cin-01', 1),
      nodePool: 'system',
      reason: 'nodeOSUpgradeChannel is NodeImage: AKS upgrades this pool itself',
      at: at(0),
    },
    {
      action: 'node-image-upgrade',
      outcome: 'Skipped',
      cluster: cluster('aks-prod-eus-01', 2),
      nodePool: 'system',
      reason: 'day2-protect is true',
      at: at(0),
    },
    {
      action: 'node-image-upgrade',
      outcome: 'Skipped',
      cluster: cluster('aks-prod-weu-01', 2),
      nodePool: 'win22',
      reason: 'outside the maintenance window aksManagedNodeOSUpgradeSchedule (Sunday 02:00 +01:00, 4 h)',
      at: at(0),
    },
    {
      action: 'node-image-upgrade',
      outcome: 'Skipped',
      cluster: cluster('aks-test-weu-02', 1),
      nodePool: 'system',
      reason: 'day2-node-image is off',
      at: at(0),
    },
  ];
  return {
    runId,
    job: 'node-image',
    actor: 'timer',
    startedAt: at(0),
    endedAt: at(17),
    dryRun: false,
    outcomes,
    ...overrides,
  };
}

/** A run where nothing happened: every cluster skipped, nothing found. */
export function quietRun(
  runId: string,
  job: JobName = 'power-schedule',
  extra: Partial<RunRecord> = {},
): RunRecord {
  return {
    runId,
    job,
    actor: 'timer',
    startedAt: at(5),
    endedAt: at(5),
    dryRun: false,
    outcomes: [
      {
        action: 'stop',
        outcome: 'Skipped',
        cluster: cluster('aks-dev-weu-01'),
        reason: 'no stop edge due (next 19:00 Europe/Paris)',
        at: at(5),
      },
      {
        action: 'start',
        outcome: 'Skipped',
        cluster: cluster('aks-dev-eus-01'),
        reason: 'no start edge due (next 07:30 America/New_York)',
        at: at(5),
      },
    ],
    ...extra,
  };
}

/** A fleet-wide run: `n` clusters, a few failures and changes, the rest skipped. */
export function hugeRun(n: number, runId = '20261005T060000000Z-bbbbbbbb'): RunRecord {
  const outcomes: OutcomeRecord[] = [];
  for (let i = 0; i < n; i++) {
    const c = cluster(`aks-fleet-${String(i).padStart(5, '0')}-weu`, i % 3, `rg-fleet-${i % 40}`);
    const outcome = i % 500 === 0 ? 'Failed' : i % 50 === 0 ? 'Succeeded' : 'Skipped';
    outcomes.push({
      action: 'node-image-upgrade',
      outcome,
      cluster: c,
      nodePool: 'system',
      fromVersion: 'AKSUbuntu-2204gen2containerd-202609.16.0',
      toVersion: 'AKSUbuntu-2204gen2containerd-202610.07.0',
      reason:
        outcome === 'Failed'
          ? `Drain node aks-system-${i}-vmss000000 failed when evicting pod api-${i} failed with Too Many Requests error.`
          : outcome === 'Skipped'
            ? `outside the maintenance window (ring ${i % 10})`
            : 'pool behind latest image',
      at: at(1),
      durationMs: 1000,
    });
  }
  return {
    runId,
    job: 'node-image',
    actor: 'timer',
    startedAt: at(0),
    endedAt: at(30),
    dryRun: false,
    outcomes,
  };
}
