/**
 * AKS system events from Event Grid (docs/functions.md), in the Event Grid schema (an array, or one object) or
 * CloudEvents 1.0 (structured single event, batch array, or binary mode with `ce-*` headers). Pure: never
 * throws on a hostile body; every malformed entry becomes an error naming the field and what was expected.
 */
import { quoted, visible } from '../util/visible';

export type AksEventType =
  | 'NewKubernetesVersionAvailable'
  | 'ClusterSupportEnding'
  | 'ClusterSupportEnded'
  | 'NodePoolRollingStarted'
  | 'NodePoolRollingSucceeded'
  | 'NodePoolRollingFailed'
  | 'Unknown';

export interface NewKubernetesVersionAvailableData {
  latestSupportedKubernetesVersion: string;
  latestStableKubernetesVersion: string;
  lowestMinorKubernetesVersion: string;
  /** May be absent or empty when no preview exists. */
  latestPreviewKubernetesVersion?: string;
}
export interface ClusterSupportData {
  kubernetesVersion: string;
}
export interface NodePoolRollingData {
  nodePoolName: string;
}

interface AksEventBase {
  id: string;
  /** The event type as delivered, e.g. `Microsoft.ContainerService.NodePoolRollingFailed`. */
  fullType: string;
  /** `topic` (Event Grid) or `source` (CloudEvents): the cluster's resource id for AKS events. */
  clusterId: string;
  /** `subject`: the cluster name for AKS events. */
  clusterName: string;
  time: Date;
  schema: 'EventGrid' | 'CloudEvents';
}

export type AksEvent =
  | (AksEventBase & { type: 'NewKubernetesVersionAvailable'; data: NewKubernetesVersionAvailableData })
  | (AksEventBase & { type: 'ClusterSupportEnding' | 'ClusterSupportEnded'; data: ClusterSupportData })
  | (AksEventBase & {
      type: 'NodePoolRollingStarted' | 'NodePoolRollingSucceeded' | 'NodePoolRollingFailed';
      data: NodePoolRollingData;
    })
  | (AksEventBase & { type: 'Unknown'; data: unknown });

export interface EventParseError {
  /** Position in the batch; -1 for the body as a whole. */
  index: number;
  /** The event's id when it had one. */
  id?: string;
  /** Which field, e.g. `eventTime`, `data.nodePoolName`, `(body)`. */
  field: string;
  /** What was expected and what came. */
  message: string;
}

/** Event Grid's subscription handshake: answer `{ validationResponse: validationCode }` (or GET the URL). */
export interface SubscriptionValidation {
  id: string;
  validationCode: string;
  validationUrl?: string;
}

export interface ParsedEventsResult {
  events: AksEvent[];
  errors: EventParseError[];
  validation?: SubscriptionValidation;
}

export const AKS_EVENT_PREFIX = 'Microsoft.ContainerService.';
export const SUBSCRIPTION_VALIDATION_EVENT = 'Microsoft.EventGrid.SubscriptionValidationEvent';
/** The six `Microsoft.ContainerService.*` event types AKS publishes (docs/functions.md). */
export const AKS_EVENT_TYPES: ReadonlyArray<Exclude<AksEventType, 'Unknown'>> = [
  'NewKubernetesVersionAvailable',
  'ClusterSupportEnding',
  'ClusterSupportEnded',
  'NodePoolRollingStarted',
  'NodePoolRollingSucceeded',
  'NodePoolRollingFailed',
];

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return v === '' ? 'an empty string' : `the string ${quoted(v, 40)}`;
  return `a ${typeof v}`;
}

/**
 * Bounds on what an event may carry. AKS's own values are far shorter (a resource id is under 300
 * characters, a cluster name at most 63): anything longer is forged or corrupt and is rejected here,
 * before it reaches a storage key, a log line or a card.
 */
export const MAX_TOPIC = 512;
export const MAX_SUBJECT = 256;
const MAX_TEXT = 256;
const MAX_DATA_TEXT = 128;

const CONTROL_RE = /[\u0000-\u001f\u007f-\u009f]/;

const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})?$/i;

