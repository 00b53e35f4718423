import { forwardAuditRows } from '../../shared/audit/auditTrail';
import { createDeps } from '../../shared/deps';
import { simAdmin } from '../../shared/local/simAdmin';
import { silentLogger } from '../../shared/log';
import { runPowerSchedule } from '../../shared/power/runPowerSchedule';
import { CHANNEL_MEMBERS, type ChannelExchange } from '../../shared/sim/teamsChannel';
import { call, startServedApp, type ServedApp } from '../support/serve';
import { until } from '../support/until';

/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-call --
   replies and admin answers are read as loose JSON */
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const [ALICE, BRUNO, CHLOE, DMITRI, EVE] = CHANNEL_MEMBERS.map((m) => m.aadObjectId) as [
  string,
  string,
  string,
  string,
  string,
];

/** Everything a reply shows: its text and its card's text. */
const shown = (ex: Exchange): string => JSON.stringify(ex.reply);
type Exchange = Omit<ChannelExchange, 'reply'> & { reply: Json };

/**
 * ChatOps through the simulator's Teams channel: each message is signed as Teams signs it and posted to
 * `aks-day2 serve`'s chatops endpoint over real HTTP, on the demo fleet (Monday 12 January 2026). The
 * channel's members: Alice operator, Bruno and Dmitri approvers, Chloé reader, Eve no role.
 */
