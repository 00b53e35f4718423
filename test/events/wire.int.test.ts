/**
 * `aks-day2 events wire` against the simulator through the real @azure/arm-eventgrid client: one
 * system topic per opted-in cluster (source = the cluster), one `aks-day2` subscription on it to the
 * aksEvents function, filtered to the AKS event types the app parses, with a retry policy and
 * dead-lettering. Idempotent; clusters tagged later are wired by the next run.
 */
import type { EventSubscription, StorageBlobDeadLetterDestination } from '@azure/arm-eventgrid';
import { wireEvents, type WireReport } from '../../shared/events/wire';
import { AKS_EVENT_TYPES } from '../../shared/events/parse';
import type { WireTarget } from '../../shared/events/wirePlan';
import { formatWireReport } from '../../shared/cli/commands/eventsWire';
import { simAdmin } from '../../shared/local/simAdmin';
import { startTestApp, type TestApp } from '../support/app';

let app: TestApp;
let target: WireTarget;

beforeAll(async () => {
  app = await startTestApp();
  const rg = `/subscriptions/${app.sim.subscriptions[0]}/resourceGroups/rg-aks-day2`;
  target = {
    functionResourceId: `${rg}/providers/Microsoft.Web/sites/func-aksday2-test/functions/aksEvents`,
    deadLetterStorageId: `${rg}/providers/Microsoft.Storage/storageAccounts/staksday2test`,
    deadLetterContainer: 'aks-events-deadletter',
    identityId: `${rg}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-aksday2-events`,
  };
});
afterAll(async () => {
  await app.close();
});

const kinds = (r: WireReport): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const x of r.results)
    out[x.error ? 'error' : x.decision.kind] = (out[x.error ? 'error' : x.decision.kind] ?? 0) + 1;
  return out;
};

async function clusters() {
  const out: Array<{
    sub: string;
    rg: string;
    name: string;
    id: string;
    location: string;
    tags: Record<string, string>;
  }> = [];
  for (const sub of app.sim.subscriptions)
    for await (const mc of app.azure.aks(sub).managedClusters.list())
      out.push({
        sub,
        rg: /resourceGroups\/([^/]+)/i.exec(mc.id!)![1]!,
        name: mc.name!,
        id: mc.id!,
        location: mc.location,
        tags: mc.tags ?? {},
      });
  return out;
}

async function topicsOf(sub: string) {
  const out = [];
  for await (const t of app.azure.eventGrid(sub).systemTopics.listBySubscription()) out.push(t);
  return out;
}

