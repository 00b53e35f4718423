import { LOG_COLUMNS } from '../../shared/notify/logRows';
import { portalUrl } from '../../shared/notify/card';
import { admin } from '../sim/simClient';
import { notifyWorld, RULE_ID, type NotifyWorld } from './helpers';
import { hugeRun, nodeImageRun, quietRun } from './runs';

describe('notifier: a run reported to Teams and Log Analytics', () => {
  let w: NotifyWorld;
  beforeEach(async () => {
    w = await notifyWorld();
  });
  afterEach(async () => {
    await w.close();
  });

  it("delivers a run's card to the Teams receiver and one row per outcome to the Logs receiver, with the contract's fields", async () => {
    const run = nodeImageRun();
    await w.notifier().report(run);

    const posts = await w.teamsPosts();
    expect(posts).toHaveLength(1);
    const body = posts[0]?.body as {
      type: string;
      attachments: Array<{ contentType: string; content: { type: string; version: string } }>;
    };
    expect(body.type).toBe('message');
    expect(body.attachments).toHaveLength(1);
    expect(body.attachments[0]).toMatchObject({
      contentType: 'application/vnd.microsoft.card.adaptive',
      content: { type: 'AdaptiveCard', version: '1.4' },
    });
    const text = JSON.stringify(body);
    expect(text).toContain('Node image upgrades: 2 changed · 4 skipped · 1 failed · 1 finding');
    expect(text).toContain(portalUrl(run.outcomes[0]!.cluster.id));

    const rows = await w.logRows();
    expect(rows).toHaveLength(run.outcomes.length);
    for (const r of rows) {
      expect(r.ruleId).toBe(RULE_ID);
      expect(r.stream).toBe('Custom-AksDay2Ops_CL');
      expect(Object.keys(r.row).sort()).toEqual(LOG_COLUMNS.map((c) => c.name).sort());
    }
    const failed = rows.find((r) => r.row.Outcome === 'Failed')?.row;
    expect(failed).toMatchObject({
      RunId: run.runId,
      Job: 'node-image',
      Action: 'node-image-upgrade',
      ClusterId: run.outcomes[0]!.cluster.id,
      Cluster: 'aks-test-weu-01',
      Subscription: run.outcomes[0]!.cluster.subscriptionId,
      ResourceGroup: run.outcomes[0]!.cluster.resourceGroup,
      NodePool: 'payments',
      FromVersion: 'AKSUbuntu-2204gen2containerd-202609.16.0',
      ToVersion: 'AKSUbuntu-2204gen2containerd-202610.07.0',
      Actor: 'timer',
      DurationMs: 912000,
      TimeGenerated: '2026-10-05T06:16:00.000Z',
    });
    expect(failed?.Reason).toContain('blocked by pdb payments-api-pdb');
    expect(failed?.Details).toMatchObject({
      dryRun: false,
      rowId: `${run.runId}/0`,
      deliveryId: expect.any(String),
    });

    expect(await w.notifier().runs.get(run.runId)).toEqual(run);
  });

  it('delivers a 5,000-cluster run: a card under 28 KB that says what it left out, and all 5,000 rows', async () => {
    const run = hugeRun(5000);
    await w.notifier().report(run);
    const posts = await w.teamsPosts();
    expect(posts).toHaveLength(1);
    expect(Buffer.byteLength(JSON.stringify(posts[0]?.body))).toBeLessThan(28 * 1024);
    expect(JSON.stringify(posts[0]?.body)).toMatch(/more skipped: see Log Analytics AksDay2Ops_CL RunId=/);
    const rows = await w.logRows();
    expect(rows).toHaveLength(5000);
    expect(new Set(rows.map((r) => (r.row.Details as { rowId: string }).rowId)).size).toBe(5000);
    // 5,000 rows through Azurite and the Logs receiver: slow on a loaded machine, so a generous bound.
  }, 240_000);

  it('posts nothing to Teams for a run that changed nothing and found nothing, but still sends its rows', async () => {
    await w.notifier().report(quietRun('20261005T060500000Z-00000001'));
    expect(await w.teamsPosts()).toHaveLength(0);
    expect(await w.logRows()).toHaveLength(2);
  });

  it('posts a version-support report (alwaysReport) even when nothing changed', async () => {
    await w
      .notifier()
      .report(quietRun('20261005T060000000Z-00000002', 'version-support', { alwaysReport: true }));
    const posts = await w.teamsPosts();
    expect(posts).toHaveLength(1);
    expect(JSON.stringify(posts[0]?.body)).toContain('Version support: 0 changed · 2 skipped · 0 failed');
  });

  it('reporting the same run twice posts one card and sends its rows once', async () => {
    const run = nodeImageRun();
    await w.notifier().report(run);
    await w.notifier().report(run);
    expect(await w.teamsPosts()).toHaveLength(1);
    expect(await w.logRows()).toHaveLength(run.outcomes.length);
  });

  it('never writes the Teams webhook secret to the log, even when Teams fails', async () => {
    await admin(w.sim, 'POST', '/teams/failures', { status: 503, count: 1 });
    await w.notifier().report(nodeImageRun());
    expect(w.log.lines.some((l) => l.includes('Teams webhook answered 503'))).toBe(true);
    expect(w.log.lines.join('\n')).not.toContain('sig=local');
  });
});

describe('notifier: destinations that are not configured', () => {
  let w: NotifyWorld;
  afterEach(async () => {
    await w.close();
  });

  it('skips Teams with one info log when DAY2_TEAMS_WEBHOOK_URL is not set, and still sends rows', async () => {
    w = await notifyWorld({ DAY2_TEAMS_WEBHOOK_URL: '' });
    const n = w.notifier();
    await n.report(nodeImageRun());
    await n.report(nodeImageRun('20261005T070000000Z-0a1b2c3e'));
    expect(w.log.lines.filter((l) => l.includes('no Teams cards are posted'))).toEqual([
      expect.stringMatching(/^info /) as unknown as string,
    ]);
    expect(await w.teamsPosts()).toHaveLength(0);
    expect(await w.logRows()).toHaveLength(16);
  });

  it('skips Log Analytics with one info log when the Logs Ingestion settings are not set', async () => {
    w = await notifyWorld({ DAY2_LOGS_ENDPOINT: '', DAY2_LOGS_RULE_ID: '' });
    await w.notifier().report(nodeImageRun());
    expect(w.log.lines.filter((l) => l.includes('no Log Analytics rows are sent'))).toHaveLength(1);
    expect(await w.teamsPosts()).toHaveLength(1);
    expect(await w.logRows()).toHaveLength(0);
  });
});
