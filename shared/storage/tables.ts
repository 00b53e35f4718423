import { TableClient, type TableEntityResult, RestError } from '@azure/data-tables';
import { Day2Error, errorMessage } from '../errors';

/**
 * The app's one Table storage layer (AzureWebJobsStorage; Azurite locally): every store (operations,
 * locks, edges, runs, outbox, …) opens its tables here. Tables are created on first use. Plain HTTP is
 * allowed only for a loopback endpoint (Azurite: `UseDevelopmentStorage=true`, `http://127.0.0.1`,
 * `http://localhost`, `http://[::1]`); anything else must be HTTPS (the SDK refuses plain HTTP).
 */

const TABLE_NAME = /^[A-Za-z][A-Za-z0-9]{2,62}$/;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** True when the connection string points at a storage emulator on this machine (plain HTTP allowed). */
export function isLoopbackStorage(connectionString: string): boolean {
  if (/(^|;)\s*UseDevelopmentStorage=true\s*(;|$)/i.test(connectionString)) return true;
  const endpoint = /(?:^|;)\s*TableEndpoint=([^;]+)/i.exec(connectionString)?.[1];
  if (!endpoint) return false;
  try {
    return LOOPBACK.has(new URL(endpoint.trim()).hostname.toLowerCase());
  } catch {
    return false;
  }
}

/** A TableClient for `name` (validated), with plain HTTP allowed only for a loopback endpoint. */
export function tableClient(connectionString: string, name: string): TableClient {
  if (!TABLE_NAME.test(name)) {
    throw new Day2Error(
      'ConfigInvalid',
      `"${name}" is not a valid table name (3-63 letters and digits, starting with a letter)`,
      { operation: 'open table' },
    );
  }
  return TableClient.fromConnectionString(connectionString, name, {
    allowInsecureConnection: isLoopbackStorage(connectionString),
  });
}

/** A TableClient for one table, created on first use. */
export interface LazyTable {
  readonly name: string;
  /** The client, after the table exists. */
  client(): Promise<TableClient>;
}

export function lazyTable(connectionString: string, name: string): LazyTable {
  const table = tableClient(connectionString, name);
  let created: Promise<void> | undefined;
  return {
    name,
    async client() {
      created ??= table.createTable().catch((err: unknown) => {
        created = undefined;
        throw new Day2Error('StorageFailed', `cannot create table ${name}: ${errorMessage(err)}`, {
          operation: 'create table',
          cause: err,
        });
      });
      await created;
      return table;
    },
  };
}

/**
 * Named tables under one prefix (`prefix` isolates tests, and lets two deployments share an account).
 */
export class Tables {
  private readonly tables = new Map<string, LazyTable>();
  constructor(
    private readonly connectionString: string,
    private readonly prefix = 'day2',
  ) {}

  table(name: string): Promise<TableClient> {
    const full = `${this.prefix}${name}`;
    let t = this.tables.get(full);
    if (!t) {
      t = lazyTable(this.connectionString, full);
      this.tables.set(full, t);
    }
    return t.client();
  }

  /**
   * Runs `fn` on table `name`; a storage failure (any RestError: HTTP status, network) becomes one
   * Day2Error('StorageFailed') naming the table and `doing`, with the original as `cause`.
   */
  async use<T>(name: string, doing: string, fn: (t: TableClient) => Promise<T>): Promise<T> {
    const t = await this.table(name);
    try {
      return await fn(t);
    } catch (err) {
      throw storageError(err, `${this.prefix}${name}`, doing);
    }
  }
}

/** Normalises a storage failure: RestError → Day2Error('StorageFailed'); a Day2Error or any other error is returned as is. */
export function storageError(err: unknown, table: string, doing: string): unknown {
  if (!(err instanceof RestError)) return err;
  return new Day2Error(
    'StorageFailed',
    `table ${table}: cannot ${doing}: ${errorMessage(err)}${err.statusCode ? ` (HTTP ${err.statusCode})` : ''}`,
    {
      operation: doing,
      cause: err,
      ...(err.statusCode ? { statusCode: err.statusCode } : {}),
      ...(err.code ? { azureCode: err.code } : {}),
    },
  );
}

/** Table keys may not contain / \ # ? : cluster ids are encoded (reversibly) as base64url of the lower-cased id. */
export function keyOf(id: string): string {
  return Buffer.from(id.toLowerCase()).toString('base64url');
}

/** HTTP status of a storage error (RestError), if any. */
export function statusOf(err: unknown): number | undefined {
  const s = (err as { statusCode?: unknown } | undefined)?.statusCode;
  return typeof s === 'number' ? s : undefined;
}

export function isNotFound(err: unknown): boolean {
  return err instanceof RestError && err.statusCode === 404;
}

export function isConflict(err: unknown): boolean {
  return err instanceof RestError && (err.statusCode === 409 || err.statusCode === 412);
}

export async function getOrUndefined<T extends object>(
  t: TableClient,
  pk: string,
  rk: string,
): Promise<TableEntityResult<T> | undefined> {
  try {
    return await t.getEntity<T>(pk, rk);
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}
