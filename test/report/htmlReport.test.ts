import { mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildCard } from '../../shared/notify/card';
import { deadLetterCard } from '../../shared/notify/deadLetterAlert';
import { toLogRows } from '../../shared/notify/logRows';
import { renderHtmlReport, writeHtmlReport } from '../../shared/report/htmlReport';
import { hugeRun, nodeImageRun, quietRun } from '../notify/runs';
import { chromium, renderedReport } from '../support/chromium';

const OUT = path.join(__dirname, '..', '..', 'out');

describe('HTML report', () => {
  const run = nodeImageRun();
  const version = quietRun('20261005T060000000Z-00000002', 'version-support', { alwaysReport: true });
  const big = hugeRun(5000);
  const cards = [
    buildCard(run),
    buildCard(version),
    buildCard(big),
    deadLetterCard({
      destination: 'teams',
      seq: 7,
      deliveryId: 'b0e2c0de-0000-4000-8000-000000000001',
      key: 'card:x',
      kind: 'card',
      runId: run.runId,
      job: 'node-image',
      actor: 'timer',
      attempts: 8,
      lastStatus: 503,
      lastError: 'Teams webhook answered 503',
      parkedAt: new Date('2026-10-05T07:00:00Z'),
      deadLetterTable: 'day2OutboxDead',
    }),
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
    await mkdir(OUT, { recursive: true });
    const page = path.join(OUT, 'report.html');
    await writeHtmlReport(page, { runs: [run, version, big], cards, rows, title: 'aks-day2 report (test)' });
    const { dom, cardsRendered } = await renderedReport(page);
    expect(cardsRendered).toBe(cards.length);
    expect(dom).toContain('Node image upgrades: 2 changed · 4 skipped · 1 failed · 1 finding');
    expect(dom).toContain(
      `href="https://portal.azure.com/#@/resource${run.outcomes[0]!.cluster.id}/overview"`,
    );

    const png = path.join(OUT, 'report.png');
    await rm(png, { force: true });
    await chromium([
      '--hide-scrollbars',
      '--window-size=900,1500',
      `--screenshot=${png}`,
      '--virtual-time-budget=5000',
      pathToFileURL(page).href,
    ]);
    expect((await stat(png)).size).toBeGreaterThan(10_000);
  });
});
