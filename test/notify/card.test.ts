import { buildCard, MAX_CARD_BYTES, portalUrl, shouldPost, type CardElement } from '../../shared/notify/card';
import type { OutcomeRecord, RunRecord } from '../../shared/records/outcome';
import { cluster, hugeRun, nodeImageRun, quietRun } from './runs';

const bytes = (v: unknown): number => Buffer.byteLength(JSON.stringify(v), 'utf8');
const content = (run: RunRecord): { body: CardElement[]; version: string } =>
  buildCard(run).attachments[0]!.content;

/** Every element and action in a card, depth first. */
function walk(node: unknown, out: Array<Record<string, unknown>> = []): Array<Record<string, unknown>> {
  if (Array.isArray(node)) for (const n of node) walk(n, out);
  else if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if (typeof o.type === 'string') out.push(o);
    for (const v of Object.values(o)) walk(v, out);
  }
  return out;
}

/** Elements and actions of Adaptive Cards 1.4 that Teams renders (no Table: 1.5; no Action.Submit from a webhook). */
const ALLOWED_1_4 = new Set([
  'AdaptiveCard',
  'TextBlock',
  'Container',
  'ColumnSet',
  'Column',
  'FactSet',
  'Image',
  'RichTextBlock',
  'TextRun',
  'ActionSet',
  'Action.OpenUrl',
  'Action.ToggleVisible',
  'message',
]);

