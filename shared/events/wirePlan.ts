/**
 * Event Grid wiring, the plan: for every cluster in scope, one system topic whose source is the
 * cluster (created in the cluster's resource group and region, or the one that already exists: Event
 * Grid allows one system topic per source) and one event subscription `aks-day2` on it, delivering the
 * AKS event types the app handles to the `aksEvents` function, with a retry policy and dead-lettering
 * to a storage container. Pure: inputs → decisions with reasons; `wire.ts` applies them.
 */
import { createHash } from 'node:crypto';
import type { ClusterSnapshot } from '../fleet/cluster';
import { AKS_EVENT_TYPES } from './parse';

export const AKS_TOPIC_TYPE = 'Microsoft.ContainerService.ManagedClusters';
/** Our event subscription's name on each system topic. */
export const EVENT_SUBSCRIPTION_NAME = 'aks-day2';
/** Event Grid's own maximums: 30 attempts within 24 h; a 400/413 from the function dead-letters at once. */
export const RETRY_POLICY = { maxDeliveryAttempts: 30, eventTimeToLiveInMinutes: 1440 } as const;
export const INCLUDED_EVENT_TYPES: readonly string[] = AKS_EVENT_TYPES.map(
  (t) => `Microsoft.ContainerService.${t}`,
);

/** Where events go: the deployment's outputs (`azd env get-values`) or the command's flags. */
export interface WireTarget {
  /** `/subscriptions/…/providers/Microsoft.Web/sites/{app}/functions/aksEvents`. */
  functionResourceId: string;
  /** Storage account (resource id) and container receiving dead-lettered events. */
  deadLetterStorageId: string;
  deadLetterContainer: string;
  /** User-assigned identity the system topic writes dead letters with (Storage Blob Data Contributor on the container). */
  identityId: string;
}

/** A system topic as listed, reduced to what the plan compares. */
export interface ExistingTopic {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  location: string;
  source: string;
  identityType?: string;
  userAssignedIdentityIds: string[];
}

/** Our subscription as read back from Event Grid, reduced to what the plan compares. */
export interface ExistingSubscription {
  functionResourceId?: string;
  includedEventTypes: string[];
  maxDeliveryAttempts?: number;
  eventTimeToLiveInMinutes?: number;
  deadLetterStorageId?: string;
  deadLetterContainer?: string;
  deadLetterIdentityId?: string;
}

export type WireDecision =
  | {
      kind: 'create';
      cluster: ClusterSnapshot;
      topicName: string;
      reason: string;
    }
  | {
      kind: 'subscribe' | 'update';
      cluster: ClusterSnapshot;
      topic: ExistingTopic;
      /** The topic lacks our identity: it is added (kept alongside the identities it has). */
      addIdentity: boolean;
      reason: string;
    }
  | { kind: 'unchanged'; cluster: ClusterSnapshot; topic: ExistingTopic; reason: string }
  | { kind: 'skip'; cluster: ClusterSnapshot; reason: string };

const same = (a: string | undefined, b: string | undefined): boolean =>
  (a ?? '').toLowerCase() === (b ?? '').toLowerCase();

/** A cluster is in scope once it carries any `day2-*` tag (the opt-in of the cluster policy). */
export function isOptedIn(c: Pick<ClusterSnapshot, 'tags'>): boolean {
  return Object.keys(c.tags).some((k) => k.toLowerCase().startsWith('day2-'));
}

/**
 * The system topic's name for a cluster: letters, digits and hyphens (Event Grid's rule, ≤ 128), unique
 * per cluster id (a short hash), readable (the cluster name, bounded).
 */
export function topicNameFor(c: Pick<ClusterSnapshot, 'id' | 'name'>): string {
  const safe = c.name.replace(/[^A-Za-z0-9-]/g, '-').slice(0, 80);
  const hash = createHash('sha256').update(c.id.toLowerCase()).digest('hex').slice(0, 8);
  return `${safe}-aksday2-${hash}`;
}

/** What differs between our subscription as it is and as it should be; empty when it matches. */
export function subscriptionDrift(s: ExistingSubscription, t: WireTarget): string[] {
  const out: string[] = [];
  if (!same(s.functionResourceId, t.functionResourceId)) out.push('destination');
  const want = [...INCLUDED_EVENT_TYPES].map((x) => x.toLowerCase()).sort();
  const have = [...s.includedEventTypes].map((x) => x.toLowerCase()).sort();
  if (want.join() !== have.join()) out.push('event types');
  if (
    s.maxDeliveryAttempts !== RETRY_POLICY.maxDeliveryAttempts ||
    s.eventTimeToLiveInMinutes !== RETRY_POLICY.eventTimeToLiveInMinutes
  )
    out.push('retry policy');
  if (
    !same(s.deadLetterStorageId, t.deadLetterStorageId) ||
    !same(s.deadLetterContainer, t.deadLetterContainer) ||
    !same(s.deadLetterIdentityId, t.identityId)
  )
    out.push('dead-letter destination');
  return out;
}

export interface WireFacts {
  clusters: ClusterSnapshot[];
  /** System topics of type AKS in the subscriptions of `clusters`. */
  topics: ExistingTopic[];
  /** Our subscription per topic, keyed `subscriptionId/resourceGroup/topicName` (lower case); absent = none. */
  subscriptions: Map<string, ExistingSubscription>;
}

export const topicKey = (t: Pick<ExistingTopic, 'subscriptionId' | 'resourceGroup' | 'name'>): string =>
  `${t.subscriptionId}/${t.resourceGroup}/${t.name}`.toLowerCase();

export function planWiring(facts: WireFacts, target: WireTarget): WireDecision[] {
  return facts.clusters.map((cluster): WireDecision => {
    if (!isOptedIn(cluster)) return { kind: 'skip', cluster, reason: 'no day2-* tag: not opted in' };
    const topic = facts.topics.find((t) => same(t.source, cluster.id));
    if (!topic)
      return {
        kind: 'create',
        cluster,
        topicName: topicNameFor(cluster),
        reason: 'no system topic for this cluster yet',
      };
    const addIdentity = !topic.userAssignedIdentityIds.some((id) => same(id, target.identityId));
    const existing = facts.subscriptions.get(topicKey(topic));
    if (!existing)
      return {
        kind: 'subscribe',
        cluster,
        topic,
        addIdentity,
        reason: `system topic ${topic.name} exists without the ${EVENT_SUBSCRIPTION_NAME} subscription`,
      };
    const drift = subscriptionDrift(existing, target);
    if (drift.length > 0 || addIdentity)
      return {
        kind: 'update',
        cluster,
        topic,
        addIdentity,
        reason: `differs: ${[...drift, ...(addIdentity ? ['topic identity'] : [])].join(', ')}`,
      };
    return { kind: 'unchanged', cluster, topic, reason: 'already wired as wanted' };
  });
}