/** RFC 3339 time; Event Grid writes 7 fractional digits; a time without a zone is read as UTC. */
function parseTime(text: string): Date | undefined {
  const m = ISO_RE.exec(text.trim());
  if (!m) return undefined;
  const ms = (m[7] ?? '0').padEnd(3, '0').slice(0, 3);
  const zone = m[8] === undefined || m[8].toUpperCase() === 'Z' ? 'Z' : m[8];
  const d = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.${ms}${zone}`);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

function lowerKeys(headers: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) if (typeof v === 'string') out[k.toLowerCase()] = v;
  return out;
}

class EntryReader {
  readonly problems: { field: string; message: string }[] = [];
  constructor(private readonly obj: Json) {}

  string(
    field: string,
    opts: { optional?: boolean; allowEmpty?: boolean; max?: number } = {},
  ): string | undefined {
    const v = this.obj[field];
    if (v === undefined && opts.optional) return undefined;
    if (typeof v !== 'string' || (!opts.allowEmpty && v.trim() === '')) {
      this.problems.push({ field, message: `expected a non-empty string, got ${describeValue(v)}` });
      return undefined;
    }
    const max = opts.max ?? MAX_TEXT;
    if (v.length > max || CONTROL_RE.test(v)) {
      this.problems.push({
        field,
        message:
          v.length > max
            ? `expected at most ${max} characters, got ${v.length}`
            : `expected text without control characters, got ${describeValue(v)}`,
      });
      return undefined;
    }
    return v;
  }

  time(field: string): Date | undefined {
    const raw = this.string(field);
    if (raw === undefined) return undefined;
    const d = parseTime(raw);
    if (!d)
      this.problems.push({
        field,
        message: `expected an RFC 3339 date-time such as 2023-03-29T18:00:00Z, got ${describeValue(raw)}`,
      });
    return d;
  }
}

function dataFor(type: AksEventType, data: unknown): { data: unknown } | { field: string; message: string } {
  if (type === 'Unknown') return { data };
  if (!isObject(data)) return { field: 'data', message: `expected an object, got ${describeValue(data)}` };
  const need = (k: string): string | { field: string; message: string } => {
    const v = data[k];
    if (typeof v !== 'string' || v.trim() === '')
      return { field: `data.${k}`, message: `expected a non-empty string, got ${describeValue(v)}` };
    if (v.length > MAX_DATA_TEXT || CONTROL_RE.test(v))
      return {
        field: `data.${k}`,
        message: `expected at most ${MAX_DATA_TEXT} characters without control characters, got ${describeValue(v)} (${v.length} characters)`,
      };
    return v;
  };
  const keys: string[] =
    type === 'NewKubernetesVersionAvailable'
      ? ['latestSupportedKubernetesVersion', 'latestStableKubernetesVersion', 'lowestMinorKubernetesVersion']
      : type === 'ClusterSupportEnding' || type === 'ClusterSupportEnded'
        ? ['kubernetesVersion']
        : ['nodePoolName'];
  const out: Record<string, string> = {};
  for (const k of keys) {
    const v = need(k);
    if (typeof v !== 'string') return v;
    out[k] = v;
  }
  if (type === 'NewKubernetesVersionAvailable') {
    const preview = data.latestPreviewKubernetesVersion;
    if (preview !== undefined && preview !== null && typeof preview !== 'string') {
      return {
        field: 'data.latestPreviewKubernetesVersion',
        message: `expected a string, got ${describeValue(preview)}`,
      };
    }
    if (typeof preview === 'string' && preview !== '') out.latestPreviewKubernetesVersion = preview;
  }
  return { data: out };
}

function shortType(fullType: string): AksEventType {
  if (!fullType.startsWith(AKS_EVENT_PREFIX)) return 'Unknown';
  const short = fullType.slice(AKS_EVENT_PREFIX.length);
  return AKS_EVENT_TYPES.find((k) => k === short) ?? 'Unknown';
}

function parseEntry(entry: unknown, index: number, result: ParsedEventsResult): void {
  if (!isObject(entry)) {
    result.errors.push({
      index,
      field: '(event)',
      message: `expected an event object, got ${describeValue(entry)}`,
    });
    return;
  }
  const r = new EntryReader(entry);
  const isEventGrid = 'eventType' in entry;
  const specField =
    'specversion' in entry ? 'specversion' : 'specVersion' in entry ? 'specVersion' : undefined; // the official sample's quirk
  if (!isEventGrid && !specField) {
    result.errors.push({
      index,
      id: typeof entry.id === 'string' ? visible(entry.id, 100) : undefined,
      field: 'eventType/specversion',
      message: 'expected an Event Grid event (with eventType) or a CloudEvents 1.0 event (with specversion)',
    });
    return;
  }
  const schema: AksEventBase['schema'] = isEventGrid ? 'EventGrid' : 'CloudEvents';
  const id = r.string('id');
  const fullType = r.string(isEventGrid ? 'eventType' : 'type');
  if (!isEventGrid && specField) {
    const sv = entry[specField];
    if (sv !== '1.0')
      r.problems.push({ field: specField, message: `expected "1.0", got ${describeValue(sv)}` });
  }

  if (fullType === SUBSCRIPTION_VALIDATION_EVENT && id !== undefined) {
    const d = entry.data;
    const code = isObject(d) ? d.validationCode : undefined;
    if (typeof code !== 'string' || code === '') {
      result.errors.push({
        index,
        id,
        field: 'data.validationCode',
        message: `expected a non-empty string, got ${describeValue(code)}`,
      });
    } else {
      const url = isObject(d) && typeof d.validationUrl === 'string' ? d.validationUrl : undefined;
      result.validation = { id, validationCode: code, ...(url ? { validationUrl: url } : {}) };
    }
    return;
  }

  const type = fullType === undefined ? 'Unknown' : shortType(fullType);
  const aks = type !== 'Unknown';
  // AKS events must name their cluster; other events are passed on as Unknown with what they carry.
  const clusterId = r.string(isEventGrid ? 'topic' : 'source', { optional: !aks, max: MAX_TOPIC }) ?? '';
  const clusterName = r.string('subject', { optional: !aks, allowEmpty: !aks, max: MAX_SUBJECT }) ?? '';
  const time = r.time(isEventGrid ? 'eventTime' : 'time');
  const data = dataFor(type, entry.data);
  if ('field' in data) r.problems.push(data);

  if (
    r.problems.length > 0 ||
    id === undefined ||
    fullType === undefined ||
    time === undefined ||
    'field' in data
  ) {
    for (const p of r.problems) result.errors.push({ index, ...(id ? { id } : {}), ...p });
    return;
  }
  result.events.push({
    id,
    type,
    fullType,
    clusterId,
    clusterName,
    time,
    schema,
    data: data.data,
  } as AksEvent);
}

function fromBinaryCloudEvent(body: unknown, h: Record<string, string>): Json {
  const event: Json = { data: body };
  for (const [k, v] of Object.entries(h)) if (k.startsWith('ce-')) event[k.slice(3)] = v;
  return event;
}

/**
 * Parses an Event Grid delivery. `body` is the parsed JSON (or the raw text/bytes); `headers` (any case)
 * enable CloudEvents binary mode (`ce-specversion`, `ce-id`, …) with the body as `data`.
 */
export function parseAksEvents(body: unknown, headers?: Record<string, string>): ParsedEventsResult {
  const result: ParsedEventsResult = { events: [], errors: [] };
  let payload: unknown = body;
  if (typeof payload === 'string' || payload instanceof Uint8Array) {
    const text = typeof payload === 'string' ? payload : Buffer.from(payload).toString('utf8');
    try {
      payload = JSON.parse(text) as unknown;
    } catch (e) {
      result.errors.push({
        index: -1,
        field: '(body)',
        message: `expected JSON, got text that does not parse (${(e as Error).message})`,
      });
      return result;
    }
  }
  const h = lowerKeys(headers);
  if (h['ce-specversion'] !== undefined) {
    parseEntry(fromBinaryCloudEvent(payload, h), 0, result);
    return result;
  }
  if (Array.isArray(payload)) {
    payload.forEach((entry, i) => parseEntry(entry, i, result));
    return result;
  }
  if (isObject(payload)) {
    parseEntry(payload, 0, result);
    return result;
  }
  result.errors.push({
    index: -1,
    field: '(body)',
    message: `expected an event object or an array of events, got ${describeValue(payload)}`,
  });
  return result;
}
