import type { ClusterSnapshot } from '../../shared/fleet/cluster';
import { planUnattendedUpgrades, type UnattendedDecision } from '../../shared/upgrades/policy';
import type { UpgradeRun } from '../../shared/upgrades/model';
import type { VersionAssessment } from '../../shared/versions/support';

const NOW = new Date('2026-01-15T06:00:00Z');

function cluster(
  name: string,
  tags: Record<string, string>,
  version = '1.33.2',
  channel?: string,
): ClusterSnapshot {
  return {
    id: `/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/${name}`,
    name,
    subscriptionId: 's',
    resourceGroup: 'rg',
    location: 'westeurope',
    tags,
    kubernetesVersion: version,
    provisioningState: 'Succeeded',
    powerState: 'Running',
    ...(channel ? { upgradeChannel: channel } : {}),
    pools: [],
  };
}

function assessment(
  c: ClusterSnapshot,
  status: VersionAssessment['status'],
  latest: string | null,
  path: string[],
): VersionAssessment {
  return {
    cluster: { id: c.id, name: c.name },
    version: c.kubernetesVersion,
    status,
    minor: c.kubernetesVersion.split('.').slice(0, 2).join('.'),
    isLts: false,
    latestPatchOfMinor: latest,
    endOfSupport: null,
    daysLeft: null,
    path,
    reason: `${c.kubernetesVersion} is ${status}`,
  };
}

function run(
  c: ClusterSnapshot,
  state: UpgradeRun['state'],
  finishedHoursAgo: number,
  to = '1.33.3',
): UpgradeRun {
  const at = new Date(NOW.getTime() - finishedHoursAgo * 3_600_000).toISOString();
  return {
    id: `R-${c.name}`,
    cluster: { id: c.id, name: c.name, subscriptionId: 's', resourceGroup: 'rg' },
    state,
    request: { cluster: c.id, requestedBy: 'timer', unattended: true },
    fromVersion: c.kubernetesVersion,
    toVersion: to,
    legs: [to],
    steps: [],
    prechecks: [],
    requestedBy: 'timer',
    approvalRequired: false,
    createdAt: at,
    updatedAt: at,
    ...(state === 'Succeeded' || state === 'Failed' || state === 'Halted' ? { finishedAt: at } : {}),
    ...(state === 'Halted' ? { reason: 'pool apps failed: UpgradeFailed' } : {}),
  };
}

function plan(
  entries: Array<[ClusterSnapshot, VersionAssessment['status'], string | null, string[]]>,
  runs: UpgradeRun[] = [],
  upgradeUnsupported: 'notify' | 'patch' | 'minor' = 'notify',
): Record<string, Pick<UnattendedDecision, 'kind' | 'to'> & { reason: string }> {
  const decisions = planUnattendedUpgrades({
    now: NOW,
    assessments: entries.map(([c, s, l, p]) => assessment(c, s, l, p)),
    clusters: new Map(entries.map(([c]) => [c.id.toLowerCase(), c])),
    runs,
    settings: { upgradeUnsupported, ringSoakHours: 24, defaultTimezone: 'UTC' },
  });
  return Object.fromEntries(
    decisions.map((d) => [d.cluster.name, { kind: d.kind, ...(d.to ? { to: d.to } : {}), reason: d.reason }]),
  );
}

describe('the unattended upgrade policy', () => {
  const r0 = cluster('r0', { 'day2-upgrade': 'patch', 'day2-ring': '0' });
  const r1 = cluster('r1', { 'day2-upgrade': 'minor', 'day2-ring': '1' }, '1.31.9');
  const r2 = cluster('r2', { 'day2-upgrade': 'patch', 'day2-ring': '2' });

  it('upgrades patch clusters to the latest patch and minor clusters to the next minor once theirs is ending, ring 0 first', () => {
    const d = plan([
      [r0, 'behind-patch', '1.33.3', ['1.34.1']],
      [r1, 'ending', '1.31.9', ['1.32.7', '1.33.3']],
      [r2, 'behind-patch', '1.33.3', []],
    ]);
    expect(d.r0).toMatchObject({ kind: 'upgrade', to: '1.33.3' });
    expect(d.r1).toMatchObject({ kind: 'ring-waits', to: '1.32.7' });
    expect(d.r1!.reason).toContain('ring 0 goes first');
    expect(d.r2).toMatchObject({ kind: 'ring-waits' });
  });

  it('lets the next ring start only after the lower ring soaked DAY2_RING_SOAK_HOURS', () => {
    const entries: Array<[ClusterSnapshot, VersionAssessment['status'], string | null, string[]]> = [
      [cluster('r0', r0.tags, '1.33.3'), 'current', '1.33.3', []],
      [r1, 'ending', '1.31.9', ['1.32.7']],
    ];
    const soaking = plan(entries, [run(r0, 'Succeeded', 2)]);
    expect(soaking.r1).toMatchObject({ kind: 'ring-waits' });
    expect(soaking.r1!.reason).toContain('ring 0 soaks until 2026-01-16T04:00:00.000Z');
    expect(plan(entries, [run(r0, 'Succeeded', 25)]).r1).toMatchObject({ kind: 'upgrade', to: '1.32.7' });
  });

  it('halts later rings when a run of a lower ring failed, and says which', () => {
    const d = plan(
      [
        [r0, 'behind-patch', '1.33.3', []],
        [r1, 'ending', '1.31.9', ['1.32.7']],
      ],
      [run(r0, 'Halted', 1)],
    );
    expect(d.r0).toMatchObject({ kind: 'ring-halted' });
    expect(d.r1).toMatchObject({ kind: 'ring-halted' });
    expect(d.r1!.reason).toContain(
      'ring 0 failed: run R-r0 on r0 ended Halted (pool apps failed: UpgradeFailed)',
    );
  });

  it('only reports notify, untagged, protected and AKS-channel clusters; DAY2_UPGRADE_UNSUPPORTED forces unsupported ones forward', () => {
    const untagged = cluster('untagged', {});
    const old = cluster('old', {}, '1.30.4');
    const protectedOne = cluster('prot', { 'day2-upgrade': 'patch', 'day2-protect': 'true' });
    const channel = cluster('chan', { 'day2-upgrade': 'patch' }, '1.33.2', 'stable');
    const entries: Array<[ClusterSnapshot, VersionAssessment['status'], string | null, string[]]> = [
      [untagged, 'behind-patch', '1.33.3', []],
      [old, 'unsupported', null, ['1.31.9', '1.32.7']],
      [protectedOne, 'behind-patch', '1.33.3', []],
      [channel, 'behind-patch', '1.33.3', []],
    ];
    const notify = plan(entries);
    expect(notify.untagged).toMatchObject({ kind: 'report-only', to: '1.33.3' });
    expect(notify.old).toMatchObject({ kind: 'report-only' });
    expect(notify.prot).toMatchObject({ kind: 'protected' });
    expect(notify.chan).toMatchObject({ kind: 'aks-channel' });
    const forced = plan(entries, [], 'minor');
    expect(forced.old).toMatchObject({ kind: 'upgrade', to: '1.31.9' });
    expect(forced.old!.reason).toContain('DAY2_UPGRADE_UNSUPPORTED=minor');
    expect(forced.untagged).toMatchObject({ kind: 'report-only' });
  });
});
