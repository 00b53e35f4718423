/**
 * The outbox: Teams cards and Log Analytics rows are written to Table storage BEFORE any delivery,
 * then delivered in order, per destination, by `deliverPending` (after each report and every minute
 * from the `outboxDelivery` timer).
 *
 * Table `<prefix>Outbox`, one partition per destination:
 *   RK "seq"          the destination's sequence counter
 *   RK "k-<sha256>"   one marker per idempotency key (enqueueing a key twice does nothing)
 *   RK "q-<seq>"      the entries, in order (zero-padded sequence numbers)
 * The counter, the marker and the entry are written in ONE entity-group transaction, so an entry is
 * visible exactly when its sequence number is taken: no gaps can reorder delivery.
 *
 * Delivery: only the head of a destination is ever sent. It is claimed with an ETag-conditional
 * update (status `sending`, a lease, attempts + 1); a second instance loses the race (412) and stops
 * for that destination, so no entry is sent by two instances at once and nothing overtakes a head
 * that is waiting (backoff honouring Retry-After, stored in the entry, so it holds across ticks and
 * instances). Success deletes the entry (ETag-conditional). After `maxAttempts` failed attempts, or
 * at once when the destination refuses the payload itself (400/413), the entry moves to
 * `<prefix>OutboxDead` and alerts are enqueued (`alertsFor`).
 *
 * Guarantee: every entry is delivered at least once, in order per destination; a duplicate is only
 * possible when an instance dies (or loses storage) after the destination accepted the request and
 * before the entry was deleted; the entry is then re-sent once its lease expires. Teams has no
 * server-side dedupe, so that crash window can show a card twice; log rows carry
 * `Details.rowId`/`deliveryId` to dedupe in KQL.
 */
import { createHash, randomUUID } from 'node:crypto';
import { odata, type TableClient, type TransactionAction } from '@azure/data-tables';
import type { Clock } from '../clock';
import { Day2Error, errorMessage } from '../errors';
import type { Logger } from '../log';
import type { Actor, JobName } from '../records/outcome';
import { lazyTable, statusOf, type LazyTable } from '../storage/tables';
import { textFrom, textProperties } from '../records/tableText';
import {
  DESTINATIONS,
  type DeliveryReport,
  type Destination,
  type DestinationReport,
  type OutboxMessage,
  type ParkedEntry,
  type Sender,
  type SendResult,
} from './outboxTypes';
import { redactSecrets } from './redact';

/** A stored string property; an absent one is ''. */
const text = (v: unknown): string =>
  typeof v === 'string' ? v : v === undefined || v === null ? '' : JSON.stringify(v);

export interface OutboxTuning {
  /** Failed attempts before an entry is parked. Default 8. */
  maxAttempts?: number;
  /** Backoff after the n-th failure: min(maxMs, baseMs * 2^(n-1)), never shorter than Retry-After. Defaults 30 s, 1 h. */
  backoff?: { baseMs?: number; maxMs?: number };
  /** How long a claimed entry stays `sending` before another instance may take it over. Default 5 min (above every send timeout). */
  leaseMs?: number;
  /** Most entries one pass delivers per destination. Default 500. */
  maxPerPass?: number;
}

export interface OutboxOptions extends OutboxTuning {
  connectionString: string;
  tablePrefix?: string;
  clock: Clock;
  log: Logger;
  /** Destinations without a sender are neither enqueued to nor delivered. */
  senders: Partial<Record<Destination, Sender>>;
  /** Messages to enqueue when an entry is parked (not called for parked alerts). */
  alertsFor?: (parked: ParkedEntry) => Array<{ destination: Destination; message: OutboxMessage }>;
}

