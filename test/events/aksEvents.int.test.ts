import { aksEventsHandler } from '../../functions/aksEvents';
import type { InvocationContext } from '@azure/functions';
import { createDeps, type Deps } from '../../shared/deps';
import { loggerFromContext } from '../../shared/log';
import { handleAksEvents } from '../../shared/events/handleAksEvents';
import { parseAksEvents } from '../../shared/events/parse';
import { runNodeImage } from '../../shared/nodeimage/runNodeImage';
import { runSweep } from '../../shared/sweeper/runSweep';
import { admin } from '../sim/simClient';
import type { TestApp } from '../support/app';
import { fixtureJson, fixtureJsonFiles } from '../support/fixtures';
import { uniqueName } from '../support/storage';
import {
  armCalls,
  LATEST_UBUNTU,
  logRows,
  nodeImageOps,
  teamsCards,
  startWindowOpenApp,
} from '../nodeimage/helpers';
import { invocationContext, startEventBridge } from './eventBridge';

type Json = Record<string, unknown>;
function samples(): Array<{ file: string; event: Json }> {
  return ['event-grid-schema', 'cloud-events-schema'].flatMap((dir) =>
    fixtureJsonFiles('eventgrid-aks', dir).map((f) => ({
      file: `${dir}/${f}`,
      event: fixtureJson<Json>('eventgrid-aks', dir, f),
    })),
  );
}
function sample(file: string): Json {
  return fixtureJson<Json>('eventgrid-aks', ...file.split('/'));
}

/** A sample about one of the demo clusters: the placeholders replaced, a fresh id. */
function about(
  event: Json,
  cluster: { id: string; name: string },
  extra: { id?: string; pool?: string; time?: Date } = {},
): Json {
  const text = JSON.stringify(event)
    .replaceAll(
      '/subscriptions/{subscription-id}/resourceGroups/{resource-group}/providers/Microsoft.ContainerService/managedClusters/{cluster}',
      cluster.id,
    )
    .replaceAll('{cluster}', cluster.name);
  const e = JSON.parse(text) as Json & { data: Json };
  e.id = extra.id ?? uniqueName('ev');
  if (extra.pool) e.data.nodePoolName = extra.pool;
  if (extra.time) e['eventTime' in e ? 'eventTime' : 'time'] = extra.time.toISOString();
  return e;
}

