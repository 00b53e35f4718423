/**
 * Microsoft.EventGrid system topics and their event subscriptions, as `@azure/arm-eventgrid` calls them
 * (`aks-day2 events wire`). Shapes follow the official `SystemTopics_CreateOrUpdate` and
 * `SystemTopicEventSubscriptions_CreateOrUpdate` examples (test/fixtures/eventgrid-systemtopics):
 * synchronous PUTs answering `provisioningState: Succeeded`, retry policy defaults 30 / 1440. The AKS
 * rules are checked as Event Grid states them: the source must be an existing cluster, the topic lives
 * in the cluster's region, one system topic per source, and only the AKS event types can be filtered.
 * State lives with this simulator instance (one registration in server.ts).
 */
import { createHash } from 'node:crypto';
import { AKS_EVENT_TYPES } from '../../events/parse';
import type { SimContext } from '../context';
import { ArmError, badRequest } from '../errors';
import { isRecord, route, type Route, type SimRequest } from '../http';
import { armClusterId, type ClusterState } from '../state';
import { page, requireResourceGroup, requireSubscription } from './common';

const AKS_TOPIC_TYPE = 'Microsoft.ContainerService.ManagedClusters';
const SUB = '/subscriptions/{subscriptionId}';
const RG = `${SUB}/resourceGroups/{resourceGroupName}`;
const ST = `${RG}/providers/Microsoft.EventGrid/systemTopics/{systemTopicName}`;
/** Event Grid names: 3-128 (topics) / 3-64 (subscriptions) letters, digits and hyphens. */
const TOPIC_NAME = /^[A-Za-z0-9-]{3,128}$/;
const SUBSCRIPTION_NAME = /^[A-Za-z0-9-]{3,64}$/;
const FUNCTION_ID =
  /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Web\/sites\/[^/]+\/functions\/[^/]+$/i;

interface TopicRecord {
  id: string;
  name: string;
  location: string;
  tags: Record<string, string> | null;
  identity?: unknown;
  source: string;
  topicType: string;
  metricResourceId: string;
  subscriptions: Map<string, Record<string, unknown>>;
}

const key = (...parts: string[]): string => parts.join('/').toLowerCase();

function notFound(type: string, name: string, rg: string): ArmError {
  return new ArmError(
    404,
    'ResourceNotFound',
    `The Resource 'Microsoft.EventGrid/${type}/${name}' under resource group '${rg}' was not found.`,
  );
}

function topicBody(t: TopicRecord): Record<string, unknown> {
  return {
    properties: {
      provisioningState: 'Succeeded',
      source: t.source,
      topicType: t.topicType,
      metricResourceId: t.metricResourceId,
    },
    ...(t.identity !== undefined ? { identity: t.identity } : {}),
    location: t.location,
    tags: t.tags,
    id: t.id,
    name: t.name,
    type: 'Microsoft.EventGrid/systemTopics',
  };
}

function subscriptionBody(
  t: TopicRecord,
  name: string,
  props: Record<string, unknown>,
): Record<string, unknown> {
  return {
    properties: { ...props, provisioningState: 'Succeeded', topic: t.id },
    id: `${t.id}/eventSubscriptions/${name}`,
    name,
    type: 'Microsoft.EventGrid/systemTopics/eventSubscriptions',
  };
}

function findClusterById(ctx: SimContext, id: string): ClusterState | undefined {
  const m =
    /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.ContainerService\/managedClusters\/([^/]+)$/i.exec(
      id,
    );
  return m ? ctx.state.cluster(m[1]!, m[2]!, m[3]!) : undefined;
}

