/**
 * Event Grid delivery of the six AKS system events, shaped like the official samples: Event Grid
 * schema (POST a one-event array, `aeg-event-type: Notification`) or CloudEvents 1.0 (POST the event,
 * `content-type: application/cloudevents+json`). At-least-once on demand: duplicates and reordering;
 * failed deliveries are retried a few times, then recorded as failed.
 */
import { randomUUID } from 'node:crypto';
import type { AksEventType } from './operations';
import { armClusterId, type ClusterState } from './state';

export type EventSchema = 'EventGridSchema' | 'CloudEventSchema';

export interface EventGridTarget {
  url: string;
  schema: EventSchema;
}

export interface DeliveryAttempt {
  at: string;
  status?: number;
  error?: string;
}

export interface EmittedEvent {
  id: string;
  eventType: string;
  clusterId: string;
  /** The event in both schemas; the target's schema is the one delivered. */
  eventGrid: Record<string, unknown>;
  cloudEvent: Record<string, unknown>;
  deliveries: DeliveryAttempt[];
  outcome: 'pending' | 'delivered' | 'failed' | 'no-target';
}

/** `2023-03-29T18:00:00.0000000Z`, the samples' 7-digit fraction. */
export function eventTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$10000Z');
}

export function buildEvents(
  type: AksEventType,
  cluster: ClusterState,
  data: Record<string, string>,
  atMs: number,
  id = randomUUID(),
) {
  const topic = armClusterId(cluster);
  const eventType = `Microsoft.ContainerService.${type}`;
  const time = eventTime(atMs);
  return {
    id,
    eventType,
    topic,
    eventGrid: {
      topic,
      subject: cluster.name,
      eventType,
      id,
      data: { ...data },
      dataVersion: '1',
      metadataVersion: '1',
      eventTime: time,
    },
    cloudEvent: {
      source: topic,
      subject: cluster.name,
      type: eventType,
      time,
      id,
      data: { ...data },
      specversion: '1.0',
    },
  };
}

const NO_RETRY = new Set([400, 401, 403, 413]);

export class EventGridEmitter {
  target?: EventGridTarget;
  duplicate = false;
  reorder = false;
  maxAttempts = 3;
  retryDelayMs = 100;
  readonly emitted: EmittedEvent[] = [];
  private held?: { ev: EmittedEvent; timer: NodeJS.Timeout };
  private readonly pending = new Set<Promise<void>>();
  private chain: Promise<void> = Promise.resolve();

  constructor(
    target?: { url: string; schema?: EventSchema },
    private readonly virtualNow: () => number = Date.now,
  ) {
    if (target) this.setTarget(target.url, target.schema);
  }

  setTarget(url: string | undefined, schema: EventSchema = 'EventGridSchema'): void {
    if (!url) {
      this.target = undefined;
      return;
    }
    new URL(url); // throws on a bad URL
    this.target = { url, schema };
  }

  emit(type: AksEventType, cluster: ClusterState, data: Record<string, string>, atMs: number): EmittedEvent {
    const b = buildEvents(type, cluster, data, atMs);
    const ev: EmittedEvent = {
      id: b.id,
      eventType: b.eventType,
      clusterId: b.topic,
      eventGrid: b.eventGrid,
      cloudEvent: b.cloudEvent,
      deliveries: [],
      outcome: this.target ? 'pending' : 'no-target',
    };
    this.emitted.push(ev);
    if (!this.target) return ev;
    if (!this.reorder) {
      this.dispatch(ev);
    } else if (this.held) {
      const prev = this.held;
      clearTimeout(prev.timer);
      this.held = undefined;
      this.dispatch(ev);
      this.dispatch(prev.ev);
    } else {
      const timer = setTimeout(() => {
        this.held = undefined;
        this.dispatch(ev);
      }, 300);
      timer.unref();
      this.held = { ev, timer };
    }
    return ev;
  }

  /** Deliveries go out one at a time, in dispatch order, so reordering and duplicates are deterministic. */
  private dispatch(ev: EmittedEvent): void {
    const target = this.target;
    if (!target) {
      ev.outcome = 'no-target';
      return;
    }
    const p = this.chain.then(async () => {
      await this.deliver(ev, target);
      if (this.duplicate) await this.deliver(ev, target);
    });
    this.chain = p.catch(() => undefined);
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }

  private async deliver(ev: EmittedEvent, target: EventGridTarget): Promise<void> {
    const cloud = target.schema === 'CloudEventSchema';
    const body = JSON.stringify(cloud ? ev.cloudEvent : [ev.eventGrid]);
    const headers: Record<string, string> = cloud
      ? { 'content-type': 'application/cloudevents+json; charset=utf-8' }
      : { 'content-type': 'application/json; charset=utf-8' };
    headers['aeg-event-type'] = 'Notification';
    headers['aeg-subscription-name'] = 'AKS-DAY2-SIM';
    headers['aeg-data-version'] = '1';
    headers['aeg-metadata-version'] = '1';
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      headers['aeg-delivery-count'] = String(attempt - 1);
      const rec: DeliveryAttempt = { at: new Date(this.virtualNow()).toISOString() };
      ev.deliveries.push(rec);
      try {
        const res = await fetch(target.url, {
          method: 'POST',
          headers,
          body,
          signal: AbortSignal.timeout(30_000),
        });
        rec.status = res.status;
        await res.arrayBuffer().catch(() => undefined);
        if (res.ok) {
          ev.outcome = 'delivered';
          return;
        }
        if (NO_RETRY.has(res.status)) break;
      } catch (err) {
        rec.error = err instanceof Error ? err.message : String(err);
      }
      if (attempt < this.maxAttempts) await new Promise((r) => setTimeout(r, this.retryDelayMs * attempt));
    }
    if (ev.outcome !== 'delivered') ev.outcome = 'failed';
  }

  /** Resolves when every delivery started so far (and any held event) is done. */
  async idle(): Promise<void> {
    if (this.held) {
      clearTimeout(this.held.timer);
      const ev = this.held.ev;
      this.held = undefined;
      this.dispatch(ev);
    }
    while (this.pending.size) await Promise.all([...this.pending]);
  }

  clear(): void {
    this.emitted.length = 0;
  }

  close(): void {
    if (this.held) clearTimeout(this.held.timer);
    this.held = undefined;
  }
}
