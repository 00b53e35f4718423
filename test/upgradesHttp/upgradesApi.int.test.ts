import { forwardAuditRows } from '../../shared/audit/auditTrail';
import { enqueueCommand } from '../../shared/commands/enqueue';
import { createDeps } from '../../shared/deps';
import { simAdmin } from '../../shared/local/simAdmin';
import { silentLogger } from '../../shared/log';
import { expectDocumented, seen } from '../support/openapiCheck';
import { call, principalHeaders, startServedApp, type Answer, type ServedApp } from '../support/serve';
import { until } from '../support/until';

/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-argument --
   answers are read as loose JSON; expectDocumented has checked each against its OpenAPI schema */
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const ALICE = '0a11ce00-0000-4000-8000-000000000001'; // operator and approver
const BOB = '0b0b0000-0000-4000-8000-000000000002'; // approver
const CAROL = '0ca401a0-0000-4000-8000-000000000003'; // reader
const DAVE = '0da7e000-0000-4000-8000-000000000004'; // operator
const alice = principalHeaders(ALICE, ['Day2.Operator', 'Day2.Approver']);
const bob = principalHeaders(BOB, ['Day2.Approver']);
const carol = principalHeaders(CAROL, ['Day2.Reader']);
const dave = principalHeaders(DAVE, ['Day2.Operator']);

/**
 * The upgrades API over real HTTP, through `aks-day2 serve` (in this process) with App Service
 * authentication on, on the demo fleet (12 January 2026); every answer checked against the OpenAPI
 * description.
 */
