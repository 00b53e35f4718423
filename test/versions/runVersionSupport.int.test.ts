import { admin } from '../sim/simClient';
import { startTestApp, type TestApp } from '../support/app';
import { formatVersionPlan } from '../../shared/cli/formatVersionPlan';
import { planVersionSupport } from '../../shared/versions/planVersionSupport';
import { runVersionSupport } from '../../shared/versions/runVersionSupport';

// The demo fleet against the AKS calendar in mid-January 2026: 1.32 is the oldest supported minor,
// 1.33 and 1.34 are far from their end, 1.30 is out of support.
const JAN_15 = '2026-01-15T06:00:00Z';

interface TeamsPost {
  body: unknown;
}
interface LogRow {
  row: Record<string, unknown>;
}

describe('version support job on the demo fleet', () => {
  let app: TestApp;
  beforeEach(async () => {
    app = await startTestApp({ speed: 0, startTime: JAN_15 });
  });
  afterEach(async () => {
    await app.close();
  });

  it('gives every cluster its status: unsupported, ending, behind-patch and current', async () => {
    const { run } = await runVersionSupport(app.deps);
    const status = Object.fromEntries(run.outcomes.map((o) => [o.cluster.name, o.details?.status]));
    expect(status).toMatchObject({
      'aks-test-eus-01': 'unsupported',
      'aks-dev-weu-02': 'ending',
      'aks-prod-cin-01': 'ending',
      'aks-dev-eus-01': 'behind-patch',
      'aks-dev-cin-01': 'behind-patch',
      'aks-test-weu-02': 'behind-patch',
      'aks-dev-weu-01': 'current',
      'aks-test-aue-01': 'current',
    });
    expect(run.outcomes).toHaveLength(13);
    expect(run.outcomes.every((o) => o.action === 'version-check' && o.outcome === 'Skipped')).toBe(true);
  });

  it('orders the report worst first', async () => {
    const { run } = await runVersionSupport(app.deps);
    const rank = { unsupported: 0, ending: 1, 'behind-patch': 2, current: 3 } as Record<string, number>;
    const ranks = run.outcomes.map((o) => rank[o.details?.status as string]!);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(run.outcomes[0]?.cluster.name).toBe('aks-test-eus-01');
  });

  it('gives the out-of-support 1.30 cluster a minor-by-minor path to the newest supported version', async () => {
    const { run } = await runVersionSupport(app.deps);
    const eus = run.outcomes.find((o) => o.cluster.name === 'aks-test-eus-01')!;
    expect(eus.details?.path).toEqual(['1.32.8', '1.33.5', '1.34.2']);
    expect(eus).toMatchObject({ fromVersion: '1.30.14', toVersion: '1.34.2' });
    expect(eus.reason).toMatch(/^unsupported: 1\.30\.14: Kubernetes 1\.30 is not offered in eastus/);
  });

  it('counts the days left to the end of support from the calendar and marks every non-current cluster as a finding', async () => {
    const { run } = await runVersionSupport(app.deps);
    const weu02 = run.outcomes.find((o) => o.cluster.name === 'aks-dev-weu-02')!;
    expect(weu02.details).toMatchObject({ endOfSupport: '2026-03-31', daysLeft: 75, finding: true });
    const current = run.outcomes.find((o) => o.cluster.name === 'aks-dev-weu-01')!;
    expect(current.details?.finding).toBe(false);
  });

  it('posts one card per run and sends one Log Analytics row per cluster', async () => {
    const { run } = await runVersionSupport(app.deps);
    const teams = await admin<{ posts: TeamsPost[] }>(app.sim, 'GET', '/teams');
    expect(teams.posts).toHaveLength(1);
    const card = JSON.stringify(teams.posts[0]!.body);
    expect(card).toContain('Version support');
    expect(card).toContain('aks-test-eus-01');
    const logs = await admin<{ rows: LogRow[] }>(app.sim, 'GET', '/logs');
    const rows = logs.rows.filter((r) => r.row.RunId === run.runId);
    expect(rows).toHaveLength(13);
    expect(rows.every((r) => r.row.Job === 'version-support' && r.row.Action === 'version-check')).toBe(true);
  });

  it('reads the region versions once per subscription and region, not once per cluster', async () => {
    await admin(app.sim, 'DELETE', '/counters');
    const plan = await planVersionSupport(app.deps);
    const pairs = new Set([...plan.clusters.values()].map((c) => `${c.subscriptionId}|${c.location}`));
    const counters = await admin<{ byOperation: Record<string, number> }>(app.sim, 'GET', '/counters');
    expect(counters.byOperation.ManagedClusters_ListKubernetesVersions).toBe(pairs.size);
    expect(pairs.size).toBeLessThan(plan.clusters.size);
  });

  it('checks only the cluster it is asked about', async () => {
    const plan = await planVersionSupport(app.deps);
    const id = [...plan.clusters.values()].find((c) => c.name === 'aks-dev-cin-01')!.id;
    const { run } = await runVersionSupport(app.deps, { clusterIds: [id.toUpperCase()], actor: 'eventgrid' });
    expect(run.outcomes.map((o) => o.cluster.name)).toEqual(['aks-dev-cin-01']);
    expect(run.actor).toBe('eventgrid');
  });

  it('reports a run that fails in discovery, with a Failed outcome and its card, and rethrows a typed error', async () => {
    await admin(app.sim, 'POST', '/faults', {
      type: 'httpStatus',
      match: { operation: 'Subscriptions_List' },
      status: 403,
      times: 1,
    });
    await expect(runVersionSupport(app.deps)).rejects.toMatchObject({ name: 'Day2Error', code: 'Forbidden' });
    const [summary] = await app.deps.notifier.runs.list({ limit: 1 });
    const run = summary ? await app.deps.notifier.runs.get(summary.runId) : undefined;
    expect(run).toMatchObject({ job: 'version-support', endedAt: expect.any(Date) as unknown });
    expect(run?.outcomes).toEqual([
      expect.objectContaining({
        action: 'run',
        outcome: 'Failed',
        reason: expect.stringMatching(
          /^the version-support run did not finish: list subscriptions failed/,
        ) as unknown,
        details: expect.objectContaining({ errorCode: 'Forbidden' }) as unknown,
      }),
    ]);
    const teams = await admin<{ posts: TeamsPost[] }>(app.sim, 'GET', '/teams');
    expect(teams.posts).toHaveLength(1);
    expect(JSON.stringify(teams.posts[0]!.body)).toContain('the version-support run did not finish');
  });

  it('prints the plan as a table worst first, citing where the dates come from', async () => {
    const text = formatVersionPlan(await planVersionSupport(app.deps));
    const lines = text.split('\n');
    expect(lines.findIndex((l) => l.startsWith('aks-test-eus-01'))).toBeLessThan(
      lines.findIndex((l) => l.startsWith('aks-dev-weu-01')),
    );
    expect(text).toMatch(/aks-test-eus-01\s+1\.30\.14\s+unsupported/);
    expect(text).toContain('1.32.8 → 1.33.5 → 1.34.2');
    expect(text).toContain('calendar.json');
  });
});
