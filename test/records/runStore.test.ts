import { newRunId } from '../../shared/records/newRunId';
import { createRunStore, type RunStore } from '../../shared/records/runStore';
import type { RunRecord } from '../../shared/records/outcome';
import { azuriteConnectionString, uniqueName } from '../support/storage';
import { cluster, hugeRun, nodeImageRun, quietRun } from '../notify/runs';

const at = (iso: string): Date => new Date(iso);

describe('run store (Table storage)', () => {
  let store: RunStore;
  beforeEach(() => {
    store = createRunStore(azuriteConnectionString(), { tablePrefix: uniqueName('r') });
  });

  it('gives back a saved run as it was, and nothing for an unknown run id', async () => {
    const run = nodeImageRun();
    await store.save(run);
    expect(await store.get(run.runId)).toEqual(run);
    expect(await store.get('20000101T000000000Z-00000000')).toBeUndefined();
  });

  it('keeps the 5,000 outcomes of a fleet-wide run, above the 64 KB property and 1 MB entity limits', async () => {
    const run = hugeRun(5000);
    for (const o of run.outcomes) o.details = { note: 'ü'.repeat(200) };
    expect(JSON.stringify(run.outcomes).length).toBeGreaterThan(1_000_000);
    await store.save(run);
    const back = await store.get(run.runId);
    expect(back?.outcomes).toHaveLength(5000);
    expect(back).toEqual(run);
  });

  it('is idempotent by run id: saving again replaces the run, and it is listed once', async () => {
    const run = hugeRun(3000);
    await store.save(run);
    const smaller: RunRecord = { ...run, outcomes: run.outcomes.slice(0, 2) };
    await store.save(smaller);
    await store.save(smaller);
    expect(await store.get(run.runId)).toEqual(smaller);
    expect((await store.list()).map((r) => r.runId)).toEqual([run.runId]);
  });

  it('lists runs newest first, by cluster (name or resource id, any case) and since a time', async () => {
    const dev = cluster('aks-dev-weu-01');
    const other = cluster('aks-dev-weu-01', 1, 'rg-elsewhere'); // same name, another subscription
    const mk = (iso: string, clusters: (typeof dev)[]): RunRecord => {
      const r = quietRun(newRunId(at(iso)), 'power-schedule', { startedAt: at(iso), endedAt: at(iso) });
      r.outcomes = clusters.map((c) => ({
        action: 'stop',
        outcome: 'Succeeded',
        cluster: c,
        reason: 'stop edge 19:00',
        at: at(iso),
      }));
      return r;
    };
    const r1 = mk('2026-10-05T19:00:00Z', [dev]);
    const r2 = mk('2026-10-06T19:00:00Z', [other]);
    const r3 = mk('2026-10-07T19:00:00Z', [dev, other]);
    const r4 = mk('2026-10-04T19:00:00Z', [cluster('aks-prod-aue-01')]);
    for (const r of [r2, r4, r1, r3]) await store.save(r);

    expect((await store.list()).map((r) => r.runId)).toEqual([r3, r2, r1, r4].map((r) => r.runId));
    expect((await store.list({ limit: 2 })).map((r) => r.runId)).toEqual([r3, r2].map((r) => r.runId));
    expect((await store.list({ since: at('2026-10-06T19:00:00Z') })).map((r) => r.runId)).toEqual(
      [r3, r2].map((r) => r.runId),
    );
    expect((await store.list({ cluster: 'AKS-DEV-WEU-01' })).map((r) => r.runId)).toEqual(
      [r3, r2, r1].map((r) => r.runId),
    );
    expect((await store.list({ cluster: dev.id.toUpperCase() })).map((r) => r.runId)).toEqual(
      [r3, r1].map((r) => r.runId),
    );
    expect(
      (await store.list({ cluster: dev.id, since: at('2026-10-06T00:00:00Z') })).map((r) => r.runId),
    ).toEqual([r3.runId]);
    expect(await store.list({ cluster: 'aks-none' })).toEqual([]);

    const [latest] = await store.list({ cluster: dev.id });
    expect(latest).toMatchObject({
      job: 'power-schedule',
      counts: { Succeeded: 2, Failed: 0, Skipped: 0, Planned: 0, InProgress: 0 },
      clusters: 2,
      forCluster: {
        id: dev.id,
        name: dev.name,
        outcomes: [{ action: 'stop', outcome: 'Succeeded', reason: 'stop edge 19:00' }],
      },
    });
    expect(latest?.startedAt).toEqual(at('2026-10-07T19:00:00Z'));
  });
});

describe('run ids', () => {
  it('sort by start time as strings and are unique', () => {
    const a = newRunId(at('2026-10-05T06:00:00.001Z'));
    const b = newRunId(at('2026-10-05T06:00:00.002Z'));
    const c = newRunId(at('2026-10-05T06:00:00.002Z'));
    expect(a < b).toBe(true);
    expect(b).not.toBe(c);
    expect(a).toMatch(/^20261005T060000001Z-[0-9a-f]{8}$/);
  });
});
