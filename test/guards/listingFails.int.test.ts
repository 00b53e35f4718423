import { simAdmin } from '../../shared/local/simAdmin';
import { runNodeImage } from '../../shared/nodeimage/runNodeImage';
import { runPowerSchedule } from '../../shared/power/runPowerSchedule';
import type { RunRecord } from '../../shared/records/outcome';
import type { FleetFile } from '../../shared/sim/fleet/schema';
import { runVersionSupport } from '../../shared/versions/runVersionSupport';
import { startTestApp, type TestApp } from '../support/app';

const GOOD = '0a0a0a0a-0000-4000-8000-000000000001';
const BAD = '0b0b0b0b-0000-4000-8000-000000000002';
const IMAGE = 'AKSUbuntu-2204gen2containerd-202602.04.0';

function fleet(): FleetFile {
  const sub = (id: string, name: string) => ({
    id,
    displayName: name,
    resourceGroups: [
      {
        name: 'rg-guard',
        clusters: [
          {
            name,
            location: 'westeurope',
            kubernetesVersion: '1.33.5',
            tags: { 'day2-stop': '0 19 * * *', 'day2-timezone': 'UTC', 'day2-node-image': 'notify' },
            powerState: 'Running' as const,
            pools: [{ name: 'system', count: 1, mode: 'System' as const, nodeImageVersion: IMAGE }],
          },
        ],
      },
    ],
  });
  return {
    subscriptions: [sub(GOOD, 'aks-guard-good'), sub(BAD, 'aks-guard-bad')],
    locations: {
      westeurope: {
        kubernetesVersions: [{ version: '1.33', patches: ['1.33.5'], isDefault: true }],
        latestNodeImages: ['AKSUbuntu-2204gen2containerd-202603.01.0'],
      },
    },
  };
}

type Discovery = 'arm' | 'resource-graph';
const MODES: Discovery[] = ['arm', 'resource-graph'];

describe('a configured subscription the identity cannot read, while the others can be read', () => {
  // The identity has no role on BAD: ARM refuses its listing with 403, Resource Graph silently leaves it out.
  const apps = new Map<Discovery, TestApp>();
  beforeAll(async () => {
    for (const discovery of MODES) {
      const app = await startTestApp({
        fleet: fleet(),
        startTime: '2026-03-02T19:00:30Z',
        speed: 0,
        env: { DAY2_DISCOVERY: discovery, DAY2_SUBSCRIPTIONS: `${GOOD},${BAD}` },
      });
      apps.set(discovery, app);
      await simAdmin(app.sim, 'POST', `/subscriptions/${BAD}/access`, { readable: false });
    }
  });
  afterAll(async () => {
    for (const app of apps.values()) await app.close();
  });

  const outcomesOf = (run: RunRecord) =>
    run.outcomes.map((o) => `${o.cluster.name || o.cluster.id} ${o.action} ${o.outcome}`);
  const failedOf = (run: RunRecord) =>
    run.outcomes
      .filter((o) => o.outcome === 'Failed')
      .map((o) => ({ action: o.action, cluster: o.cluster, errorCode: o.details?.errorCode }));

  const jobs: Array<[string, (app: TestApp) => Promise<RunRecord>, string]> = [
    ['power-schedule', (app) => runPowerSchedule(app.deps), 'aks-guard-good stop InProgress'],
    ['node-image', async (app) => (await runNodeImage(app.deps)).run, 'aks-guard-good'],
    [
      'version-support',
      async (app) => (await runVersionSupport(app.deps)).run,
      'aks-guard-good version-check',
    ],
  ];

  it.each(jobs)(
    '%s goes on with the others and reports the unreadable subscription as Failed, the same with ARM and Resource Graph discovery',
    async (_, run, good) => {
      const failed: Array<ReturnType<typeof failedOf>> = [];
      for (const discovery of MODES) {
        const app = apps.get(discovery)!;
        const r = await run(app);
        const lines = outcomesOf(r);
        expect(lines).toEqual(expect.arrayContaining([expect.stringContaining(good)]));
        expect(lines.some((l) => l.includes('aks-guard-bad'))).toBe(false);
        const f = r.outcomes.filter((o) => o.outcome === 'Failed');
        expect(f).toHaveLength(1);
        expect(f[0]!.cluster.id).toBe(`/subscriptions/${BAD}`);
        expect(f[0]!.reason).toMatch(/403|AuthorizationFailed|Forbidden|role/i);
        if (discovery === 'resource-graph') expect(f[0]!.reason).toContain('Resource Graph does not see');
        failed.push(failedOf(r));
      }
      expect(failed[1]).toEqual(failed[0]);
    },
  );
});

describe('a subscription whose cluster listing fails while the others succeed', () => {
  let app: TestApp;
  beforeAll(async () => {
    // The per-subscription ARM listing is what fails here (Resource Graph answers for every subscription at once).
    app = await startTestApp({
      fleet: fleet(),
      startTime: '2026-03-02T19:00:30Z',
      speed: 0,
      env: { DAY2_DISCOVERY: 'arm' },
    });
    await simAdmin(app.sim, 'POST', '/faults', {
      type: 'httpStatus',
      status: 403,
      code: 'AuthorizationFailed',
      match: { operation: 'ManagedClusters_List', subscription: BAD },
    });
  });
  afterAll(async () => {
    await app.close();
  });

  const outcomesOf = (run: RunRecord) =>
    run.outcomes.map((o) => `${o.cluster.name || o.cluster.id} ${o.action} ${o.outcome}`);

  it.each([
    [
      'power-schedule',
      async (): Promise<RunRecord> => runPowerSchedule(app.deps),
      'aks-guard-good stop InProgress',
    ],
    ['node-image', async (): Promise<RunRecord> => (await runNodeImage(app.deps)).run, 'aks-guard-good'],
    [
      'version-support',
      async (): Promise<RunRecord> => (await runVersionSupport(app.deps)).run,
      'aks-guard-good version-check',
    ],
  ])('%s goes on with the others and reports the failing subscription as Failed', async (_, run, good) => {
    const r = await run();
    const lines = outcomesOf(r);
    expect(lines).toEqual(expect.arrayContaining([expect.stringContaining(good)]));
    expect(lines.some((l) => l.includes('aks-guard-bad'))).toBe(false);
    const failed = r.outcomes.filter((o) => o.outcome === 'Failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]!.cluster.id).toBe(`/subscriptions/${BAD}`);
    expect(failed[0]!.reason).toMatch(/403|AuthorizationFailed|Forbidden|role/i);
  });
});