export interface Outbox {
  /** Stores the messages durably, in order, after every earlier entry of the destination. Keys already seen are skipped. Resolves to the number stored. */
  enqueue(destination: Destination, messages: readonly OutboxMessage[]): Promise<number>;
  /** One delivery pass over every destination that has a sender. */
  deliverPending(): Promise<DeliveryReport>;
  /** Entries waiting, per destination. */
  pendingCount(destination: Destination): Promise<number>;
  /** Entries parked in the dead-letter table. */
  parked(destination: Destination): Promise<ParkedEntry[]>;
  readonly tables: { outbox: string; deadLetter: string };
}

interface EntryFields extends Omit<OutboxMessage, 'payload'> {
  deliveryId: string;
  status: 'pending' | 'sending';
  attempts: number;
  createdAt: string;
  nextAttemptAt: string;
  leaseUntil: string;
  leaseOwner: string;
  lastError: string;
  lastStatus: number;
}

interface StoredEntry extends EntryFields {
  seq: number;
  rowKey: string;
  etag: string;
  payload: string;
}

const ENTRY_FROM = 'q-';
const ENTRY_TO = 'q.';
const seqKey = (seq: number): string => `${ENTRY_FROM}${String(seq).padStart(12, '0')}`;
const markerKey = (key: string): string => `k-${createHash('sha256').update(key).digest('hex')}`;

/** Messages of one transaction: at most 40 (2 operations each + the counter, under the limit of 100) and 1.5 MB of payload (2 MB as base64; the limit is 4 MB). */
const TX_MESSAGES = 40;
const TX_BYTES = 1_500_000;