describe('events wire', () => {
  it('wires each opted-in cluster once, skips the others, and a second run changes nothing', async () => {
    const all = await clusters();
    const untagged = all[0]!;
    await app.azure
      .aks(untagged.sub)
      .managedClusters.updateTags(untagged.rg, untagged.name, { tags: { env: 'dev' } })
      .pollUntilDone();

    const first = await wireEvents(app.azure, app.settings.subscriptions, target, app.deps.log);
    expect(first.failures).toEqual([]);
    expect(kinds(first)).toEqual({ create: all.length - 1, skip: 1 });

    await simAdmin(app.sim, 'DELETE', '/counters');
    const second = await wireEvents(app.azure, app.settings.subscriptions, target, app.deps.log);
    const counters = await simAdmin<{ byOperation: Record<string, number> }>(app.sim, 'GET', '/counters');
    // Reads only: lists and gets (the fleet is listed through ARM, which has the tags just set).
    expect(Object.keys(counters.byOperation).filter((op) => !/_(List|Get)/.test(op))).toEqual([]);
    expect(kinds(second)).toEqual({ unchanged: all.length - 1, skip: 1 });
    expect(formatWireReport(second).at(-1)).toBe(`events wire: ${all.length - 1} unchanged, 1 skipped`);

    const topics = (await Promise.all(app.sim.subscriptions.map(topicsOf))).flat();
    expect(topics).toHaveLength(all.length - 1);
    for (const c of all.slice(1)) {
      const mine = topics.filter((t) => t.source?.toLowerCase() === c.id.toLowerCase());
      expect(mine.map((t) => ({ type: t.topicType, location: t.location }))).toEqual([
        { type: 'Microsoft.ContainerService.ManagedClusters', location: c.location },
      ]);
    }
    expect(topics.some((t) => t.source?.toLowerCase() === untagged.id.toLowerCase())).toBe(false);
  });

  it('subscribes the aksEvents function to the AKS event types the app handles, with retries and dead-lettering', async () => {
    const [c] = (await clusters()).filter((x) => Object.keys(x.tags).some((k) => k.startsWith('day2-')));
    const topic = (await topicsOf(c!.sub)).find((t) => t.source?.toLowerCase() === c!.id.toLowerCase())!;
    const subs: EventSubscription[] = [];
    for await (const s of app.azure
      .eventGrid(c!.sub)
      .systemTopicEventSubscriptions.listBySystemTopic(c!.rg, topic.name!))
      subs.push(s);
    expect(subs.map((s) => s.name)).toEqual(['aks-day2']);
    const s = subs[0]!;
    expect(s.destination).toMatchObject({
      endpointType: 'AzureFunction',
      resourceId: target.functionResourceId,
    });
    expect([...(s.filter?.includedEventTypes ?? [])].sort()).toEqual(
      AKS_EVENT_TYPES.map((t) => `Microsoft.ContainerService.${t}`).sort(),
    );
    expect(s.retryPolicy).toEqual({ maxDeliveryAttempts: 30, eventTimeToLiveInMinutes: 1440 });
    const dl = s.deadLetterWithResourceIdentity!;
    expect(dl.identity).toEqual({ type: 'UserAssigned', userAssignedIdentity: target.identityId });
    const blob = dl.deadLetterDestination as StorageBlobDeadLetterDestination;
    expect({ id: blob.resourceId, container: blob.blobContainerName }).toEqual({
      id: target.deadLetterStorageId,
      container: target.deadLetterContainer,
    });
    expect(Object.keys(topic.identity?.userAssignedIdentities ?? {})).toEqual([target.identityId]);
  });

  it('wires a cluster tagged after the first run, and only that one', async () => {
    const untagged = (await clusters()).find((x) => !Object.keys(x.tags).some((k) => k.startsWith('day2-')))!;
    await app.azure
      .aks(untagged.sub)
      .managedClusters.updateTags(untagged.rg, untagged.name, {
        tags: { ...untagged.tags, 'day2-node-image': 'notify' },
      })
      .pollUntilDone();
    const run = await wireEvents(app.azure, app.settings.subscriptions, target, app.deps.log);
    const created = run.results.filter((r) => r.decision.kind === 'create');
    expect(created.map((r) => r.decision.cluster.name)).toEqual([untagged.name]);
    expect(run.results.filter((r) => r.decision.kind === 'skip')).toEqual([]);
  });

  it('reuses a system topic someone else created for the cluster and adds only the subscription', async () => {
    const c = (await clusters())[1]!;
    const eg = app.azure.eventGrid(c.sub);
    const existing = (await topicsOf(c.sub)).find((t) => t.source?.toLowerCase() === c.id.toLowerCase())!;
    await eg.systemTopics.beginDeleteAndWait(c.rg, existing.name!);
    await eg.systemTopics.beginCreateOrUpdateAndWait(c.rg, 'their-topic', {
      location: c.location,
      source: c.id,
      topicType: 'Microsoft.ContainerService.ManagedClusters',
    });
    const run = await wireEvents(app.azure, app.settings.subscriptions, target, app.deps.log);
    const mine = run.results.find((r) => r.decision.cluster.id.toLowerCase() === c.id.toLowerCase())!;
    expect({ kind: mine.decision.kind, topic: mine.topicId?.split('/').pop(), error: mine.error }).toEqual({
      kind: 'subscribe',
      topic: 'their-topic',
      error: undefined,
    });
    const names = (await topicsOf(c.sub))
      .filter((t) => t.source?.toLowerCase() === c.id.toLowerCase())
      .map((t) => t.name);
    expect(names).toEqual(['their-topic']);
  });

  it('repairs a subscription whose filter was changed by hand', async () => {
    const c = (await clusters())[2]!;
    const eg = app.azure.eventGrid(c.sub);
    const topic = (await topicsOf(c.sub)).find((t) => t.source?.toLowerCase() === c.id.toLowerCase())!;
    const current = await eg.systemTopicEventSubscriptions.get(c.rg, topic.name!, 'aks-day2');
    await eg.systemTopicEventSubscriptions.beginCreateOrUpdateAndWait(c.rg, topic.name!, 'aks-day2', {
      ...current,
      filter: { includedEventTypes: ['Microsoft.ContainerService.NodePoolRollingFailed'] },
    });
    const run = await wireEvents(app.azure, app.settings.subscriptions, target, app.deps.log);
    const mine = run.results.find((r) => r.decision.cluster.id.toLowerCase() === c.id.toLowerCase())!;
    expect({ kind: mine.decision.kind, reason: mine.decision.reason }).toEqual({
      kind: 'update',
      reason: 'differs: event types',
    });
    const after = await eg.systemTopicEventSubscriptions.get(c.rg, topic.name!, 'aks-day2');
    expect(after.filter?.includedEventTypes).toHaveLength(AKS_EVENT_TYPES.length);
  });

  it('reports a cluster Event Grid refuses, wires the others, and wires it on the next run', async () => {
    const c = (await clusters())[3]!;
    const eg = app.azure.eventGrid(c.sub);
    const topic = (await topicsOf(c.sub)).find((t) => t.source?.toLowerCase() === c.id.toLowerCase())!;
    await eg.systemTopics.beginDeleteAndWait(c.rg, topic.name!);
    await simAdmin(app.sim, 'POST', '/faults', {
      type: 'httpStatus',
      match: { operation: 'SystemTopics_CreateOrUpdate', path: c.name },
      status: 403,
      code: 'AuthorizationFailed',
      message:
        'The client does not have authorization to perform action Microsoft.EventGrid/systemTopics/write',
    });
    const refused = await wireEvents(app.azure, app.settings.subscriptions, target, app.deps.log);
    const failed = refused.results.filter((r) => r.error);
    expect(failed.map((r) => [r.decision.cluster.name, r.error!.code])).toEqual([[c.name, 'Forbidden']]);
    expect(formatWireReport(refused).some((l) => l.startsWith(`FAILED     ${c.name} `))).toBe(true);
    expect(refused.results.filter((r) => r.decision.kind === 'unchanged').length).toBeGreaterThan(0);

    await simAdmin(app.sim, 'DELETE', '/faults');
    const again = await wireEvents(app.azure, app.settings.subscriptions, target, app.deps.log);
    const mine = again.results.find((r) => r.decision.cluster.id.toLowerCase() === c.id.toLowerCase())!;
    expect({ kind: mine.decision.kind, error: mine.error }).toEqual({ kind: 'create', error: undefined });
  });
});
