import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { renderedReport } from '../support/chromium';
import { aksDay2 } from '../support/cli';

describe('npm run demo', () => {
  const report = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'aks-day2-demo-')), 'report.html');
  const r = aksDay2('demo', '--report', report);

  it('runs the whole simulated day without an error', () => {
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('stops and starts clusters at their local hours, keeps prod up and stops a snoozed cluster late', () => {
    expect(r.stdout).toMatch(/18:00 Pacific\/Auckland \(05:00Z\)\s+stop\s+aks-test-aue-01\s+InProgress/);
    expect(r.stdout).toMatch(/07:30 America\/New_York \(12:30Z\)\s+start\s+aks-dev-eus-01\s+InProgress/);
    expect(r.stdout).toMatch(/20:00 Asia\/Kolkata \(14:30Z\)\s+stop\s+aks-dev-cin-01\s+InProgress/);
    expect(r.stdout).toMatch(/stop\s+aks-prod-weu-01\s+Skipped\s+prod guard/);
    expect(r.stdout).toMatch(
      /21:00 Europe\/Paris \(20:00Z\)\s+stop\s+aks-dev-weu-01\s+InProgress\s+stop accepted by AKS \(snooze ended/,
    );
  });

  it('reports each version-support status of the demo fleet', () => {
    for (const status of ['unsupported', 'ending', 'behind-patch', 'current'])
      expect(r.stdout).toMatch(new RegExp(`aks-\\S+\\s+\\S+( \\(LTS\\))?\\s+${status}\\s`));
    expect(r.stdout).toContain('1.32.8 → 1.33.5 → 1.34.2');
  });

  it('rolls node images ring by ring and halts the next ring after a failure', () => {
    expect(r.stdout).toMatch(/ring 0 \S+: upgrade started/);
    expect(r.stdout).toMatch(/ring 1 aks-test-weu-01\/payments: upgrade started/);
    expect(r.stdout).toMatch(/aks-test-weu-01\/payments: Failed: .*UpgradeFailed: Drain node/);
    expect(r.stdout).toMatch(
      /ring 2 aks-prod-weu-01\/system: halted: ring 1 failed on aks-test-weu-01\/payments/,
    );
  });

  it('upgrades one cluster through two minors and shows three refusals with their evidence', () => {
    expect(r.stdout).toContain('aks-shop-weu-01: 1.32.8 → 1.34.2 in 2 legs (1.33.6 → 1.34.2)');
    expect(r.stdout).toMatch(
      /aks-shop-weu-01 R-\S+: NodePools: pool web → 1\.34\.2 \(max surge 50%, from pool\), nodes \d\/4/,
    );
    expect(r.stdout).toMatch(/aks-shop-weu-01 R-\S+: Succeeded/);
    expect(r.stdout).toMatch(/FAIL +pdbs +.*payments\/checkout-pdb/);
    expect(r.stdout).toMatch(
      /FAIL +deprecated-apis .*flowcontrol\.apiserver\.k8s\.io\/v1beta3\/flowschemas by "helm\/v3\.12\.3/,
    );
    expect(r.stdout).toMatch(/FAIL +quota +.*standardDDSv5Family needs 116 vCPUs, 60 free/);
    const html = fs.readFileSync(report, 'utf8');
    expect(html).toContain('checkout-pdb');
    expect(html).toContain('helm/v3.12.3');
    expect(html).toContain('standardDDSv5Family');
  });

  it('delivers the cards and rows to the receivers and writes the report page', () => {
    const m = /Delivered: (\d+) Teams cards and (\d+) Log Analytics rows/.exec(r.stdout);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThan(10);
    expect(Number(m![2])).toBeGreaterThan(50);
    expect(r.stdout).not.toContain('still waiting in the outbox');
    const html = fs.readFileSync(report, 'utf8');
    expect(html).toContain('AksDay2Ops_CL');
    expect(html).toContain('aks-test-weu-01');
  });

  it('writes a report page in which Chromium renders every card the receivers got, without renderer errors', async () => {
    const delivered = Number(/Delivered: (\d+) Teams cards/.exec(r.stdout)?.[1]);
    const { dom, cardsRendered } = await renderedReport(report);
    expect(cardsRendered).toBe(delivered);
    expect(dom).toContain('halted: ring 1 failed on aks-test-weu-01/payments');
  });
});