export function createOutbox(opts: OutboxOptions): Outbox {
  const prefix = opts.tablePrefix ?? 'day2';
  const outboxTable: LazyTable = lazyTable(opts.connectionString, `${prefix}Outbox`);
  const deadTable: LazyTable = lazyTable(opts.connectionString, `${prefix}OutboxDead`);
  const maxAttempts = opts.maxAttempts ?? 8;
  const baseMs = opts.backoff?.baseMs ?? 30_000;
  const maxMs = opts.backoff?.maxMs ?? 3_600_000;
  const leaseMs = opts.leaseMs ?? 300_000;
  const maxPerPass = opts.maxPerPass ?? 500;
  const owner = randomUUID();
  const { clock, log } = opts;

  const storageError = (operation: string, err: unknown): Day2Error =>
    new Day2Error('StorageFailed', `outbox: ${operation} failed: ${errorMessage(err)}`, {
      operation,
      cause: err,
    });

  async function markerExists(t: TableClient, destination: Destination, key: string): Promise<boolean> {
    try {
      await t.getEntity(destination, markerKey(key));
      return true;
    } catch (err) {
      if (statusOf(err) === 404) return false;
      throw storageError('read idempotency marker', err);
    }
  }

  async function enqueueGroup(
    t: TableClient,
    destination: Destination,
    group: readonly OutboxMessage[],
  ): Promise<number> {
    for (let attempt = 1; ; attempt++) {
      const fresh: OutboxMessage[] = [];
      for (const m of group) if (!(await markerExists(t, destination, m.key))) fresh.push(m);
      if (fresh.length === 0) return 0;
      let counter: { next?: unknown; etag: string } | undefined;
      try {
        counter = await t.getEntity<{ next: number }>(destination, 'seq');
      } catch (err) {
        if (statusOf(err) !== 404) throw storageError('read sequence counter', err);
      }
      const first = counter ? Number(counter.next) : 1;
      const now = clock.now().toISOString();
      const actions: TransactionAction[] = [
        counter
          ? [
              'update',
              { partitionKey: destination, rowKey: 'seq', next: first + fresh.length },
              'Replace',
              { etag: counter.etag },
            ]
          : ['create', { partitionKey: destination, rowKey: 'seq', next: first + fresh.length }],
      ];
      fresh.forEach((m, i) => {
        const seq = first + i;
        actions.push([
          'create',
          { partitionKey: destination, rowKey: markerKey(m.key), key: m.key, seq, createdAt: now },
        ]);
        const fields: EntryFields = {
          deliveryId: randomUUID(),
          key: m.key,
          kind: m.kind,
          runId: m.runId,
          job: m.job,
          actor: m.actor,
          status: 'pending',
          attempts: 0,
          createdAt: now,
          nextAttemptAt: now,
          leaseUntil: '',
          leaseOwner: '',
          lastError: '',
          lastStatus: 0,
        };
        actions.push([
          'create',
          { partitionKey: destination, rowKey: seqKey(seq), ...fields, ...textProperties(m.payload) },
        ]);
      });
      try {
        await t.submitTransaction(actions);
        return fresh.length;
      } catch (err) {
        const status = statusOf(err);
        // 409: a concurrent enqueue took the counter's first write or one of the keys; 412: the counter moved.
        if ((status === 409 || status === 412) && attempt < 20) continue;
        throw storageError(`enqueue ${fresh.length} ${destination} message(s)`, err);
      }
    }
  }

  async function enqueue(destination: Destination, messages: readonly OutboxMessage[]): Promise<number> {
    if (!opts.senders[destination]) return 0;
    const t = await outboxTable.client();
    let stored = 0;
    let group: OutboxMessage[] = [];
    let bytes = 0;
    const flush = async (): Promise<void> => {
      if (group.length > 0) stored += await enqueueGroup(t, destination, group);
      group = [];
      bytes = 0;
    };
    for (const m of messages) {
      const size = Buffer.byteLength(m.payload, 'utf8');
      if (group.length >= TX_MESSAGES || (group.length > 0 && bytes + size > TX_BYTES)) await flush();
      group.push(m);
      bytes += size;
    }
    await flush();
    return stored;
  }

  function toStored(e: Record<string, unknown> & { rowKey?: string; etag: string }): StoredEntry {
    const rowKey = String(e.rowKey);
    return {
      seq: Number(rowKey.slice(ENTRY_FROM.length)),
      rowKey,
      etag: e.etag,
      deliveryId: String(e.deliveryId),
      key: String(e.key),
      kind: e.kind as StoredEntry['kind'],
      runId: String(e.runId),
      job: e.job as JobName,
      actor: e.actor as Actor,
      status: e.status === 'sending' ? 'sending' : 'pending',
      attempts: Number(e.attempts ?? 0),
      createdAt: text(e.createdAt),
      nextAttemptAt: text(e.nextAttemptAt),
      leaseUntil: text(e.leaseUntil),
      leaseOwner: text(e.leaseOwner),
      lastError: text(e.lastError),
      lastStatus: Number(e.lastStatus ?? 0),
      payload: textFrom(e),
    };
  }

  function fieldsOf(e: StoredEntry): EntryFields {
    const { seq: _s, rowKey: _r, etag: _e, payload: _p, ...fields } = e;
    return fields;
  }

  async function head(t: TableClient, destination: Destination): Promise<StoredEntry | undefined> {
    const filter = odata`PartitionKey eq ${destination} and RowKey ge ${ENTRY_FROM} and RowKey lt ${ENTRY_TO}`;
    for await (const page of t
      .listEntities<Record<string, unknown>>({ queryOptions: { filter } })
      .byPage({ maxPageSize: 1 })) {
      const first = page[0];
      if (first) return toStored(first);
      // An empty page with a continuation token can happen: keep reading.
    }
    return undefined;
  }

  async function pendingCount(destination: Destination): Promise<number> {
    const t = await outboxTable.client();
    const filter = odata`PartitionKey eq ${destination} and RowKey ge ${ENTRY_FROM} and RowKey lt ${ENTRY_TO}`;
    let n = 0;
    for await (const _ of t.listEntities({ queryOptions: { filter, select: ['RowKey'] } })) n++;
    return n;
  }

  /** Replace the entry if nobody changed it since `etag`; the new etag, or undefined when we lost the race. */
  async function replaceIf(
    t: TableClient,
    destination: Destination,
    e: StoredEntry,
    fields: EntryFields,
    payload: string,
  ): Promise<string | undefined> {
    try {
      const r = await t.updateEntity(
        { partitionKey: destination, rowKey: e.rowKey, ...fields, ...textProperties(payload) },
        'Replace',
        { etag: e.etag },
      );
      return r.etag ?? '';
    } catch (err) {
      const status = statusOf(err);
      if (status === 412 || status === 404) return undefined;
      throw storageError(`update ${destination} entry ${e.seq}`, err);
    }
  }

  async function park(
    t: TableClient,
    destination: Destination,
    e: StoredEntry,
    etag: string,
    attempts: number,
    result: Extract<SendResult, { ok: false }>,
  ): Promise<ParkedEntry | undefined> {
    const dead = await deadTable.client();
    const parkedAt = clock.now();
    const fields: EntryFields = {
      ...fieldsOf(e),
      status: 'pending',
      attempts,
      lastError: result.error,
      lastStatus: result.status ?? 0,
      leaseUntil: '',
      leaseOwner: '',
    };
    try {
      await dead.upsertEntity(
        {
          partitionKey: destination,
          rowKey: e.rowKey,
          ...fields,
          parkedAt: parkedAt.toISOString(),
          ...textProperties(e.payload),
        },
        'Replace',
      );
      await t.deleteEntity(destination, e.rowKey, { etag });
    } catch (err) {
      if (statusOf(err) === 412 || statusOf(err) === 404) return undefined; // another instance took it over after our lease ran out
      throw storageError(`park ${destination} entry ${e.seq}`, err);
    }
    return {
      destination,
      seq: e.seq,
      deliveryId: e.deliveryId,
      key: e.key,
      kind: e.kind,
      runId: e.runId,
      job: e.job,
      actor: e.actor,
      attempts,
      ...(result.status !== undefined ? { lastStatus: result.status } : {}),
      lastError: result.error,
      parkedAt,
      deadLetterTable: deadTable.name,
    };
  }

  async function deliverDestination(destination: Destination, send: Sender): Promise<DestinationReport> {
    const t = await outboxTable.client();
    const report: DestinationReport = { delivered: 0, parked: 0, pending: 0 };
    for (let n = 0; ; n++) {
      if (n >= maxPerPass) {
        report.blocked = { reason: 'limit' };
        break;
      }
      const e = await head(t, destination);
      if (!e) break;
      const now = clock.now();
      if (e.status === 'sending' && e.leaseUntil && Date.parse(e.leaseUntil) > now.getTime()) {
        report.blocked = { reason: 'in-flight', until: new Date(e.leaseUntil) };
        break;
      }
      if (e.nextAttemptAt && Date.parse(e.nextAttemptAt) > now.getTime()) {
        report.blocked = { reason: 'backoff', until: new Date(e.nextAttemptAt), lastError: e.lastError };
        break;
      }
      if (e.status === 'sending') {
        log.warn(
          `outbox: ${destination} entry ${e.seq} (run ${e.runId}, delivery ${e.deliveryId}) was being sent by an instance that stopped; sending it again (it may arrive twice)`,
        );
      }
      const attempts = e.attempts + 1;
      const claimed: EntryFields = {
        ...fieldsOf(e),
        status: 'sending',
        attempts,
        leaseUntil: new Date(now.getTime() + leaseMs).toISOString(),
        leaseOwner: owner,
      };
      const etag = await replaceIf(t, destination, e, claimed, e.payload);
      if (etag === undefined) {
        report.blocked = { reason: 'claimed-elsewhere' };
        break;
      }
      let result: SendResult;
      try {
        result = await send({
          destination,
          seq: e.seq,
          deliveryId: e.deliveryId,
          kind: e.kind,
          runId: e.runId,
          payload: e.payload,
          attempt: attempts,
        });
      } catch (err) {
        result = { ok: false, error: redactSecrets(errorMessage(err)) };
      }
      const claimedEntry: StoredEntry = { ...e, ...claimed, etag };
      if (result.ok) {
        try {
          await t.deleteEntity(destination, e.rowKey, { etag });
        } catch (err) {
          const status = statusOf(err);
          if (status !== 412 && status !== 404)
            throw storageError(`mark ${destination} entry ${e.seq} delivered`, err);
          log.warn(
            `outbox: ${destination} entry ${e.seq} was taken over by another instance while this one delivered it (lease ${leaseMs} ms ran out)`,
          );
        }
        report.delivered++;
        continue;
      }
      const error = redactSecrets(result.error);
      const payload = result.remainingPayload ?? e.payload;
      if (result.permanent || attempts >= maxAttempts) {
        const parked = await park(t, destination, { ...claimedEntry, payload }, etag, attempts, {
          ...result,
          error,
        });
        if (!parked) {
          report.blocked = { reason: 'claimed-elsewhere' };
          break;
        }
        report.parked++;
        log.error(
          `outbox: parked ${destination} ${e.kind} of run ${e.runId} (delivery ${e.deliveryId}) in table ${deadTable.name} after ${attempts} attempt(s)${result.permanent ? ' (refused by the destination)' : ''}: ${error}`,
        );
        if (e.kind !== 'alert' && opts.alertsFor) {
          for (const a of opts.alertsFor(parked)) await enqueue(a.destination, [a.message]);
        }
        continue;
      }
      const delay = Math.max(Math.min(maxMs, baseMs * 2 ** (attempts - 1)), result.retryAfterMs ?? 0);
      const nextAttemptAt = new Date(now.getTime() + delay);
      const waiting: EntryFields = {
        ...claimed,
        status: 'pending',
        leaseUntil: '',
        leaseOwner: '',
        nextAttemptAt: nextAttemptAt.toISOString(),
        lastError: error,
        lastStatus: result.status ?? 0,
      };
      await replaceIf(t, destination, claimedEntry, waiting, payload);
      log.warn(
        `outbox: ${destination} ${e.kind} of run ${e.runId} failed (attempt ${attempts}/${maxAttempts}): ${error}; next try after ${nextAttemptAt.toISOString()}`,
      );
      report.blocked = { reason: 'backoff', until: nextAttemptAt, lastError: error };
      break;
    }
    report.pending = await pendingCount(destination);
    return report;
  }

  async function deliverPending(): Promise<DeliveryReport> {
    const active = DESTINATIONS.filter((d) => opts.senders[d]);
    const reports = await Promise.all(
      active.map(async (d) => [d, await deliverDestination(d, opts.senders[d] as Sender)] as const),
    );
    const out: DeliveryReport = { delivered: 0, parked: 0, pending: 0, destinations: {} };
    for (const [d, r] of reports) {
      out.destinations[d] = r;
      out.delivered += r.delivered;
      out.parked += r.parked;
      out.pending += r.pending;
    }
    return out;
  }

  async function parked(destination: Destination): Promise<ParkedEntry[]> {
    const dead = await deadTable.client();
    const out: ParkedEntry[] = [];
    for await (const e of dead.listEntities<Record<string, unknown>>({
      queryOptions: { filter: odata`PartitionKey eq ${destination}` },
    })) {
      const s = toStored(e);
      out.push({
        destination,
        seq: s.seq,
        deliveryId: s.deliveryId,
        key: s.key,
        kind: s.kind,
        runId: s.runId,
        job: s.job,
        actor: s.actor,
        attempts: s.attempts,
        ...(s.lastStatus ? { lastStatus: s.lastStatus } : {}),
        lastError: s.lastError,
        parkedAt: new Date(String(e.parkedAt)),
        deadLetterTable: deadTable.name,
      });
    }
    return out;
  }

  return {
    enqueue,
    deliverPending,
    pendingCount,
    parked,
    tables: { outbox: outboxTable.name, deadLetter: deadTable.name },
  };
}
