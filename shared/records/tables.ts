import type { TableClient } from '@azure/data-tables';
import { tableClientFor, type StorageConnection } from '../azure/storage';
import { Day2Error } from '../errors';

/**
 * A TableClient for one table, created on first use (a connection string locally, the identity-based
 * service URI in Azure: shared/azure/storage.ts).
 */
export interface LazyTable {
  readonly name: string;
  /** The client, after the table exists. */
  client(): Promise<TableClient>;
}

export function lazyTable(connection: StorageConnection, name: string): LazyTable {
  if (!/^[A-Za-z][A-Za-z0-9]{2,62}$/.test(name)) {
    throw new Day2Error(
      'ConfigInvalid',
      `"${name}" is not a valid table name (3-63 letters and digits, starting with a letter)`,
      { operation: 'open table' },
    );
  }
  const table = tableClientFor(connection, name);
  let created: Promise<void> | undefined;
  return {
    name,
    async client() {
      created ??= table.createTable().catch((err: unknown) => {
        created = undefined;
        throw new Day2Error(
          'StorageFailed',
          `cannot create table ${name}: ${String((err as Error).message)}`,
          { operation: 'create table', cause: err },
        );
      });
      await created;
      return table;
    },
  };
}

/** HTTP status of a storage error (RestError), if any. */
export function statusOf(err: unknown): number | undefined {
  const s = (err as { statusCode?: unknown } | undefined)?.statusCode;
  return typeof s === 'number' ? s : undefined;
}

/** Runs `fn` over `items` with at most `limit` at a time; resolves when all are done, rejects on the first failure. */
export async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as T;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