/** The event subscription properties Event Grid stores, with its defaults filled in; 400 on what it refuses. */
function subscriptionProperties(body: unknown): Record<string, unknown> {
  const props = isRecord(body) && isRecord(body.properties) ? body.properties : undefined;
  if (!props) throw badRequest('InvalidRequest', 'The request content was invalid: properties are required.');
  const dest = props.destination;
  if (!isRecord(dest) || typeof dest.endpointType !== 'string')
    throw badRequest('InvalidRequest', 'Destination is required and must have an endpointType.');
  if (dest.endpointType === 'AzureFunction') {
    const rid = isRecord(dest.properties) ? dest.properties.resourceId : undefined;
    if (typeof rid !== 'string' || !FUNCTION_ID.test(rid))
      throw badRequest(
        'InvalidRequest',
        `Invalid AzureFunction destination resource id '${String(rid)}': expected /subscriptions/…/providers/Microsoft.Web/sites/{site}/functions/{function}.`,
      );
  }
  const filter = isRecord(props.filter) ? props.filter : {};
  const types = filter.includedEventTypes;
  if (types !== undefined && types !== null) {
    const known = AKS_EVENT_TYPES.map((t) => `microsoft.containerservice.${t.toLowerCase()}`);
    const bad = Array.isArray(types)
      ? types.filter((t) => !known.includes(String(t).toLowerCase()))
      : [types];
    if (bad.length > 0)
      throw badRequest(
        'InvalidRequest',
        `Event type(s) ${bad.map(String).join(', ')} are not supported by topic type ${AKS_TOPIC_TYPE}.`,
      );
  }
  // A WebHook's full URL is never echoed back: the response carries only `endpointBaseUrl` (the example).
  let destination: Record<string, unknown> = structuredClone(dest);
  if (dest.endpointType === 'WebHook' && isRecord(dest.properties)) {
    const { endpointUrl, ...rest } = dest.properties;
    destination = {
      ...destination,
      properties: {
        ...rest,
        endpointBaseUrl: (typeof endpointUrl === 'string' ? endpointUrl : '').split('?')[0],
      },
    };
  }
  const retry = isRecord(props.retryPolicy) ? props.retryPolicy : {};
  const attempts = retry.maxDeliveryAttempts ?? 30;
  const ttl = retry.eventTimeToLiveInMinutes ?? 1440;
  if (typeof attempts !== 'number' || attempts < 1 || attempts > 30)
    throw badRequest('InvalidRequest', 'maxDeliveryAttempts must be between 1 and 30.');
  if (typeof ttl !== 'number' || ttl < 1 || ttl > 1440)
    throw badRequest('InvalidRequest', 'eventTimeToLiveInMinutes must be between 1 and 1440.');
  return {
    ...structuredClone(props),
    destination,
    filter: { isSubjectCaseSensitive: false, ...structuredClone(filter) },
    labels: props.labels ?? null,
    eventDeliverySchema: props.eventDeliverySchema ?? 'EventGridSchema',
    retryPolicy: { maxDeliveryAttempts: attempts, eventTimeToLiveInMinutes: ttl },
  };
}