describe('the upgrades HTTP API through aks-day2 serve', () => {
  let s: ServedApp;
  let calls = 0;
  beforeAll(async () => {
    s = await startServedApp({ easyAuth: true });
  });
  afterAll(async () => {
    await s.close();
  });

  async function api(
    method: string,
    route: string,
    path: string,
    init: { headers?: Record<string, string>; body?: unknown } = {},
  ): Promise<Answer> {
    calls++;
    const a = await call(`${s.api}${path}`, { method, ...init });
    expectDocumented(method, route, a);
    return a;
  }
  const post = (who: Record<string, string>, body: unknown, extra: Record<string, string> = {}) =>
    api('POST', '/upgrades', '/upgrades', { headers: { ...who, ...extra }, body });
  const getRun = (id: string, who = carol) =>
    api('GET', '/upgrades/{id}', `/upgrades/${id}`, { headers: who });
  const deps = () =>
    createDeps(s.app.settings, { log: silentLogger, clock: { now: () => s.app.sim.clock.now() } });
  const runState = async (id: string): Promise<string> => ((await getRun(id)).body as Json).state as string;

  /** Moves the run on as the sweeper does each minute: virtual time passes, the worker advances the run. */
  async function driveToEnd(id: string): Promise<Json> {
    for (let i = 0; i < 40; i++) {
      const run = (await getRun(id)).body as Json;
      if (['Succeeded', 'Failed', 'Halted', 'Cancelled'].includes(run.state)) return run;
      s.app.sim.clock.advance(5 * 60_000);
      await enqueueCommand(deps(), { kind: 'upgrade', runId: id }, 'timer');
      await until('the worker to take the command', async () =>
        s.logs.some((l) => l.includes(`run ${id} on`) && l.includes('[commandWorker]')) ? true : undefined,
      );
      s.logs.length = 0;
    }
    throw new Error(`run ${id} did not end`);
  }

  it('serves its OpenAPI 3.1 description', async () => {
    const a = await api('GET', '/openapi.json', '/openapi.json', { headers: carol });
    expect(a.status).toBe(200);
    expect((a.body as Json).openapi).toBe('3.1.0');
  });

  it('answers a dry run with 200 and every pre-check with its evidence, to a reader, creating no run', async () => {
    const a = await post(carol, { cluster: 'aks-dev-weu-02', dryRun: true });
    expect(a.status).toBe(200);
    const plan = a.body as Json;
    expect(plan).toMatchObject({ dryRun: true, fromVersion: '1.32.6', wouldStart: true });
    expect(plan.prechecks.length).toBeGreaterThanOrEqual(5);
    for (const c of plan.prechecks)
      expect(c).toMatchObject({ check: expect.any(String), status: expect.any(String) });
    expect(plan.prechecks.find((c: Json) => c.check === 'state').evidence.length).toBeGreaterThan(0);
    const list = await api('GET', '/upgrades', '/upgrades?cluster=aks-dev-weu-02', { headers: carol });
    expect((list.body as Json).items).toEqual([]);
  });

  it('accepts an upgrade with 202, Location and the run; the worker carries it out; progress shows until it ends', async () => {
    const a = await post(dave, { cluster: 'aks-dev-weu-02', maxSurge: '33%' });
    expect(a.status).toBe(202);
    const run = a.body as Json;
    expect(a.headers.get('location')).toBe(`/api/upgrades/${run.id}`);
    expect(run).toMatchObject({
      state: 'Planned',
      fromVersion: '1.32.6',
      toVersion: '1.32.8',
      requestedBy: `http:${DAVE}`,
    });
    await until('the worker to submit the control plane', async () =>
      (await runState(run.id)) === 'ControlPlane' ? true : undefined,
    );
    const inFlight = await getRun(run.id);
    expect(inFlight.headers.get('retry-after')).toBe('30');
    expect((inFlight.body as Json).steps.map((x: Json) => x.kind)).toEqual([
      'pre-checks',
      'control-plane',
      'pool',
      'post-checks',
    ]);

    // A second run on the same cluster while this one is in flight: 409 naming it.
    const again = await post(dave, { cluster: 'aks-dev-weu-02' });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ runId: run.id, errors: [{ in: 'body', field: 'cluster' }] });

    const ended = await driveToEnd(run.id);
    expect(ended.state).toBe('Succeeded');
    const done = await getRun(run.id);
    expect(done.headers.get('retry-after')).toBeNull();
    const puts = await simAdmin<Json>(s.app.sim, 'GET', '/puts/aks-dev-weu-02');
    expect(puts.cluster.accepted).toBe(1); // one control-plane PUT, whoever advanced the run
    // The process that ended the run (the in-process worker) reports it right after storing its state.
    await until("the run's card", async () => {
      await deps().notifier.deliverPending();
      const { posts } = await simAdmin<{ posts: Array<{ body: unknown }> }>(s.app.sim, 'GET', '/teams');
      return posts.some((p) => JSON.stringify(p.body).includes(run.id)) ? true : undefined;
    });
  });

  it('lists runs newest first, filtered by cluster and state, a page at a time', async () => {
    const byCluster = await api('GET', '/upgrades', '/upgrades?cluster=aks-dev-weu-02&state=Succeeded', {
      headers: carol,
    });
    expect(byCluster.status).toBe(200);
    expect((byCluster.body as Json).items).toHaveLength(1);
    const first = await api('GET', '/upgrades', '/upgrades?limit=1', { headers: carol });
    const page = first.body as Json;
    expect(page.items).toHaveLength(1);
    if (page.next) {
      const second = await api('GET', '/upgrades', page.next.replace(/^\/api/, ''), { headers: carol });
      expect(second.status).toBe(200);
    }
    const bad = await api('GET', '/upgrades', '/upgrades?state=Sleeping&limit=500', { headers: carol });
    expect(bad.status).toBe(400);
    expect((bad.body as Json).errors.map((e: Json) => `${e.in}:${e.field}`).sort()).toEqual([
      'query:limit',
      'query:state',
    ]);
    const unknown = await api('GET', '/upgrades', '/upgrades?cluster=aks-nowhere-01', { headers: carol });
    expect(unknown.status).toBe(404);
  });

  it('answers 404 for an unknown run and 400 for a malformed run id, naming the id', async () => {
    const a = await getRun('R-20260112T000000000Z-00000000');
    expect(a.status).toBe(404);
    expect((a.body as Json).errors[0]).toMatchObject({ in: 'path', field: 'id' });
    const b = await getRun('not!a!run');
    expect(b.status).toBe(400);
    expect((b.body as Json).errors[0]).toMatchObject({ in: 'path', field: 'id' });
  });

  it('refuses malformed bodies with 400 naming each field and why', async () => {
    const a = await post(dave, { cluster: 'aks-dev-cin-01', maxSurge: '150%', colour: 'blue' });
    expect(a.status).toBe(400);
    expect((a.body as Json).errors.map((e: Json) => e.field).sort()).toEqual(['colour', 'maxSurge']);
    const b = await post(dave, '{"cluster": ');
    expect(b.status).toBe(400);
    expect((b.body as Json).errors[0]).toMatchObject({ in: 'body', field: '(body)' });
    const c = await post(dave, { to: 'latest-patch' });
    expect((c.body as Json).errors[0]).toMatchObject({ field: 'cluster' });
  });

  it('refuses a body over 64 KB with 413 and one that is not JSON with 415', async () => {
    const big = await post(dave, { cluster: 'aks-dev-cin-01', to: 'latest-patch', pad: 'x'.repeat(70_000) });
    expect(big.status).toBe(413);
    const text = await post(dave, 'cluster=aks-dev-cin-01', { 'content-type': 'text/plain' });
    expect(text.status).toBe(415);
    expect((text.body as Json).errors[0]).toMatchObject({ in: 'header', field: 'content-type' });
  });

  it('answers 404 for an unknown cluster, naming the cluster field', async () => {
    const a = await post(dave, { cluster: 'aks-nowhere-01' });
    expect(a.status).toBe(404);
    expect((a.body as Json).errors[0]).toMatchObject({ in: 'body', field: 'cluster' });
  });

  it('refuses an upgrade whose pre-checks fail with 422 listing each; force overrides only the overridable ones', async () => {
    const same = await post(dave, { cluster: 'aks-dev-weu-01', force: true });
    expect(same.status).toBe(422);
    expect((same.body as Json).prechecks.map((c: Json) => c.check)).toEqual(['target']);
    expect((same.body as Json).errors[0]).toMatchObject({ field: 'to' });

    const pdb = await post(dave, { cluster: 'aks-test-weu-01' });
    expect(pdb.status).toBe(422);
    const failed = (pdb.body as Json).prechecks as Json[];
    expect(failed.map((c) => c.check)).toContain('pdbs');
    expect(failed.every((c) => c.status === 'fail' && c.evidence.length > 0)).toBe(true);
    if (failed.every((c) => c.overridable)) {
      expect((pdb.body as Json).errors.every((e: Json) => e.field === 'force')).toBe(true);
      const forced = await post(dave, { cluster: 'aks-test-weu-01', force: true });
      expect(forced.status).toBe(202);
    }
  });

  it('returns the same run for a repeat with the same Idempotency-Key and body, and 422 for another body', async () => {
    const key = { 'idempotency-key': 'deploy-4711' };
    const a = await post(dave, { cluster: 'aks-dev-cin-01', to: 'latest-patch' }, key);
    const b = await post(dave, { to: 'latest-patch', cluster: 'aks-dev-cin-01' }, key);
    expect(a.status).toBe(202);
    expect(b.status).toBe(202);
    expect((b.body as Json).id).toBe((a.body as Json).id);
    const c = await post(dave, { cluster: 'aks-dev-cin-01', to: 'next-minor' }, key);
    expect(c.status).toBe(422);
    expect((c.body as Json).errors[0]).toMatchObject({ in: 'header', field: 'Idempotency-Key' });
    const list = await api('GET', '/upgrades', '/upgrades?cluster=aks-dev-cin-01', { headers: carol });
    expect((list.body as Json).items).toHaveLength(1);
  });

  it('starts exactly one run for 50 concurrent POSTs with one Idempotency-Key', async () => {
    const key = { 'idempotency-key': '5f0c1e55-7d1e-4f7b-9a55-0123456789ab' };
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => post(dave, { cluster: 'aks-test-weu-02' }, key)),
    );
    // Each answer is the run (202), or, if the first request is still being answered after 30 s, a 409
    // saying so; repeating that one then gets the same run.
    const busy = answers.filter((x) => x.status === 409);
    for (const b of busy) expect((b.body as Json).type).toBe('urn:aks-day2:problem:idempotency-key-in-use');
    const retried = await Promise.all(busy.map(() => post(dave, { cluster: 'aks-test-weu-02' }, key)));
    const runs = [...answers.filter((x) => x.status !== 409), ...retried];
    expect(runs.every((x) => x.status === 202)).toBe(true);
    expect(new Set(runs.map((x) => (x.body as Json).id)).size).toBe(1);
    const list = await api('GET', '/upgrades', '/upgrades?cluster=aks-test-weu-02', { headers: carol });
    expect((list.body as Json).items).toHaveLength(1);
  }, 180_000); // an upper bound only

  it('keeps a prod run waiting for an approver who is not its requester (four eyes)', async () => {
    const a = await post(alice, { cluster: 'aks-prod-weu-01', to: 'next-minor' });
    expect(a.status).toBe(202);
    const id = (a.body as Json).id as string;
    await until('the run to await approval', async () =>
      (await runState(id)) === 'AwaitingApproval' ? true : undefined,
    );
    const approve = (who: Record<string, string>) =>
      api('POST', '/upgrades/{id}/approve', `/upgrades/${id}/approve`, { headers: who });

    const own = await approve(alice);
    expect(own.status).toBe(403);
    expect((own.body as Json).type).toBe('urn:aks-day2:problem:four-eyes');
    const reader = await approve(carol);
    expect(reader.status).toBe(403);
    expect((reader.body as Json).type).toBe('urn:aks-day2:problem:forbidden');

    const ok = await approve(bob);
    expect(ok.status).toBe(202);
    const approved = await until('the worker to record the approval', async () => {
      const r = (await getRun(id)).body as Json;
      return r.approvedBy ? r : undefined;
    });
    expect(approved.approvedBy).toBe(`http:${BOB}`);
    expect((await approve(bob)).status).toBe(409);
  });

  it('cancels a run: 202, the worker records who cancelled it; a run that ended cannot be cancelled', async () => {
    const list = await api('GET', '/upgrades', '/upgrades?cluster=aks-test-weu-02', { headers: carol });
    const id = ((list.body as Json).items[0] as Json).id as string;
    const cancel = (who: Record<string, string>) =>
      api('POST', '/upgrades/{id}/cancel', `/upgrades/${id}/cancel`, { headers: who });
    expect((await cancel(carol)).status).toBe(403);
    expect((await cancel(dave)).status).toBe(202);
    const cancelled = await until('the worker to cancel the run', async () => {
      const r = (await getRun(id)).body as Json;
      return r.cancelledBy ? r : undefined;
    });
    expect(cancelled.cancelledBy).toBe(`http:${DAVE}`);
    const ended = await driveToEnd(id);
    expect(ended.state).toBe('Cancelled');
    expect((await cancel(dave)).status).toBe(409);
  });

  it('answers 401 naming the header when App Service authentication is on and no one signed in', async () => {
    const a = await api('GET', '/upgrades', '/upgrades');
    expect(a.status).toBe(401);
    expect((a.body as Json).errors[0]).toMatchObject({ in: 'header', field: 'x-ms-client-principal' });
  });

  it('answers a path no function serves with 404 problem details', async () => {
    const a = await call(`${s.api}/upgrades/x/y/z`);
    expect(a.status).toBe(404);
    expect(a.headers.get('content-type')).toBe('application/problem+json');
  });

  it('audits every call: one Log Analytics row each, with Actor http:<principal>', async () => {
    await forwardAuditRows(deps());
    while ((await deps().notifier.deliverPending()).pending > 0);
    const { rows } = await simAdmin<{ rows: Array<{ row: Json }> }>(s.app.sim, 'GET', '/logs');
    const audit = rows.filter((r) => String(r.row.Action).startsWith('http '));
    expect(audit).toHaveLength(calls);
    expect(
      audit.some(
        (r) => r.row.Actor === `http:${BOB}` && r.row.Action === 'http POST /api/upgrades/{id}/approve',
      ),
    ).toBe(true);
    expect(audit.some((r) => r.row.Actor === 'http:unauthenticated' && r.row.Outcome === 'Failed')).toBe(
      true,
    );
  });

  it('has answered every status of the contract, each documented for its route', () => {
    const statuses = new Set([...seen].map((x) => x.split(' ').pop()));
    for (const st of ['200', '202', '400', '401', '403', '404', '409', '413', '415', '422'])
      expect(statuses).toContain(st);
  });
});
