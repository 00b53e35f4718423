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

describe('a subscription whose cluster listing fails while the others succeed', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ fleet: fleet(), startTime: '2026-03-02T19:00:30Z', speed: 0 });
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