describe('aksEvents handler with the official Event Grid samples', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startWindowOpenApp();
  });
  afterAll(async () => {
    await app.close();
  });

  /** Deps with tables of their own: the samples share one placeholder id, and ids are processed once. */
  function freshDeps(ctx: InvocationContext): Deps {
    return createDeps(app.settings, {
      log: loggerFromContext(ctx),
      clock: app.deps.clock,
      tablePrefix: uniqueName('t'),
      notifier: { teamsPaceMs: 0 },
    });
  }
  /** The test app's deps, logging to the invocation's context. */
  const appDeps = (ctx: InvocationContext): Deps => ({ ...app.deps, log: loggerFromContext(ctx) });
  const cluster = async (name: string) => {
    for await (const mc of app.azure.aks('6f1c2a3b-4d5e-4f60-8a71-92b3c4d5e6f7').managedClusters.list())
      if (mc.name === name) return { id: mc.id!, name };
    throw new Error(`no cluster ${name}`);
  };

  it('handles every sample, verbatim, in both schemas, with a real InvocationContext', async () => {
    const all = samples();
    expect(all.length).toBeGreaterThanOrEqual(14);
    for (const { event } of all) {
      const lines: string[] = [];
      await expect(aksEventsHandler(freshDeps)(event, invocationContext(lines))).resolves.toBeUndefined();
      expect(lines.join('\n')).not.toMatch(/^error: events: .*rejected/m);
      expect(lines.length).toBeGreaterThan(0); // ${file} was handled and logged
    }
    const unknown: string[] = [];
    await aksEventsHandler(freshDeps)(
      sample('event-grid-schema/ContainerServiceEventResources_ScheduledEventEmitted.json'),
      invocationContext(unknown),
    );
    expect(unknown.join('\n')).toMatch(
      /ScheduledEventEmitted .* is not an event aks-day2 acts on; acknowledged/,
    );
  });

  it('processes an event id once: a duplicate delivery changes nothing and posts no second card', async () => {
    const c = await cluster('aks-dev-weu-02');
    const ending = about(sample('event-grid-schema/cluster_support_ending.json'), c);
    const before = (await teamsCards(app)).length;
    const lines: string[] = [];
    await aksEventsHandler(appDeps)(ending, invocationContext(lines));
    await aksEventsHandler(appDeps)(ending, invocationContext(lines));
    const cards = (await teamsCards(app)).slice(before);
    expect(cards).toHaveLength(1);
    expect(cards[0]).toContain('AKS events');
    expect(cards[0]).toContain('support for Kubernetes 1.24.10 is ending');
    expect(lines.join('\n')).toContain('was already processed; repeat acknowledged');
  });

  it('raises a card at once for ClusterSupportEnded (CloudEvents schema)', async () => {
    const c = await cluster('aks-dev-weu-02');
    const before = (await teamsCards(app)).length;
    await aksEventsHandler(appDeps)(
      about(sample('cloud-events-schema/cluster_support_ended.json'), c),
      invocationContext([]),
    );
    const cards = (await teamsCards(app)).slice(before);
    expect(cards).toHaveLength(1);
    expect(cards[0]).toMatch(/is out of support.*upgrade now/);
  });

  it('re-checks only the cluster a NewKubernetesVersionAvailable names (one GET, no fleet listing) as an outcome of the events run', async () => {
    const c = await cluster('aks-dev-cin-01');
    const before = (await teamsCards(app)).length;
    await admin(app.sim, 'DELETE', '/counters');
    await aksEventsHandler(appDeps)(
      about(sample('event-grid-schema/new_kubernetes_version_available.json'), c),
      invocationContext([]),
    );
    expect(await armCalls(app, 'ManagedClusters_List')).toBe(0);
    expect(await armCalls(app, 'Subscriptions_List')).toBe(0);
    expect(await armCalls(app, 'ManagedClusters_Get')).toBe(1);
    expect(await armCalls(app, 'ManagedClusters_ListKubernetesVersions')).toBe(1);
    const cards = (await teamsCards(app)).slice(before);
    expect(cards).toHaveLength(1);
    expect(cards[0]).toContain('AKS events');
    expect(cards[0]).toContain('aks-dev-cin-01');
    expect(cards[0]).not.toContain('aks-dev-weu-01');
    expect((await logRows(app)).filter((r) => r.Job === 'version-support')).toHaveLength(0);
    const rows = (await logRows(app)).filter((r) => r.Job === 'events' && r.Action === 'version-check');
    expect(rows).toEqual([
      expect.objectContaining({
        Cluster: 'aks-dev-cin-01',
        Actor: 'eventgrid',
        Outcome: 'Skipped',
        Reason: expect.stringMatching(/^behind-patch: /) as unknown,
      }),
    ]);
  });

  it('posts one card for a delivery of several NewKubernetesVersionAvailable events, and none for a cluster that is current', async () => {
    const cin = await cluster('aks-dev-cin-01');
    const weu = await cluster('aks-dev-weu-01');
    const event = sample('event-grid-schema/new_kubernetes_version_available.json');
    const before = (await teamsCards(app)).length;
    const deps = appDeps(invocationContext([]));
    const r = await handleAksEvents(deps, parseAksEvents([about(event, cin), about(event, weu)]));
    expect(r.run?.outcomes.map((o) => [o.cluster.name, o.details?.status, o.details?.finding])).toEqual([
      ['aks-dev-cin-01', 'behind-patch', true],
      ['aks-dev-weu-01', 'current', false],
    ]);
    expect((await teamsCards(app)).slice(before)).toHaveLength(1);
    const current = await handleAksEvents(deps, parseAksEvents([about(event, weu)]));
    expect(current.run?.outcomes).toHaveLength(1);
    expect((await teamsCards(app)).slice(before)).toHaveLength(1); // a current cluster is no finding: no card
  });

  it('fails the delivery on a transient ARM error without marking the event, so the redelivery is handled', async () => {
    const c = await cluster('aks-dev-cin-01');
    const event = about(sample('event-grid-schema/new_kubernetes_version_available.json'), c);
    const before = (await teamsCards(app)).length;
    await admin(app.sim, 'POST', '/faults', {
      type: 'httpStatus',
      match: { operation: 'ManagedClusters_Get', cluster: 'aks-dev-cin-01' },
      status: 503,
      times: 10,
    });
    const lines: string[] = [];
    try {
      await expect(aksEventsHandler(appDeps)(event, invocationContext(lines))).rejects.toMatchObject({
        name: 'Day2Error',
        code: 'AzureUnavailable',
      });
    } finally {
      await admin(app.sim, 'DELETE', '/faults');
    }
    expect(lines.join('\n')).toMatch(/not marked processed, Event Grid redelivers it/);
    expect((await teamsCards(app)).slice(before)).toHaveLength(0);
    expect(
      (await logRows(app)).filter(
        (r) => r.Job === 'events' && r.Outcome === 'Failed' && r.Cluster === 'aks-dev-cin-01',
      ),
    ).toHaveLength(0);

    await aksEventsHandler(appDeps)(event, invocationContext(lines)); // Event Grid's redelivery
    const cards = (await teamsCards(app)).slice(before);
    expect(cards).toHaveLength(1);
    expect(cards[0]).toContain('behind-patch');

    await admin(app.sim, 'DELETE', '/counters');
    await aksEventsHandler(appDeps)(event, invocationContext(lines)); // a repeat of the done event
    expect(await armCalls(app, 'ManagedClusters_Get')).toBe(0);
    expect((await teamsCards(app)).slice(before)).toHaveLength(1);
    expect(lines.join('\n')).toContain('was already processed; repeat acknowledged');
  });

  it('keeps Succeeded when Started arrives after it, and a late Failed does not reverse it', async () => {
    const c = await cluster('aks-dev-weu-01');
    const r = await runNodeImage(app.deps);
    expect(
      r.run.outcomes.find((o) => o.cluster.name === 'aks-dev-weu-01' && o.nodePool === 'apps')?.outcome,
    ).toBe('InProgress');
    const now = app.deps.clock.now();
    const handle = aksEventsHandler(appDeps);
    await handle(
      about(sample('event-grid-schema/node_pool_rolling_succeeded.json'), c, { pool: 'apps', time: now }),
      invocationContext([]),
    );
    await handle(
      about(sample('cloud-events-schema/node_pool_rolling_started.json'), c, { pool: 'apps', time: now }),
      invocationContext([]),
    );
    await handle(
      about(sample('event-grid-schema/node_pool_rolling_failed.json'), c, { pool: 'apps', time: now }),
      invocationContext([]),
    );
    const op = (await nodeImageOps(app)).find(
      (o) => o.cluster.name === 'aks-dev-weu-01' && o.nodePool === 'apps',
    );
    expect(op).toMatchObject({ status: 'Succeeded', toVersion: LATEST_UBUNTU });
    expect(op?.reason).toMatch(/^AKS reported NodePoolRollingSucceeded/);
    expect(await app.deps.state.operations.inFlight()).toHaveLength(0);
  });
});

