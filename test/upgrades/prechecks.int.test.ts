import {
  requestUpgrade,
  UpgradeError,
  type PreCheckResult,
  type UpgradePlan,
  type UpgradeRequest,
} from '../../shared/upgrades/api';
import type { TestApp } from '../support/app';
import { startUpgradeApp, upgradeTestFleet } from './fleet';

async function dryRun(
  app: TestApp,
  cluster: string,
  extra: Partial<UpgradeRequest> = {},
): Promise<UpgradePlan> {
  const r = await requestUpgrade(app.deps, { cluster, dryRun: true, requestedBy: 'http:alice', ...extra });
  if (!r.dryRun) throw new Error('expected a dry run');
  return r.plan;
}

const check = (p: UpgradePlan, name: string, to?: string): PreCheckResult => {
  const c = p.prechecks.find((x) => x.check === name && (to === undefined || x.toVersion === to));
  if (!c) throw new Error(`no ${name} check in ${JSON.stringify(p.prechecks.map((x) => x.check))}`);
  return c;
};

describe('upgrade pre-checks against the simulator', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startUpgradeApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it('passes every check of a healthy running cluster going one minor up, and says so with evidence', async () => {
    const p = await dryRun(app, 'aks-ok', { to: 'next-minor' });
    expect(p.toVersion).toBe('1.34.1');
    expect(p.wouldStart).toBe(true);
    for (const name of [
      'state',
      'target',
      'skew',
      'auto-upgrade',
      'deprecated-apis',
      'pdbs',
      'quota',
      'subnet',
      'window',
    ])
      expect([name, check(p, name).status]).toEqual([name, 'pass']);
    expect(check(p, 'quota').evidence.join('\n')).toMatch(/standardDDSv5Family in westeurope: \d+\/\d+ used/);
    expect(check(p, 'target').evidence.join('\n')).toContain('upgrade profile offers');
  });

  it('fails the state check of a stopped cluster, not overridable, and warns when the run would wake it', async () => {
    const p = await dryRun(app, 'aks-stopped', { force: true });
    expect(check(p, 'state')).toMatchObject({ status: 'fail', kind: 'stopped', overridable: false });
    expect(p.wouldStart).toBe(false);
    const woken = await dryRun(app, 'aks-stopped', { wake: true });
    expect(check(woken, 'state')).toMatchObject({ status: 'warn', kind: 'stopped-wake' });
    expect(woken.steps[0]?.kind).toBe('wake');
    expect(woken.steps.at(-1)?.kind).toBe('sleep');
  });

  it('fails the state check of a day2-protect cluster; force overrides it only for a run a person asked for', async () => {
    expect(check(await dryRun(app, 'aks-protect'), 'state')).toMatchObject({
      status: 'fail',
      kind: 'protected',
      overridable: true,
    });
    expect((await dryRun(app, 'aks-protect', { force: ['state'] })).wouldStart).toBe(true);
    const unattended = await dryRun(app, 'aks-protect', {
      force: true,
      unattended: true,
      requestedBy: 'timer',
    });
    expect(check(unattended, 'state')).toMatchObject({
      status: 'fail',
      kind: 'protected',
      overridable: false,
    });
  });

  it('refuses a target that skips a minor, is not offered, or is a downgrade, whatever force says', async () => {
    const skip = await dryRun(app, 'aks-ok', { to: '1.35.0', force: true });
    expect(check(skip, 'target', '1.35.0')).toMatchObject({
      status: 'fail',
      kind: 'unknown-version',
      overridable: false,
    });
    const down = await dryRun(app, 'aks-ok', { to: '1.32.7', force: true });
    expect(check(down, 'target')).toMatchObject({ status: 'fail', kind: 'downgrade' });
    expect(down.wouldStart).toBe(false);
  });

  it('keeps pools left alone within three minors of the control plane', async () => {
    const p = await dryRun(app, 'aks-ok', { to: 'next-minor', pools: ['system'] });
    expect(check(p, 'skew')).toMatchObject({ status: 'pass', kind: 'within-skew' });
    expect(check(p, 'skew').evidence).toContain('pool apps 1.33.2 (left as is)');
  });

  it('reports AKS auto-upgrade channels and leaves the cluster to AKS unless forced', async () => {
    const p = await dryRun(app, 'aks-channel');
    expect(check(p, 'auto-upgrade')).toMatchObject({
      status: 'fail',
      kind: 'aks-channel',
      overridable: true,
    });
    expect(
      check(await dryRun(app, 'aks-channel', { force: ['auto-upgrade'] }), 'auto-upgrade').overridden,
    ).toBe(true);
  });

  it('fails on a deprecated API removed by the target, naming the API, the user agent and the count from the audit logs', async () => {
    const p = await dryRun(app, 'aks-api', { to: 'next-minor' });
    const c = check(p, 'deprecated-apis');
    expect(c).toMatchObject({ status: 'fail', kind: 'removed-api-in-use', overridable: true });
    expect(c.evidence.join('\n')).toContain(
      'flowcontrol.apiserver.k8s.io/v1beta3/flowschemas (removed in 1.32, from the audit annotation): 5 request(s) by "helm/v3.14.0 (linux/amd64)"',
    );
    // The same use does not matter for a patch upgrade.
    expect(check(await dryRun(app, 'aks-pdb', { to: 'latest-patch' }), 'deprecated-apis')).toMatchObject({
      status: 'pass',
      kind: 'patch-only',
    });
  });

  it('fails on a PodDisruptionBudget that allows no disruption, read through run-command', async () => {
    const c = check(await dryRun(app, 'aks-pdb'), 'pdbs');
    expect(c).toMatchObject({ status: 'fail', kind: 'pdb-blocks-drain', overridable: true });
    expect(c.evidence.join('\n')).toContain('shop/cart-pdb: disruptionsAllowed 0');
  });

  it('fails when the surge nodes do not fit the vCPU quota of their family', async () => {
    const c = check(await dryRun(app, 'aks-quota'), 'quota');
    expect(c).toMatchObject({ status: 'fail', kind: 'quota-short', overridable: true });
    expect(c.evidence).toContain(
      'pool apps: 5 surge node(s) × 8 vCPUs (Standard_D8ds_v5, standardDDSv5Family)',
    );
    expect(c.summary).toContain('standardDDSv5Family needs 44 vCPUs, 20 free');
    // A smaller surge fits.
    expect(check(await dryRun(app, 'aks-quota', { maxSurge: '1' }), 'quota')).toMatchObject({
      status: 'pass',
    });
  });

  it('fails when an Azure CNI subnet has too few free IPs for the surge nodes and their pods', async () => {
    const c = check(await dryRun(app, 'aks-subnet'), 'subnet');
    expect(c).toMatchObject({ status: 'fail', kind: 'subnet-short' });
    expect(c.evidence.join('\n')).toMatch(/vnet-up\/subnets\/nodes: 40\/59 IPs used, 19 free, 31 needed/);
  });

  it('bounds unattended runs by the maintenance window and passes runs a person asked for', async () => {
    expect(
      check(await dryRun(app, 'aks-ok', { unattended: true, requestedBy: 'timer' }), 'window'),
    ).toMatchObject({
      status: 'fail',
      kind: 'no-window',
    });
    expect(check(await dryRun(app, 'aks-ok'), 'window')).toMatchObject({ status: 'pass', kind: 'on-demand' });
  });

  it('refuses a real request whose pre-checks fail, listing each failed check and whether force overrides it', async () => {
    const err = await requestUpgrade(app.deps, { cluster: 'aks-pdb', requestedBy: 'http:alice' }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(UpgradeError);
    expect(err).toMatchObject({ kind: 'prechecks-failed', code: 'Refused' });
    expect((err as UpgradeError).prechecks?.map((c) => [c.check, c.overridable])).toEqual([['pdbs', true]]);
  });

  it('plans a node-image-only upgrade pool by pool, with no Kubernetes version checks', async () => {
    const p = await dryRun(app, 'aks-ok', { nodeImageOnly: true });
    expect(check(p, 'target')).toMatchObject({ status: 'pass', kind: 'node-image-only' });
    expect(p.steps.map((s) => `${s.kind}${s.pool ? ` ${s.pool}` : ''}`)).toEqual([
      'pre-checks',
      'node-image system',
      'node-image apps',
      'post-checks',
    ]);
    expect(p.wouldStart).toBe(true);
  });

  it('answers an unknown cluster with unknown-cluster', async () => {
    await expect(
      requestUpgrade(app.deps, { cluster: 'aks-nope', requestedBy: 'http:alice' }),
    ).rejects.toMatchObject({
      kind: 'unknown-cluster',
      code: 'NotFound',
    });
  });
});

describe('upgrade pre-checks with a maintenance window', () => {
  it('passes an unattended run inside DAY2_MAINTENANCE_WINDOW and fails it on a day2-skip date', async () => {
    const app = await startUpgradeApp(
      upgradeTestFleet({ 'aks-protect': (c) => void (c.tags = { 'day2-skip': '2026-01-15' }) }, [
        'aks-ok',
        'aks-protect',
      ]),
      { DAY2_MAINTENANCE_WINDOW: 'daily 00:00-23:59' },
    );
    try {
      expect(
        check(await dryRun(app, 'aks-ok', { unattended: true, requestedBy: 'timer' }), 'window'),
      ).toMatchObject({
        status: 'pass',
        kind: 'inside-window',
      });
      expect(
        check(await dryRun(app, 'aks-protect', { unattended: true, requestedBy: 'timer' }), 'window'),
      ).toMatchObject({
        status: 'fail',
        kind: 'skip-date',
      });
    } finally {
      await app.close();
    }
  });
});