export function eventGridSystemTopicRoutes(ctx: SimContext): Route[] {
  const topics = new Map<string, TopicRecord>();

  const p = (req: SimRequest, k: string): string => req.params[k] ?? '';
  function requireTopic(req: SimRequest): TopicRecord {
    requireResourceGroup(ctx, p(req, 'subscriptionId'), p(req, 'resourceGroupName'));
    const t = topics.get(
      key(p(req, 'subscriptionId'), p(req, 'resourceGroupName'), p(req, 'systemTopicName')),
    );
    if (!t) throw notFound('systemTopics', p(req, 'systemTopicName'), p(req, 'resourceGroupName'));
    return t;
  }
  const inSubscription = (sub: string) =>
    [...topics.values()].filter((t) => t.id.toLowerCase().startsWith(`/subscriptions/${sub.toLowerCase()}/`));

  return [
    route(
      'GET',
      `${SUB}/providers/Microsoft.EventGrid/systemTopics`,
      'SystemTopics_ListBySubscription',
      (req) => {
        requireSubscription(ctx, p(req, 'subscriptionId'));
        return {
          status: 200,
          body: page(req, inSubscription(p(req, 'subscriptionId')).map(topicBody), ctx.state.pageSize),
        };
      },
    ),
    route(
      'GET',
      `${RG}/providers/Microsoft.EventGrid/systemTopics`,
      'SystemTopics_ListByResourceGroup',
      (req) => {
        requireResourceGroup(ctx, p(req, 'subscriptionId'), p(req, 'resourceGroupName'));
        const prefix = key(
          '',
          'subscriptions',
          p(req, 'subscriptionId'),
          'resourceGroups',
          p(req, 'resourceGroupName'),
          '',
        );
        const items = [...topics.values()]
          .filter((t) => t.id.toLowerCase().startsWith(prefix))
          .map(topicBody);
        return { status: 200, body: page(req, items, ctx.state.pageSize) };
      },
    ),
    route('GET', ST, 'SystemTopics_Get', (req) => ({ status: 200, body: topicBody(requireTopic(req)) })),
    route('PUT', ST, 'SystemTopics_CreateOrUpdate', (req) => {
      const sub = p(req, 'subscriptionId');
      const rg = p(req, 'resourceGroupName');
      const name = p(req, 'systemTopicName');
      requireResourceGroup(ctx, sub, rg);
      if (!TOPIC_NAME.test(name))
        throw badRequest(
          'InvalidRequest',
          `System topic name '${name}' must be 3-128 letters, digits or hyphens.`,
        );
      const body = req.body;
      const props = isRecord(body) && isRecord(body.properties) ? body.properties : undefined;
      if (!isRecord(body) || !props || typeof props.source !== 'string' || typeof body.location !== 'string')
        throw badRequest(
          'InvalidRequest',
          'A system topic needs location, properties.source and properties.topicType.',
        );
      if (String(props.topicType).toLowerCase() !== AKS_TOPIC_TYPE.toLowerCase())
        throw badRequest(
          'InvalidRequest',
          `Topic type '${String(props.topicType)}' does not match the source, a managed cluster (${AKS_TOPIC_TYPE}).`,
        );
      const cluster = findClusterById(ctx, props.source);
      if (!cluster) throw badRequest('InvalidRequest', `Source resource '${props.source}' was not found.`);
      if (body.location.toLowerCase() !== cluster.location.toLowerCase())
        throw badRequest(
          'InvalidRequest',
          `System topic location '${body.location}' must be the source's location '${cluster.location}'.`,
        );
      const k = key(sub, rg, name);
      const sameSource = [...topics.entries()].find(
        ([tk, t]) => tk !== k && t.source.toLowerCase() === String(props.source).toLowerCase(),
      );
      if (sameSource)
        throw badRequest(
          'InvalidRequest',
          `Only one system topic is allowed per source. System topic '${sameSource[1].name}' already exists for source '${props.source}'.`,
        );
      const existing = topics.get(k);
      const record: TopicRecord = {
        id: `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.EventGrid/systemTopics/${name}`,
        name,
        location: body.location,
        tags: isRecord(body.tags) ? (structuredClone(body.tags) as Record<string, string>) : null,
        ...(body.identity !== undefined ? { identity: structuredClone(body.identity) } : {}),
        source: armClusterId(cluster),
        topicType: AKS_TOPIC_TYPE,
        metricResourceId:
          existing?.metricResourceId ??
          createHash('sha256')
            .update(k)
            .digest('hex')
            .replace(/^(.{8})(.{4})(.{4})(.{4})(.{12}).*$/, '$1-$2-$3-$4-$5'),
        subscriptions: existing?.subscriptions ?? new Map<string, Record<string, unknown>>(),
      };
      topics.set(k, record);
      return { status: existing ? 200 : 201, body: topicBody(record) };
    }),
    route('DELETE', ST, 'SystemTopics_Delete', (req) => {
      requireResourceGroup(ctx, p(req, 'subscriptionId'), p(req, 'resourceGroupName'));
      const k = key(p(req, 'subscriptionId'), p(req, 'resourceGroupName'), p(req, 'systemTopicName'));
      return { status: topics.delete(k) ? 200 : 204 };
    }),
    route('GET', `${ST}/eventSubscriptions`, 'SystemTopicEventSubscriptions_ListBySystemTopic', (req) => {
      const t = requireTopic(req);
      const items = [...t.subscriptions.entries()].map(([n, props]) => subscriptionBody(t, n, props));
      return { status: 200, body: page(req, items, ctx.state.pageSize) };
    }),
    route(
      'GET',
      `${ST}/eventSubscriptions/{eventSubscriptionName}`,
      'SystemTopicEventSubscriptions_Get',
      (req) => {
        const t = requireTopic(req);
        const name = p(req, 'eventSubscriptionName');
        const props = t.subscriptions.get(name.toLowerCase());
        if (!props)
          throw notFound(`systemTopics/${t.name}/eventSubscriptions`, name, p(req, 'resourceGroupName'));
        return { status: 200, body: subscriptionBody(t, name, props) };
      },
    ),
    route(
      'PUT',
      `${ST}/eventSubscriptions/{eventSubscriptionName}`,
      'SystemTopicEventSubscriptions_CreateOrUpdate',
      (req) => {
        const t = requireTopic(req);
        const name = p(req, 'eventSubscriptionName');
        if (!SUBSCRIPTION_NAME.test(name))
          throw badRequest(
            'InvalidRequest',
            `Event subscription name '${name}' must be 3-64 letters, digits or hyphens.`,
          );
        const props = subscriptionProperties(req.body);
        const existed = t.subscriptions.has(name.toLowerCase());
        t.subscriptions.set(name.toLowerCase(), props);
        return { status: existed ? 200 : 201, body: subscriptionBody(t, name, props) };
      },
    ),
    route(
      'DELETE',
      `${ST}/eventSubscriptions/{eventSubscriptionName}`,
      'SystemTopicEventSubscriptions_Delete',
      (req) => {
        const t = requireTopic(req);
        return { status: t.subscriptions.delete(p(req, 'eventSubscriptionName').toLowerCase()) ? 200 : 204 };
      },
    ),
  ];
}
