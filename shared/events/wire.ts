/**
 * Event Grid wiring, the apply step (`aks-day2 events wire`, the azd postprovision hook): reads the
 * fleet and the AKS system topics of the subscriptions in scope, plans (wirePlan.ts), then creates or
 * updates what is missing. Idempotent: a second run finds everything `unchanged` and writes nothing.
 * Runs as the person deploying (their az/azd sign-in), not as the app's identity: the app never
 * touches Event Grid.
 */
import type {
  EventSubscription,
  IdentityInfo,
  StorageBlobDeadLetterDestination,
  SystemTopic,
} from '@azure/arm-eventgrid';
import type { AzureClients } from '../azure/clients';
import { toDay2Error } from '../azure/azureError';
import type { Day2Error } from '../errors';
import { discoverFleet } from '../fleet/inventory';
import type { Logger } from '../log';
import { mapLimit } from '../util/mapLimit';
import {
  AKS_TOPIC_TYPE,
  EVENT_SUBSCRIPTION_NAME,
  INCLUDED_EVENT_TYPES,
  RETRY_POLICY,
  planWiring,
  topicKey,
  type ExistingSubscription,
  type ExistingTopic,
  type WireDecision,
  type WireTarget,
} from './wirePlan';

export interface WireResult {
  decision: WireDecision;
  /** Resource id of the system topic the cluster is wired through (absent for skips and failures). */
  topicId?: string;
  error?: Day2Error;
}

export interface WireReport {
  results: WireResult[];
  /** Subscriptions whose clusters or topics could not be listed. */
  failures: Array<{ subscriptionId: string; error: Day2Error }>;
}

const ID_RG = /\/resourceGroups\/([^/]+)\//i;
const WIRE_CONCURRENCY = 4;

function toExistingTopic(subscriptionId: string, t: SystemTopic): ExistingTopic | undefined {
  const rg = ID_RG.exec(t.id ?? '')?.[1];
  if (!rg || !t.name || !t.source) return undefined;
  return {
    subscriptionId,
    resourceGroup: rg,
    name: t.name,
    location: t.location,
    source: t.source,
    identityType: t.identity?.type,
    userAssignedIdentityIds: Object.keys(t.identity?.userAssignedIdentities ?? {}),
  };
}

function toExistingSubscription(s: EventSubscription): ExistingSubscription {
  const dest = s.destination as { endpointType?: string; resourceId?: string } | undefined;
  const dl = s.deadLetterWithResourceIdentity;
  const dest0 = dl?.deadLetterDestination;
  const blob: StorageBlobDeadLetterDestination | undefined =
    dest0 && 'resourceId' in dest0 ? dest0 : undefined;
  return {
    functionResourceId: dest?.endpointType === 'AzureFunction' ? dest.resourceId : undefined,
    includedEventTypes: s.filter?.includedEventTypes ?? [],
    maxDeliveryAttempts: s.retryPolicy?.maxDeliveryAttempts,
    eventTimeToLiveInMinutes: s.retryPolicy?.eventTimeToLiveInMinutes,
    deadLetterStorageId: blob?.resourceId,
    deadLetterContainer: blob?.blobContainerName,
    deadLetterIdentityId: dl?.identity?.userAssignedIdentity,
  };
}

/** The event subscription as it should be. */
export function desiredSubscription(target: WireTarget): EventSubscription {
  const deadLetter: StorageBlobDeadLetterDestination = {
    endpointType: 'StorageBlob',
    resourceId: target.deadLetterStorageId,
    blobContainerName: target.deadLetterContainer,
  };
  return {
    destination: {
      endpointType: 'AzureFunction',
      resourceId: target.functionResourceId,
      maxEventsPerBatch: 1,
      preferredBatchSizeInKilobytes: 64,
    },
    filter: { includedEventTypes: [...INCLUDED_EVENT_TYPES] },
    eventDeliverySchema: 'EventGridSchema',
    retryPolicy: { ...RETRY_POLICY },
    deadLetterWithResourceIdentity: {
      identity: { type: 'UserAssigned', userAssignedIdentity: target.identityId },
      deadLetterDestination: deadLetter,
    },
    labels: ['aks-day2'],
  };
}

/** The topic's identity with ours added, keeping a system-assigned identity and other user-assigned ones. */
function identityWith(topic: ExistingTopic | undefined, identityId: string): IdentityInfo {
  const system = topic?.identityType?.includes('SystemAssigned') ?? false;
  const ids = [...(topic?.userAssignedIdentityIds ?? []), identityId];
  return {
    type: system ? 'SystemAssigned, UserAssigned' : 'UserAssigned',
    userAssignedIdentities: Object.fromEntries(ids.map((id) => [id, {}])),
  };
}

