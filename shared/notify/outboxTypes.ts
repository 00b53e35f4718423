import type { Actor, JobName } from '../records/outcome';

/** Where the outbox delivers. Each destination is an ordered queue of its own. */
export type Destination = 'teams' | 'logs';
export const DESTINATIONS: readonly Destination[] = ['teams', 'logs'];

/** What a job run hands to the outbox for one destination. */
export interface OutboxMessage {
  /**
   * Idempotency key, unique within the destination: enqueueing a key that is already in the outbox
   * (pending or delivered) does nothing. The notifier uses `card:<runId>:<content hash>` etc.
   */
  key: string;
  kind: 'card' | 'rows' | 'alert';
  runId: string;
  job: JobName;
  actor: Actor;
  /** The body, as text (JSON). At most 600,000 bytes of UTF-8 (one table entity). */
  payload: string;
}

/** An entry as a sender sees it. */
export interface OutboxDelivery {
  destination: Destination;
  seq: number;
  /** Stable for the entry's whole life (every attempt, every instance): a dedupe key downstream. */
  deliveryId: string;
  kind: OutboxMessage['kind'];
  runId: string;
  payload: string;
  /** 1 on the first try. */
  attempt: number;
}

export type SendResult =
  | { ok: true }
  | {
      ok: false;
      /** HTTP status, when there was an answer. */
      status?: number;
      /** What the destination asked for (Retry-After), in ms. */
      retryAfterMs?: number;
      /** What went wrong, secrets redacted. */
      error: string;
      /** Retrying cannot help (the payload was refused): park at once. */
      permanent?: boolean;
      /** Part of the payload was delivered: what is left to send (Logs Ingestion partial failures). */
      remainingPayload?: string;
    };

export type Sender = (delivery: OutboxDelivery) => Promise<SendResult>;

/** An entry moved to the dead-letter table. */
export interface ParkedEntry extends Omit<OutboxMessage, 'payload'> {
  destination: Destination;
  seq: number;
  deliveryId: string;
  attempts: number;
  lastStatus?: number;
  lastError: string;
  parkedAt: Date;
  deadLetterTable: string;
}

export interface DestinationReport {
  delivered: number;
  parked: number;
  /** Entries still waiting after this pass. */
  pending: number;
  /** Why this pass stopped before the queue was empty. */
  blocked?: {
    reason: 'backoff' | 'in-flight' | 'claimed-elsewhere' | 'limit';
    until?: Date;
    lastError?: string;
  };
}

export interface DeliveryReport {
  delivered: number;
  parked: number;
  pending: number;
  destinations: Partial<Record<Destination, DestinationReport>>;
}
