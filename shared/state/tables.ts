import { TableClient, type TableEntityResult, RestError } from '@azure/data-tables';
import { tableClientFor, type StorageConnection } from '../azure/storage';
import { Day2Error, errorMessage } from '../errors';

/**
 * Table storage for the app's state (AzureWebJobsStorage: Azurite locally). Tables are created on
 * first use; `prefix` isolates tests (and lets two deployments share an account).
 */
export class Tables {
  private readonly clients = new Map<string, Promise<TableClient>>();
  constructor(
    private readonly connection: StorageConnection,
    private readonly prefix = 'day2',
  ) {}

  table(name: string): Promise<TableClient> {
    const full = `${this.prefix}${name}`;
    let c = this.clients.get(full);
    if (!c) {
      const client = tableClientFor(this.connection, full);
      c = client.createTable().then(
        () => client,
        (err: unknown) => {
          this.clients.delete(full);
          throw new Day2Error('StorageFailed', `cannot create table ${full}: ${(err as Error).message}`, {
            operation: 'storage',
            cause: err,
          });
        },
      );
      this.clients.set(full, c);
    }
    return c;
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
