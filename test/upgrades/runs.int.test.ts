import {
  approveRun,
  cancelRun,
  getRun,
  requestUpgrade,
  UpgradeError,
  type UpgradeRun,
} from '../../shared/upgrades/api';
import type { Deps } from '../../shared/deps';
import type { TestApp } from '../support/app';
import { drive, logRows, newPrefix, processOf, stepsOf, teamsCards } from './drive';
import { putsOf, startUpgradeApp } from './fleet';

async function start(deps: Deps, cluster: string, extra: Record<string, unknown> = {}): Promise<UpgradeRun> {
  const r = await requestUpgrade(deps, { cluster, requestedBy: 'http:alice', ...extra });
  if (r.dryRun) throw new Error('expected a run');
  return r.run;
}

describe('upgrade runs', () => {
  let app: TestApp;
  let deps: Deps;
  beforeAll(async () => {
    app = await startUpgradeApp();
    deps = processOf(app, newPrefix());
  });
  afterAll(async () => {
    await app.close();
  });

  it('takes a cluster through two minors in two legs, control plane first, system pool first, each leg pre-checked, one PUT per step', async () => {
    const run = await start(deps, 'aks-two', { to: '1.34.1' });
    expect(run.legs).toEqual(['1.33.3', '1.34.1']);
    const done = await drive(app, () => deps, run.id);
    expect(done.state).toBe('Succeeded');
    expect(stepsOf(done)).toEqual([
      'pre-checks: Succeeded',
      'control-plane 1.33.3: Succeeded',
      'pool system 1.33.3: Succeeded',
      'pool apps 1.33.3: Succeeded',
      'pre-checks: Succeeded',
      'control-plane 1.34.1: Succeeded',
      'pool system 1.34.1: Succeeded',
      'pool apps 1.34.1: Succeeded',
      'post-checks: Succeeded',
    ]);
    expect(done.prechecks.filter((c) => c.check === 'target').map((c) => c.toVersion)).toEqual([
      '1.33.3',
      '1.34.1',
    ]);
    // The pool's own maxSurge was used (the request gave none).
    expect(done.steps.find((s) => s.pool === 'apps')).toMatchObject({
      upgradeSettings: { maxSurge: '1' },
      surgeSource: 'pool',
    });
    expect(await putsOf(app, 'aks-two')).toEqual({
      cluster: 2,
      pools: { system: 2, apps: 2 },
      total: 6,
      received: 6,
    });
    const mc = await app.azure
      .aks(done.cluster.subscriptionId)
      .managedClusters.get(done.cluster.resourceGroup, 'aks-two');
    expect(mc.currentKubernetesVersion).toBe('1.34.1');
    expect(mc.agentPoolProfiles?.map((p) => p.currentOrchestratorVersion)).toEqual(['1.34.1', '1.34.1']);
    // The card and the rows say what happened, under the run's id.
    const rows = (await logRows(app)).filter((r) => r.RunId === run.id);
    expect(rows.find((r) => r.Action === 'upgrade')).toMatchObject({
      Outcome: 'Succeeded',
      Job: 'upgrade',
      FromVersion: '1.32.7',
      ToVersion: '1.34.1',
      Actor: 'http:alice',
    });
    expect(
      rows
        .filter((r) => r.Action === 'upgrade-pool')
        .map((r) => `${String(r.NodePool)} ${String(r.ToVersion)} ${String(r.Outcome)}`),
    ).toEqual([
      'system 1.33.3 Succeeded',
      'apps 1.33.3 Succeeded',
      'system 1.34.1 Succeeded',
      'apps 1.34.1 Succeeded',
    ]);
    expect((await teamsCards(app)).some((c) => c.includes(run.id) && c.includes('aks-two'))).toBe(true);
  });

  it('passes the request surge and drain settings through to each pool PUT', async () => {
    const run = await start(deps, 'aks-ok', {
      to: 'latest-patch',
      maxSurge: '33%',
      drainTimeoutInMinutes: 45,
      nodeSoakDurationInMinutes: 5,
      undrainableNodeBehavior: 'Cordon',
    });
    const done = await drive(app, () => deps, run.id);
    expect(done.state).toBe('Succeeded');
    const pool = await app.azure
      .aks(done.cluster.subscriptionId)
      .agentPools.get(done.cluster.resourceGroup, 'aks-ok', 'apps');
    expect(pool.upgradeSettings).toMatchObject({
      maxSurge: '33%',
      drainTimeoutInMinutes: 45,
      nodeSoakDurationInMinutes: 5,
      undrainableNodeBehavior: 'Cordon',
    });
    expect(done.steps.find((s) => s.pool === 'apps')?.surgeSource).toBe('request');
  });

  it('halts on a pool whose drain a PDB blocks: AKS reason with the PDB debug info in the run, the card and the rows; later pools left alone', async () => {
    const run = await start(deps, 'aks-pdb', { force: ['pdbs'], pools: ['apps', 'system'] });
    const done = await drive(app, () => deps, run.id);
    expect(done.state).toBe('Halted');
    const apps = done.steps.find((s) => s.pool === 'apps')!;
    expect(apps.status).toBe('Failed');
    expect(apps.reason).toMatch(/PDB debug info: shop\/cart-5c7d9f8b6-k2m4p blocked by pdb cart-pdb/);
    // System pools go first; nothing after the failed pool was submitted.
    expect(stepsOf(done)).toEqual([
      'pre-checks: Succeeded',
      'control-plane 1.33.3: Succeeded',
      'pool system 1.33.3: Succeeded',
      'pool apps 1.33.3: Failed',
      'post-checks: Skipped',
    ]);
    expect(done.reason).toMatch(/pool apps failed: .*PDB debug info/);
    expect(done.prechecks.find((c) => c.check === 'pdbs')).toMatchObject({
      status: 'fail',
      overridden: true,
    });
    const rows = (await logRows(app)).filter((r) => r.RunId === run.id);
    expect(rows.find((r) => r.Action === 'upgrade-pool' && r.NodePool === 'apps')).toMatchObject({
      Outcome: 'Failed',
    });
    expect(String(rows.find((r) => r.Action === 'upgrade-pool' && r.NodePool === 'apps')?.Reason)).toContain(
      'PDB debug info',
    );
    expect(rows.find((r) => r.Action === 'upgrade')).toMatchObject({ Outcome: 'Failed' });
    expect((await teamsCards(app)).some((c) => c.includes('aks-pdb') && c.includes('PDB debug info'))).toBe(
      true,
    );
  });

  it('refuses a second run on a cluster while one is in flight, naming it', async () => {
    const run = await start(deps, 'aks-channel', { force: ['auto-upgrade'] });
    const err = await requestUpgrade(deps, {
      cluster: 'aks-channel',
      requestedBy: 'http:bob',
      force: ['auto-upgrade'],
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpgradeError);
    expect(err).toMatchObject({ kind: 'run-in-flight', code: 'Conflict', runId: run.id });
    const cancelled = await cancelRun(deps, run.id, 'http:bob');
    expect(cancelled.state).toBe('Cancelled');
    expect(await putsOf(app, 'aks-channel')).toMatchObject({ total: 0 });
  });

  it('holds a prod cluster for a second person: the requester cannot approve it, another person can', async () => {
    const run = await start(deps, 'aks-prod');
    const waiting = await drive(app, () => deps, run.id);
    expect(waiting.state).toBe('AwaitingApproval');
    expect(await putsOf(app, 'aks-prod')).toMatchObject({ total: 0 });
    await expect(approveRun(deps, run.id, 'http:alice')).rejects.toMatchObject({ kind: 'four-eyes' });
    const approved = await approveRun(deps, run.id, 'http:carol');
    expect(approved.approvedBy).toBe('http:carol');
    const done = await drive(app, () => deps, run.id);
    expect(done.state).toBe('Succeeded');
    expect((await getRun(deps, run.id))?.steps.find((s) => s.kind === 'approval')).toMatchObject({
      status: 'Succeeded',
      reason: 'approved by http:carol',
    });
  });

  it('refuses a stopped cluster, and with wake starts it, upgrades it and stops it again', async () => {
    await expect(start(deps, 'aks-stopped')).rejects.toMatchObject({ kind: 'prechecks-failed' });
    const run = await start(deps, 'aks-stopped', { wake: true });
    const done = await drive(app, () => deps, run.id);
    expect(done.state).toBe('Succeeded');
    expect(stepsOf(done)[0]).toBe('wake: Succeeded');
    expect(stepsOf(done).at(-1)).toBe('sleep: Succeeded');
    const mc = await app.azure
      .aks(done.cluster.subscriptionId)
      .managedClusters.get(done.cluster.resourceGroup, 'aks-stopped');
    expect(mc.powerState?.code).toBe('Stopped');
    expect(mc.currentKubernetesVersion).toBe('1.33.3');
  });

  it('refuses a day2-protect cluster unless the person forces it', async () => {
    await expect(start(deps, 'aks-protect')).rejects.toMatchObject({ kind: 'prechecks-failed' });
    const run = await start(deps, 'aks-protect', { force: ['state'] });
    expect((await drive(app, () => deps, run.id)).state).toBe('Succeeded');
  });
});
