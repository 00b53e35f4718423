import { randomUUID } from 'node:crypto';
import { runHousekeeping } from '../../shared/housekeeping/runHousekeeping';
import { FIRST_SEEN_SCOPE } from '../../shared/nodeimage/firstSeen';
import { newRunId } from '../../shared/records/newRunId';
import type { NewOperation } from '../../shared/state/operationStore';
import { cluster, nodeImageRun } from '../notify/runs';
import { startTestApp, type TestApp } from '../support/app';

const DAY = 86_400_000;
const FAMILY = 'AKSUbuntu-2204gen2containerd';
const OLD_IMAGE = `${FAMILY}-202601.07.0`;
const NEW_IMAGE = `${FAMILY}-202602.04.0`;

describe('housekeeping on the virtual clock', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  const now = (): Date => app.deps.clock.now();
  const a = cluster('aks-old-weu-01');
  const b = cluster('aks-new-weu-01');

  async function nodeImageOp(c: typeof a, image: string, reported = true): Promise<string> {
    const { operations } = app.deps.state;
    const op: NewOperation = {
      id: randomUUID(),
      runId: newRunId(now()),
      job: 'node-image',
      action: 'node-image-upgrade',
      actor: 'timer',
      cluster: c,
      nodePool: 'system',
      toVersion: image,
      startedAt: now(),
      details: { ring: 1, osKey: FAMILY, imageVersion: image },
    };
    await operations.adopt(op, 'poller');
    await operations.finish(op.id, 'Succeeded', 'done', now());
    if (reported) await operations.markReported([op.id]);
    return op.id;
  }

  it('prunes every table of what is older than DAY2_RETENTION_DAYS and keeps what is still needed', async () => {
    const { state, notifier } = app.deps;
    app.sim.clock.set('2026-01-10T06:00:00Z');
    const oldRun = nodeImageRun(newRunId(now()), { startedAt: now(), endedAt: now() });
    await notifier.report(oldRun);
    await state.edges.markHandled(a.id, 'stop', now());
    await state.dryRunEdges.markHandled(a.id, 'stop', now());
    await state.events.markDone('event-old', 'NodePoolRollingSucceeded', now());
    await state.findings.add('power-schedule', a.id, 'day2-stop=0 25 * * *', now());
    await state.findings.add(FIRST_SEEN_SCOPE, a.id, `system|${OLD_IMAGE}|${now().toISOString()}`, now());
    await state.findings.add(FIRST_SEEN_SCOPE, b.id, `system|${NEW_IMAGE}|${now().toISOString()}`, now());
    const oldImageOp = await nodeImageOp(a, OLD_IMAGE);
    const newImageOp = await nodeImageOp(b, NEW_IMAGE);
    const unreportedOp = await nodeImageOp(a, OLD_IMAGE, false);

    app.sim.clock.set(new Date(now().getTime() + 100 * DAY));
    const newRun = nodeImageRun(newRunId(now()), { startedAt: now(), endedAt: now() });
    await notifier.report(newRun);
    await state.edges.markHandled(b.id, 'stop', now());
    await state.events.markDone('event-new', 'NodePoolRollingSucceeded', now());

    const report = await runHousekeeping(app.deps);
    expect(report.deleted).toMatchObject({
      operations: 1,
      findings: 2,
      edges: 1,
      edgesdryrun: 1,
      events: 1,
      Runs: expect.any(Number) as unknown,
      RunIndex: expect.any(Number) as unknown,
      Outbox: expect.any(Number) as unknown,
    });
    expect(report.deleted.Runs).toBeGreaterThan(0);
    expect(report.deleted.Outbox).toBeGreaterThan(0);

    // gone: the old run, its index rows, the old edge, event id, tag finding and superseded image evidence
    expect(await notifier.runs.get(oldRun.runId)).toBeUndefined();
    expect((await notifier.runs.list()).map((r) => r.runId)).toEqual([newRun.runId]);
    expect(await state.events.isDone('event-old')).toBe(false);
    expect([...(await state.edges.all()).keys()]).toEqual([`${b.id.toLowerCase()}|stop`]);
    expect(await state.findings.reported('power-schedule')).toEqual(new Map());
    expect(await state.operations.get(oldImageOp)).toBeUndefined();
    // kept: recent records, the newest image's rollout and first-seen time (soak evidence), an unreported outcome
    expect(await notifier.runs.get(newRun.runId)).toBeDefined();
    expect(await state.events.isDone('event-new')).toBe(true);
    expect(await state.operations.get(newImageOp)).toBeDefined();
    expect(await state.operations.get(unreportedOp)).toBeDefined();
    const seen = await state.findings.reported(FIRST_SEEN_SCOPE);
    expect([...seen.keys()]).toEqual([b.id.toLowerCase()]);

    // a second pass finds nothing more to do
    const again = await runHousekeeping(app.deps);
    expect(Object.values(again.deleted).every((n) => n === 0)).toBe(true);
  });
});
