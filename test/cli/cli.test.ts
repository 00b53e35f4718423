import { spawnSync } from 'node:child_process';
import { aksDay2, BIN } from '../support/cli';

describe('the aks-day2 command', () => {
  it("prints the simulated fleet inventory with each cluster's tag policy and tag errors", () => {
    const r = aksDay2('plan', '--sim');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Fleet: \d+ clusters in 3 subscriptions/);
    for (const col of ['CLUSTER', 'REGION', 'VERSION', 'POWER', 'POOLS', 'POLICY'])
      expect(r.stdout).toContain(col);
    expect(r.stdout).toContain('aks-prod-');
    expect(r.stdout).toContain('Stopped');
    expect(r.stdout).toMatch(/Tag errors[\s\S]*day2-stop="0 25 \* \* \*"/);
  });

  it('refuses an unknown option with the usage line and exit code 2', () => {
    const r = aksDay2('plan', '--frobnicate');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('unknown option --frobnicate');
    expect(r.stderr).toContain('usage: aks-day2 plan');
  });

  it('refuses an unknown command with the usage', () => {
    const r = aksDay2('explode');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('unknown command "explode"');
  });

  it('stops with one message naming every bad setting when run against Azure without configuration', () => {
    const r = spawnSync(process.execPath, [BIN, 'run', 'power-schedule'], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, DAY2_DRY_RUN: 'maybe' },
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('AzureWebJobsStorage: required');
    expect(r.stderr).toContain('DAY2_DRY_RUN: expected "true" or "false"');
  });

  it('checks every setting but storage for a read-only command', () => {
    const r = spawnSync(process.execPath, [BIN, 'plan'], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, DAY2_DRY_RUN: 'maybe' },
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('DAY2_DRY_RUN: expected "true" or "false"');
    expect(r.stderr).not.toContain('AzureWebJobsStorage');
  });
});