describe('ChatOps from the Teams channel through aks-day2 serve', () => {
  let s: ServedApp;
  beforeAll(async () => {
    s = await startServedApp();
  });
  afterAll(async () => {
    await s.close();
  });

  const say = (from: string, text: string, extra: Json = {}): Promise<Exchange> =>
    simAdmin<Exchange>(s.app.sim, 'POST', '/teams/channel/say', { from, text, ...extra });
  const deps = () =>
    createDeps(s.app.settings, { log: silentLogger, clock: { now: () => s.app.sim.clock.now() } });
  const runIdIn = (ex: Exchange): string => /accepted, run (\S+?):/.exec(String(ex.reply?.text))![1]!;
  async function teamsPosts(): Promise<string[]> {
    await deps().notifier.deliverPending();
    const { posts } = await simAdmin<{ posts: Array<{ body: unknown }> }>(s.app.sim, 'GET', '/teams');
    return posts.map((p) => JSON.stringify(p.body));
  }
  async function auditRows(): Promise<Json[]> {
    await forwardAuditRows(deps());
    while ((await deps().notifier.deliverPending()).pending > 0);
    const { rows } = await simAdmin<{ rows: Array<{ row: Json }> }>(s.app.sim, 'GET', '/logs');
    return rows.map((r) => r.row).filter((r) => String(r.Action).startsWith('chatops'));
  }

  it('answers help with the commands, mentions and entities stripped, in any case', async () => {
    const ex = await say('Chloé', 'HELP');
    expect(ex.status).toBe(200);
    expect(ex.reply.attachments[0].content).toMatchObject({ type: 'AdaptiveCard', version: '1.4' });
    expect(shown(ex)).toContain('@day2 snooze CLUSTER for 2h|until 22:00');
    const again = await say('Chloé', '<at>day2</at>&nbsp;Status&nbsp;AKS-DEV-WEU-01');
    expect(again.reply.text).toBe('aks-dev-weu-01: Running, 1.33.5, Succeeded');
  });

  it('answers status, plan, versions and runs inline with a small Adaptive Card', async () => {
    const fleet = await say('Chloé', 'status');
    expect(fleet.reply.text).toMatch(/^\d+ clusters, \d+ running$/);
    expect(shown(fleet)).toContain('aks-prod-weu-01');
    const plan = await say('Chloé', 'plan');
    expect(plan.reply.text).toMatch(/power action\(s\) and \d+ upgrade\(s\) due now/);
    const versions = await say('Chloé', 'versions aks-dev-weu-02');
    expect(versions.reply.attachments[0].content.body[0].text).toBe('Versions of aks-dev-weu-02');
    expect(shown(versions)).toContain('1.32.6');
    const runs = await say('Chloé', 'runs aks-dev-weu-01');
    expect(runs.reply.text).toMatch(/upgrade run\(s\), \d+ job run\(s\) on aks-dev-weu-01/);
  });

  it('lists the candidates when a name is ambiguous and says so when it is unknown', async () => {
    const ex = await say('Chloé', 'status aks-dev-weu');
    expect(ex.reply.text).toContain('"aks-dev-weu" could be 2 clusters');
    expect(shown(ex)).toContain('aks-dev-weu-01 (rg-aks-dev-weu');
    expect(shown(ex)).toContain('aks-dev-weu-02 (rg-aks-dev-weu');
    const unique = await say('Chloé', 'status aks-dev-eus');
    expect(unique.reply.text).toMatch(/^aks-dev-eus-01: /);
    const unknown = await say('Chloé', 'status aks-nowhere-01');
    expect(unknown.reply.text).toBe('no cluster named "aks-nowhere-01"; usage: @day2 status [CLUSTER]');
  });

  it('answers an unknown command or a bad argument with a one-line usage', async () => {
    const cases: Array<[string, RegExp]> = [
      ['reboot aks-dev-weu-01', /^unknown command "reboot"; usage: @day2 help \| status/],
      ['stop', /^stop needs a cluster name; usage: @day2 stop CLUSTER$/],
      ['snooze aks-dev-weu-01 for 2 weeks', /usage: @day2 snooze CLUSTER for 2h\|until 22:00$/],
      ['snooze aks-dev-weu-01 until 25:00', /until: expected a local time HH:MM/],
      ['upgrade aks-dev-weu-01 surge 0', /surge "0": expected N/],
      ['upgrade aks-dev-weu-01 to banana', /"banana" is not a version/],
      ['approve', /^approve needs a run id; usage: @day2 approve RUN$/],
      ['status a b', /"b" is not understood; usage: @day2 status \[CLUSTER\]$/],
      ['', /^usage: @day2 help/],
    ];
    for (const [text, want] of cases) {
      const ex = await say('Alice', text);
      expect(ex.status).toBe(200);
      expect(ex.reply.text).toMatch(want);
      expect(ex.reply.text).not.toContain('\n');
      expect(ex.reply.attachments).toBeUndefined();
    }
  });

  it('refuses each command a role does not allow, naming the role needed', async () => {
    const cases: Array<[string, string, string]> = [
      ['Eve', 'status', 'status needs the reader role (you have no ChatOps role'],
      ['Eve', 'upgrade aks-dev-weu-01 dry-run', 'needs the reader role'],
      ['Chloé', 'stop aks-dev-weu-01', 'stop aks-dev-weu-01 needs the operator role (you are a reader'],
      ['Chloé', 'start aks-dev-weu-01', 'needs the operator role'],
      ['Chloé', 'snooze aks-dev-weu-01 for 2h', 'needs the operator role'],
      ['Chloé', 'node-image aks-dev-weu-01', 'needs the operator role'],
      ['Chloé', 'upgrade aks-dev-weu-01', 'needs the operator role'],
      ['Chloé', 'cancel R-1', 'cancel R-1 needs the operator role'],
      ['Alice', 'approve R-1', 'approve R-1 needs the approver role (you are a operator'],
      ['Alice', 'stop aks-prod-weu-01', 'stop aks-prod-weu-01 refused: it is a prod cluster'],
      ['Dmitri', 'snooze aks-prod-weu-01 for 1h', 'snooze aks-prod-weu-01 refused: it is a prod cluster'],
      ['Alice', 'node-image aks-prod-weu-01', 'refused: it is a prod cluster'],
    ];
    for (const [who, text, want] of cases) {
      const ex = await say(who, text);
      expect(ex.status).toBe(200);
      expect(ex.reply.text).toContain(want);
    }
    const rows = await auditRows();
    const refusals = rows.filter((r) => String(r.Reason).startsWith('refused:'));
    expect(refusals.length).toBeGreaterThanOrEqual(cases.length);
    expect(refusals.some((r) => r.Actor === `teams:${EVE}` && r.Action === 'chatops status')).toBe(true);
    expect(refusals.some((r) => r.Actor === `teams:${ALICE}` && r.Action === 'chatops stop')).toBe(true);
  });

  it('rejects a missing or wrong HMAC with 401, audited, and does nothing', async () => {
    const bad = await say('Alice', 'stop aks-dev-weu-01', { signature: 'bad' });
    expect(bad.status).toBe(401);
    const none = await say('Alice', 'stop aks-dev-weu-01', { signature: 'none' });
    expect(none.status).toBe(401);
    const tampered = await call(`${s.serve.url}/api/chatops`, {
      headers: { authorization: 'HMAC not-base64!' },
      body: { type: 'message', text: 'stop aks-dev-weu-01' },
    });
    expect(tampered.status).toBe(401);
    const rows = await auditRows();
    expect(
      rows.filter((r) => r.Actor === 'teams:unverified' && r.Outcome === 'Failed').length,
    ).toBeGreaterThanOrEqual(3);
    const cluster = await simAdmin<Json>(s.app.sim, 'GET', '/state');
    const weu01 = cluster.clusters.find((c: Json) => c.name === 'aks-dev-weu-01');
    expect(JSON.stringify(weu01)).toContain('"Running"');
  });

  it('ignores a replayed activity id: the command is carried out once', async () => {
    const first = await say('Alice', 'snooze aks-dev-eus-01 for 1h', { activityId: 'replay-1' });
    expect(first.reply.text).toMatch(/^accepted, run /);
    const replay = await say('Alice', 'snooze aks-dev-eus-01 for 1h', { activityId: 'replay-1' });
    expect(replay.status).toBe(200);
    expect(replay.reply.text).toBe('this message was already handled; nothing was done again');
  });

  it('snoozes, stops and starts a non-prod cluster through the worker; the outcome is posted as the run card', async () => {
    const snooze = await say('Alice', 'snooze aks-dev-weu-01 until 22:00');
    expect(snooze.reply.text).toMatch(/^accepted, run \S+: snooze aks-dev-weu-01 until 22:00/);
    const snoozeRun = runIdIn(snooze);
    await until('the snooze card', async () =>
      (await teamsPosts()).some((p) => p.includes(snoozeRun)) ? true : undefined,
    );
    const snoozeCard = (await teamsPosts()).find((p) => p.includes(snoozeRun))!;
    expect(snoozeCard).toContain('aks-dev-weu-01');
    expect(snoozeCard).toContain('"text":"snooze"');
    expect((await deps().state.snoozes.all(s.app.sim.clock.now())).size).toBeGreaterThan(0);

    const stop = await say('Alice', 'stop aks-test-aue-01');
    const stopRun = runIdIn(stop);
    await until('the stop card', async () =>
      (await teamsPosts()).some((p) => p.includes(stopRun)) ? true : undefined,
    );
    const stopCard = (await teamsPosts()).find((p) => p.includes(stopRun))!;
    expect(stopCard).toContain('aks-test-aue-01');
    expect(stopCard).toContain('"text":"stop"');
    expect((await say('Chloé', 'status aks-test-aue-01')).reply.text).toMatch(/Stopping|Stopped/);
    await simAdmin(s.app.sim, 'POST', '/clock/advance', { minutes: 60 });
    const start = await say('Alice', 'start aks-test-aue-01');
    const startRun = runIdIn(start);
    await until('the start card', async () =>
      (await teamsPosts()).some((p) => p.includes(startRun)) ? true : undefined,
    );
    // The stop is still the cluster's operation until the power schedule's tick records how it ended.
    expect((await teamsPosts()).find((p) => p.includes(startRun))).toContain(
      'start: another aks-day2 operation holds the cluster; try again later',
    );
    await runPowerSchedule(deps());
    const again = await say('Alice', 'start aks-test-aue-01');
    const againRun = runIdIn(again);
    await until('the second start card', async () =>
      (await teamsPosts()).some((p) => p.includes(againRun)) ? true : undefined,
    );
    expect((await teamsPosts()).find((p) => p.includes(againRun))).toContain('"text":"start"');
    expect((await say('Chloé', 'status aks-test-aue-01')).reply.text).toMatch(/Starting|Running/);
  });

  it('answers an upgrade dry run with every pre-check; a node-image request becomes a run', async () => {
    const dry = await say('Chloé', 'upgrade aks-dev-weu-02 to patch surge 33% dry-run');
    expect(dry.reply.text).toMatch(/^dry run: upgrade aks-dev-weu-02 1\.32\.6 → 1\.32\.8 would start/);
    expect(shown(dry)).toContain('pass state');
    const ni = await say('Alice', 'node-image aks-dev-weu-02 system');
    expect(ni.reply.text).toMatch(/^accepted, run \S+: node-image aks-dev-weu-02 system/);
  });

  it('keeps a prod upgrade for a second approver: the requester cannot approve it, another approver can', async () => {
    const req = await say('Dmitri', 'upgrade aks-prod-weu-01 next-minor');
    expect(req.reply.text).toMatch(/^accepted, run \S+: upgrade aks-prod-weu-01 .* it waits for an approver/);
    const id = runIdIn(req);
    await until('the run to await approval', async () =>
      (await deps().state.upgradeRuns.get(id))?.state === 'AwaitingApproval' ? true : undefined,
    );
    const own = await say('Dmitri', `approve ${id}`);
    expect(own.reply.text).toBe(
      `approve ${id} refused: you requested this run; another approver must approve it (four eyes)`,
    );
    const ok = await say('Bruno', `approve ${id}`);
    expect(ok.reply.text).toMatch(new RegExp(`^accepted, run ${id}: approved by Bruno Costa`));
    const approved = await until('the worker to record the approval', async () => {
      const r = await deps().state.upgradeRuns.get(id);
      return r?.approvedBy ? r : undefined;
    });
    expect(approved.approvedBy).toBe(`teams:${BRUNO}`);
    const cancel = await say('Alice', `cancel ${id}`);
    expect(cancel.reply.text).toMatch(new RegExp(`^accepted, run ${id}: cancel asked`));
    const cancelled = await until('the worker to record the cancel', async () => {
      const r = await deps().state.upgradeRuns.get(id);
      return r?.cancelledBy ? r : undefined;
    });
    expect(cancelled.cancelledBy).toBe(`teams:${ALICE}`);
    const unknown = await say('Bruno', 'approve R-does-not-exist');
    expect(unknown.reply.text).toBe('no upgrade run R-does-not-exist; usage: @day2 approve RUN');
  });

  it('audits every verified command with Actor teams:<object id>', async () => {
    const rows = await auditRows();
    expect(rows.some((r) => r.Actor === `teams:${CHLOE}` && r.Action === 'chatops help')).toBe(true);
    expect(rows.some((r) => r.Actor === `teams:${DMITRI}` && r.Action === 'chatops upgrade')).toBe(true);
    expect(rows.some((r) => r.Actor === `teams:${BRUNO}` && r.Action === 'chatops approve')).toBe(true);
    expect(rows.every((r) => r.Job === 'chatops')).toBe(true);
  });
});