describe('Teams card of a job run', () => {
  it("keeps a 5,000-cluster run's card under 28 KB and says what it left out", () => {
    const run = hugeRun(5000);
    const msg = buildCard(run);
    expect(bytes(msg)).toBeLessThanOrEqual(MAX_CARD_BYTES);
    expect(bytes(msg)).toBeLessThan(28 * 1024);
    const text = JSON.stringify(msg);
    expect(text).toContain('Node image upgrades: 90 changed · 4,900 skipped · 10 failed');
    expect(text).toMatch(
      /… and [\d,]+ more skipped: see Log Analytics AksDay2Ops_CL RunId=20261005T060000000Z-bbbbbbbb/,
    );
    // failures are never the first thing cut: all 10 are there
    expect(text.match(/color":"Attention","spacing":"Small"/g)).toHaveLength(10);
  });

  it.each([0, 1, 40, 400, 5000, 20000])(
    'stays under the size limit for a run of %i clusters, even with very long reasons',
    (n) => {
      const run = hugeRun(n);
      for (const o of run.outcomes) o.reason = `${o.reason} ${'x'.repeat(3000)} ünïcødé ✓`;
      expect(bytes(buildCard(run))).toBeLessThanOrEqual(MAX_CARD_BYTES);
    },
  );

  it('is one Adaptive Card 1.4 in the Workflows webhook payload, using 1.4 elements only and no Action.Submit', () => {
    const msg = buildCard(hugeRun(300));
    expect(msg.type).toBe('message');
    expect(msg.attachments).toHaveLength(1);
    expect(msg.attachments[0]?.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(msg.attachments[0]?.content.version).toBe('1.4');
    const types = new Set(walk(msg).map((e) => String(e.type)));
    for (const t of types) expect(ALLOWED_1_4).toContain(t);
  });

  it('shows the failures first, in red, with the headline counts, then findings, changes and skipped with reasons', () => {
    const body = content(nodeImageRun()).body;
    expect(body[0]).toMatchObject({
      type: 'TextBlock',
      text: 'Node image upgrades: 2 changed · 4 skipped · 1 failed · 1 finding',
      color: 'Attention',
    });
    expect(String((body[1] as { text: string }).text)).toMatch(
      /^Run 20261005T060000000Z-0a1b2c3d · by timer · started 2026-10-05 06:00 UTC · took 17m 0s/,
    );
    expect(body[2]).toMatchObject({ type: 'Container', style: 'attention' });
    const failures = walk(body[2]).filter((e) => e.type === 'TextBlock');
    expect(failures.every((e) => e.color === 'Attention')).toBe(true);
    expect(String(failures[1]?.text)).toContain('blocked by pdb payments-api-pdb');
    const headings = body.filter((e) => e.weight === 'Bolder').map((e) => String(e.text));
    expect(headings).toEqual([
      'Node image upgrades: 2 changed · 4 skipped · 1 failed · 1 finding',
      'Findings (1)',
      'Changes (2)',
      'Skipped (4)',
    ]);
    const text = JSON.stringify(body);
    expect(text).toContain('day2-protect is true');
    expect(text).toContain('does not parse: hour 25 is out of range');
  });

  it('links every cluster it names to its Azure portal page', () => {
    const run = nodeImageRun();
    const text = JSON.stringify(buildCard(run));
    for (const o of run.outcomes) expect(text).toContain(`[${o.cluster.name}](${portalUrl(o.cluster.id)})`);
    expect(portalUrl(run.outcomes[0]!.cluster.id)).toBe(
      `https://portal.azure.com/#@/resource${run.outcomes[0]!.cluster.id}/overview`,
    );
  });

  it('marks a dry run and counts its planned changes', () => {
    const run = nodeImageRun(undefined, { dryRun: true });
    run.outcomes = run.outcomes.map((o): OutcomeRecord =>
      o.outcome === 'Succeeded' || o.outcome === 'InProgress' ? { ...o, outcome: 'Planned' } : o,
    );
    const body = content(run).body;
    expect(body[0]?.text).toBe(
      'Node image upgrades: 0 changed · 2 planned · 4 skipped · 1 failed · 1 finding',
    );
    expect(body[1]).toMatchObject({ text: expect.stringContaining('DRY RUN'), color: 'Warning' });
  });
});

describe('whether a run is posted to Teams', () => {
  const base = quietRun('r');
  const withOutcome = (o: Partial<OutcomeRecord>): RunRecord => ({
    ...base,
    outcomes: [
      ...base.outcomes,
      { action: 'stop', outcome: 'Skipped', cluster: cluster('aks-x'), reason: 'r', at: new Date(0), ...o },
    ],
  });
  it.each<[string, RunRecord, boolean]>([
    ['every cluster skipped, nothing found', base, false],
    ['no outcomes at all', { ...base, outcomes: [] }, false],
    ['a failure', withOutcome({ outcome: 'Failed' }), true],
    ['a change', withOutcome({ outcome: 'Succeeded' }), true],
    ['a change in progress', withOutcome({ outcome: 'InProgress' }), true],
    ['a planned change (dry run or notify)', withOutcome({ outcome: 'Planned' }), true],
    ['a tag that does not parse', withOutcome({ action: 'tag-check' }), true],
    ['a skip the job marks as a finding', withOutcome({ details: { finding: true } }), true],
    ['a scheduled report with nothing to tell', { ...base, alwaysReport: true }, true],
  ])('%s: %p', (_name, run, expected) => {
    expect(shouldPost(run)).toBe(expected);
  });
});

describe('findings order', () => {
  it("keeps the job's order of findings, so the version report reads worst first", () => {
    const at = new Date('2026-01-12T06:00:00Z');
    const finding = (name: string, status: string): OutcomeRecord => ({
      action: 'version-check',
      outcome: 'Skipped',
      cluster: cluster(name),
      reason: `${status}: ${name}`,
      at,
      details: { finding: true, status },
    });
    const run: RunRecord = {
      runId: '20260112T060000000Z-00000001',
      job: 'version-support',
      actor: 'timer',
      startedAt: at,
      endedAt: at,
      dryRun: false,
      alwaysReport: true,
      outcomes: [
        finding('aks-z-unsupported', 'unsupported'),
        finding('aks-m-ending', 'ending'),
        finding('aks-a-behind', 'behind-patch'),
      ],
    };
    const text = JSON.stringify(content(run).body);
    const pos = ['unsupported: aks-z-unsupported', 'ending: aks-m-ending', 'behind-patch: aks-a-behind'].map(
      (s) => text.indexOf(s),
    );
    expect(pos.every((p) => p >= 0)).toBe(true);
    expect([...pos].sort((a, b) => a - b)).toEqual(pos);
  });
});

describe('links', () => {
  it('links clusters to the portal but not a fleet-wide outcome that has no cluster id', () => {
    const at = new Date('2026-01-12T06:00:00Z');
    const run: RunRecord = {
      runId: '20260112T060000000Z-00000002',
      job: 'node-image',
      actor: 'timer',
      startedAt: at,
      endedAt: at,
      dryRun: false,
      outcomes: [
        {
          action: 'run',
          outcome: 'Failed',
          cluster: { id: '', name: '(fleet)', subscriptionId: '', resourceGroup: '' },
          reason: 'list subscriptions failed: 403',
          at,
        },
        {
          action: 'node-image-upgrade',
          outcome: 'Failed',
          cluster: cluster('aks-dev-weu-01'),
          nodePool: 'apps',
          reason: 'UpgradeFailed',
          at,
        },
      ],
    };
    const text = JSON.stringify(content(run).body);
    expect(text).not.toContain('(fleet)](');
    expect(text).toContain('(fleet)');
    expect(text).toContain(`[aks-dev-weu-01](${portalUrl(cluster('aks-dev-weu-01').id)})`);
  });
});
