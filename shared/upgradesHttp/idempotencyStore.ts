import { createHash } from 'node:crypto';
import type { TableClient } from '@azure/data-tables';
import { isConflict, isNotFound, Tables } from '../storage/tables';

/** A response kept for repeats of a request with the same Idempotency-Key. */
export interface StoredResponse {
  status: number;
  /** Set when the response is about a run: repeats answer with the run as it is now. */
  runId?: string;
  location?: string;
  /** The body, when it fits (a dry run's plan); absent when the run is re-read instead. */
  body?: string;
}

export type Claim =
  | { kind: 'owner'; release(response: StoredResponse | undefined): Promise<void> }
  | { kind: 'done'; response: StoredResponse }
  | { kind: 'other-body' }
  | { kind: 'in-progress' };

interface Entity {
  partitionKey: string;
  rowKey: string;
  requestHash: string;
  state: 'pending' | 'done';
  startedAt: Date;
  status?: number;
  runId?: string;
  location?: string;
  bodyChunks?: number;
  [chunk: `body${number}`]: string;
}

const TABLE = 'idempotency';
/** Table string properties hold 32K UTF-16 characters; a body is kept in up to 12 chunks (a dry run's plan fits). */
const CHUNK = 30_000;
const MAX_CHUNKS = 12;

export interface IdempotencyOptions {
  /** A key older than this is forgotten: the next request with it is new (24 h). */
  ttlMs?: number;
  /** A request holding a key longer than this is presumed crashed and another may take the key over (60 s). */
  staleMs?: number;
  /** How long a repeat waits for the first request with its key to finish before answering 409 (30 s). */
  waitMs?: number;
}

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * `Idempotency-Key` of the HTTP API, in Table `<prefix>idempotency`: one row per (caller, route, key),
 * keyed by the SHA-256 of the three (a key of any length or content makes a bounded Table key). The
 * first request inserts the row (`pending`), does the work and stores its response (`done`); a repeat
 * with the same body gets that response; with another body, `other-body` (422). Concurrent repeats
 * wait for the first. Rows older than 24 h are forgotten and pruned by housekeeping.
 */
export class IdempotencyStore {
  private readonly ttlMs: number;
  private readonly staleMs: number;
  private readonly waitMs: number;

  constructor(
    private readonly tables: Tables,
    private readonly now: () => Date,
    opts: IdempotencyOptions = {},
  ) {
    this.ttlMs = opts.ttlMs ?? 24 * 3_600_000;
    this.staleMs = opts.staleMs ?? 60_000;
    this.waitMs = opts.waitMs ?? 30_000;
  }

  static keyOf(scope: string, key: string): { partitionKey: string; rowKey: string } {
    const h = sha256(`${scope}\u0000${key}`);
    return { partitionKey: h.slice(0, 2), rowKey: h };
  }

  static hashBody(canonicalJson: string): string {
    return sha256(canonicalJson);
  }

  async claim(scope: string, key: string, requestHash: string): Promise<Claim> {
    const id = IdempotencyStore.keyOf(scope, key);
    return this.tables.use(TABLE, 'claim an idempotency key', async (t) => {
      const deadline = Date.now() + this.waitMs;
      for (let attempt = 0; ; attempt++) {
        const fresh: Entity = { ...id, requestHash, state: 'pending', startedAt: this.now() };
        try {
          await t.createEntity(fresh);
          return this.owner(t, fresh);
        } catch (err) {
          if (!isConflict(err)) throw err;
        }
        let existing;
        try {
          existing = await t.getEntity<Entity>(id.partitionKey, id.rowKey);
        } catch (err) {
          if (isNotFound(err)) continue; // released in between: try again
          throw err;
        }
        const age = this.now().getTime() - new Date(existing.startedAt).getTime();
        if (age > this.ttlMs) {
          await this.forget(t, id, existing.etag);
          continue;
        }
        if (existing.requestHash !== requestHash) return { kind: 'other-body' };
        if (existing.state === 'done') return { kind: 'done', response: readResponse(existing) };
        if (age > this.staleMs) {
          try {
            await t.updateEntity({ ...fresh }, 'Replace', { etag: existing.etag });
            return this.owner(t, fresh);
          } catch (err) {
            if (!isConflict(err) && !isNotFound(err)) throw err;
            continue;
          }
        }
        if (Date.now() > deadline) return { kind: 'in-progress' };
        await sleep(Math.min(500, 50 * (attempt + 1)));
      }
    });
  }

  private owner(t: TableClient, entity: Entity): Claim {
    return {
      kind: 'owner',
      release: async (response) => {
        if (!response) {
          // The request failed: forget the key, so a retry with it is a new request.
          await t.deleteEntity(entity.partitionKey, entity.rowKey).catch((err: unknown) => {
            if (!isNotFound(err)) throw err;
          });
          return;
        }
        const chunks: Record<string, string> = {};
        let bodyChunks = 0;
        if (response.body !== undefined && response.body.length <= CHUNK * MAX_CHUNKS) {
          for (let i = 0; i * CHUNK < response.body.length || i === 0; i++) {
            chunks[`body${i}`] = response.body.slice(i * CHUNK, (i + 1) * CHUNK);
            bodyChunks = i + 1;
          }
        }
        await t.updateEntity(
          {
            ...entity,
            state: 'done',
            status: response.status,
            ...(response.runId ? { runId: response.runId } : {}),
            ...(response.location ? { location: response.location } : {}),
            bodyChunks,
            ...chunks,
          },
          'Replace',
        );
      },
    };
  }

  private async forget(
    t: TableClient,
    id: { partitionKey: string; rowKey: string },
    etag: string,
  ): Promise<void> {
    try {
      await t.deleteEntity(id.partitionKey, id.rowKey, { etag });
    } catch (err) {
      if (!isConflict(err) && !isNotFound(err)) throw err;
    }
  }

  /** Deletes rows older than `before` (housekeeping); returns how many. */
  async prune(before: Date): Promise<number> {
    return this.tables.use(TABLE, 'prune idempotency keys', async (t) => {
      let n = 0;
      for await (const e of t.listEntities<Entity>({
        queryOptions: { filter: `startedAt lt datetime'${before.toISOString()}'`, select: ['startedAt'] },
      })) {
        await t.deleteEntity(e.partitionKey, e.rowKey).catch((err: unknown) => {
          if (!isNotFound(err)) throw err;
        });
        n++;
      }
      return n;
    });
  }
}

function readResponse(e: Entity): StoredResponse {
  let body: string | undefined;
  if (e.bodyChunks) {
    body = '';
    for (let i = 0; i < e.bodyChunks; i++) body += e[`body${i}`] ?? '';
  }
  return {
    status: e.status ?? 200,
    ...(e.runId ? { runId: e.runId } : {}),
    ...(e.location ? { location: e.location } : {}),
    ...(body !== undefined ? { body } : {}),
  };
}