describe('aksEvents handler with events the simulator delivers', () => {
  it("reports AKS's reason when a node pool fails to roll (NodePoolRollingFailed, read from ARM)", async () => {
    const app = await startWindowOpenApp();
    const bridge = await startEventBridge(app.deps);
    try {
      await admin(app.sim, 'POST', '/eventgrid', { url: bridge.url, schema: 'CloudEventSchema' });
      await admin(app.sim, 'POST', '/faults', {
        type: 'operationFailure',
        cluster: 'aks-dev-weu-01',
        pool: 'apps',
        operation: 'nodeImageUpgrade',
        code: 'UpgradeFailed',
        afterSeconds: 60,
      });
      await runNodeImage(app.deps);
      await admin(app.sim, 'POST', '/clock/advance', { minutes: 5 });
      await admin(app.sim, 'POST', '/eventgrid/flush');
      expect(bridge.delivered.map((d) => d.type)).toEqual([
        'Microsoft.ContainerService.NodePoolRollingStarted',
        'Microsoft.ContainerService.NodePoolRollingFailed',
      ]);
      const [op] = await nodeImageOps(app);
      expect(op).toMatchObject({ status: 'Failed', nodePool: 'apps' });
      expect(op?.reason).toMatch(/UpgradeFailed: Drain node .* blocked by pdb app-pdb/);
      const failedRow = (await logRows(app)).find((r) => r.Job === 'events' && r.Outcome === 'Failed');
      expect(failedRow).toMatchObject({
        Cluster: 'aks-dev-weu-01',
        NodePool: 'apps',
        Actor: 'eventgrid',
        Action: 'node-image-upgrade',
      });
      expect(failedRow?.Reason).toContain('blocked by pdb app-pdb');
      expect(bridge.logs.join('\n')).toContain(
        'error: events: aks-dev-weu-01/apps node-image-upgrade Failed',
      );
    } finally {
      await bridge.close();
      await app.close();
    }
  });

  it('leaves a node-image upgrade in flight when NodePoolRollingFailed arrives while ARM says it still runs', async () => {
    const app = await startWindowOpenApp();
    try {
      const r = await runNodeImage(app.deps);
      const started = r.run.outcomes.find(
        (o) => o.cluster.name === 'aks-dev-weu-01' && o.nodePool === 'apps',
      );
      expect(started?.outcome).toBe('InProgress');
      const failed = about(sample('event-grid-schema/node_pool_rolling_failed.json'), started!.cluster, {
        pool: 'apps',
        time: app.deps.clock.now(),
      });
      const lines: string[] = [];
      await aksEventsHandler((ctx) => ({ ...app.deps, log: loggerFromContext(ctx) }))(
        failed,
        invocationContext(lines),
      );
      const [op] = await app.deps.state.operations.inFlight();
      expect(op).toMatchObject({ nodePool: 'apps', status: 'InProgress' });
      expect(lines.join('\n')).toMatch(
        /AKS reported NodePoolRollingFailed, but ARM says operation .* is still in progress .*; left in flight, the sweeper records how it ends/,
      );
      expect((await logRows(app)).filter((r) => r.Job === 'events' && r.Outcome === 'Failed')).toHaveLength(
        0,
      );

      await admin(app.sim, 'POST', '/clock/advance', { minutes: 30 });
      await runSweep(app.deps);
      expect((await app.deps.state.operations.get(op!.id))?.status).toBe('Succeeded');
    } finally {
      await app.close();
    }
  });
});