async function listTopics(
  azure: AzureClients,
  subscriptionId: string,
): Promise<{ topics: ExistingTopic[]; subscriptions: Map<string, ExistingSubscription> }> {
  const client = azure.eventGrid(subscriptionId);
  const topics: ExistingTopic[] = [];
  for await (const t of client.systemTopics.listBySubscription()) {
    if ((t.topicType ?? '').toLowerCase() !== AKS_TOPIC_TYPE.toLowerCase()) continue;
    const e = toExistingTopic(subscriptionId, t);
    if (e) topics.push(e);
  }
  const subscriptions = new Map<string, ExistingSubscription>();
  for (const t of topics) {
    for await (const s of client.systemTopicEventSubscriptions.listBySystemTopic(t.resourceGroup, t.name)) {
      if ((s.name ?? '').toLowerCase() === EVENT_SUBSCRIPTION_NAME)
        subscriptions.set(topicKey(t), toExistingSubscription(s));
    }
  }
  return { topics, subscriptions };
}

async function apply(azure: AzureClients, d: WireDecision, target: WireTarget): Promise<WireResult> {
  if (d.kind === 'skip' || d.kind === 'unchanged')
    return {
      decision: d,
      ...(d.kind === 'unchanged'
        ? {
            topicId: `/subscriptions/${d.topic.subscriptionId}/resourceGroups/${d.topic.resourceGroup}/providers/Microsoft.EventGrid/systemTopics/${d.topic.name}`,
          }
        : {}),
    };
  const { cluster } = d;
  const client = azure.eventGrid(cluster.subscriptionId);
  const rg = d.kind === 'create' ? cluster.resourceGroup : d.topic.resourceGroup;
  const name = d.kind === 'create' ? d.topicName : d.topic.name;
  try {
    let topicId = `/subscriptions/${cluster.subscriptionId}/resourceGroups/${rg}/providers/Microsoft.EventGrid/systemTopics/${name}`;
    if (d.kind === 'create' || d.addIdentity) {
      const topic = await client.systemTopics.beginCreateOrUpdateAndWait(rg, name, {
        location: d.kind === 'create' ? cluster.location : d.topic.location,
        source: cluster.id,
        topicType: AKS_TOPIC_TYPE,
        identity: identityWith(d.kind === 'create' ? undefined : d.topic, target.identityId),
        tags: { app: 'aks-day2' },
      });
      topicId = topic.id ?? topicId;
    }
    await client.systemTopicEventSubscriptions.beginCreateOrUpdateAndWait(
      rg,
      name,
      EVENT_SUBSCRIPTION_NAME,
      desiredSubscription(target),
    );
    return { decision: d, topicId };
  } catch (err) {
    return {
      decision: d,
      error: toDay2Error(err, { operation: `wire Event Grid (${d.kind})`, cluster: cluster.name }),
    };
  }
}

/** Wires every opted-in cluster of `subscriptions` (empty: every subscription the caller can list). */
export async function wireEvents(
  azure: AzureClients,
  subscriptions: readonly string[],
  target: WireTarget,
  log: Logger,
): Promise<WireReport> {
  // Through ARM, not Resource Graph: a person tags clusters and wires them at once, and Resource Graph
  // can show the tags seconds late. One list per subscription, for a command run at deployment.
  const fleet = await discoverFleet(azure, subscriptions, log, undefined, { through: 'arm' });
  const failures = [...fleet.failures];
  const topics: ExistingTopic[] = [];
  const existing = new Map<string, ExistingSubscription>();
  const subs = [...new Set(fleet.clusters.map((c) => c.subscriptionId))];
  const listed = await mapLimit(subs, WIRE_CONCURRENCY, async (subscriptionId) => {
    try {
      return { subscriptionId, ...(await listTopics(azure, subscriptionId)) };
    } catch (err) {
      failures.push({
        subscriptionId,
        error: toDay2Error(err, {
          operation: 'list Event Grid system topics',
          cluster: `subscription ${subscriptionId}`,
        }),
      });
      return undefined;
    }
  });
  const unreadable = new Set(failures.map((f) => f.subscriptionId.toLowerCase()));
  for (const l of listed) {
    if (!l) continue;
    topics.push(...l.topics);
    for (const [k, v] of l.subscriptions) existing.set(k, v);
  }
  const clusters = fleet.clusters.filter((c) => !unreadable.has(c.subscriptionId.toLowerCase()));
  const decisions = planWiring({ clusters, topics, subscriptions: existing }, target);
  const results = await mapLimit(decisions, WIRE_CONCURRENCY, (d) => apply(azure, d, target));
  return { results, failures };
}
