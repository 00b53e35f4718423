import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildCard } from '../../shared/notify/card';
import { deadLetterCard } from '../../shared/notify/deadLetterAlert';
import { toLogRows } from '../../shared/notify/logRows';
import { renderHtmlReport, writeHtmlReport } from '../../shared/report/htmlReport';
import { hugeRun, nodeImageRun, quietRun } from '../notify/runs';

const CHROMIUM = '/usr/bin/chromium';
const OUT = path.join(__dirname, '..', '..', 'out');

function chromium(args: string[], profile: string): Promise<{ stdout: string; stderr: string }> {
  const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', `--user-data-dir=${profile}`];
  return new Promise((resolve, reject) => {
    execFile(CHROMIUM, [...flags, ...args], { timeout: 90_000, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`chromium failed: ${err.message}\n${stderr}`));
      else resolve({ stdout, stderr });
    });
  });
}

describe('HTML report', () => {
  const run = nodeImageRun();
  const version = quietRun('20261005T060000000Z-00000002', 'version-support', { alwaysReport: true });
  const big = hugeRun(5000);
  const cards = [
    buildCard(run),
    buildCard(version),
    buildCard(big),
    deadLetterCard({ destination: 'teams', seq: 7, deliveryId: 'b0e2c0de-0000-4000-8000-000000000001', key: 'card:x', kind: 'card', runId: run.runId, job: 'node-image', actor: 'timer', attempts: 8, lastStatus: 503, lastError: 'Teams webhook answered 503', parkedAt: new Date('2026-10-05T07:00:00Z'), deadLetterTable: 'day2OutboxDead' }),
  ];
  const rows = [...toLogRows(run), ...toLogRows(version)];

  it('is one self-contained page: the renderer inlined, no network references, the rows as a table', () => {
    const html = renderHtmlReport({ runs: [run, version, big], cards, rows });
    expect(html).toContain('AdaptiveCards');
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=/i);
    expect(html).toContain('<td>aks-test-weu-01</td>');
    expect((html.match(/<tr>/g) ?? []).length).toBe(2 + 3 + rows.length); // two header rows, three runs, the log rows
  });

  it('renders every card in headless Chromium without renderer errors, and saves a screenshot', async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`${CHROMIUM} is missing: this test needs Debian's chromium package, which .ci/run installs (apt-get install -y chromium)`);
    }
    await mkdir(OUT, { recursive: true });
    const page = path.join(OUT, 'report.html');
    await writeHtmlReport(page, { runs: [run, version, big], cards, rows, title: 'aks-day2 report (test)' });
    const profile = await mkdtemp(path.join(os.tmpdir(), 'aks-day2-chromium-'));
    try {
      const url = pathToFileURL(page).href;
      const { stdout: dom } = await chromium(['--virtual-time-budget=5000', '--dump-dom', url], profile);
      const errors = /<pre id="render-errors" data-count="(\d+)">([\s\S]*?)<\/pre>/.exec(dom);
      expect(errors).not.toBeNull();
      if (errors?.[1] !== '0') throw new Error(`renderer errors:\n${errors?.[2] ?? ''}`);
      expect(/data-cards-rendered="(\d+)"/.exec(dom)?.[1]).toBe(String(cards.length));
      expect(dom).toContain('Node image upgrades: 2 changed · 4 skipped · 1 failed · 1 finding');
      expect(dom).toContain(`href="https://portal.azure.com/#@/resource${run.outcomes[0]!.cluster.id}/overview"`);

      const png = path.join(OUT, 'report.png');
      await rm(png, { force: true });
      await chromium(['--hide-scrollbars', '--window-size=900,1500', `--screenshot=${png}`, '--virtual-time-budget=5000', url], profile);
      expect((await stat(png)).size).toBeGreaterThan(10_000);
    } finally {
      await rm(profile, { recursive: true, force: true });
    }
  });
});
