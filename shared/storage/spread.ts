import { createHash } from 'node:crypto';
import { odata, type TableClient, type TableEntityResult } from '@azure/data-tables';
import { isConflict, isNotFound } from './tables';

/**
 * Rows that grow with the fleet (a finding per pool, an operation per action, an event id per delivery)
 * are spread over partitions instead of sharing one. A Table partition is served by one server (its
 * throughput target is about 2,000 entities a second), and a write to a partition of n rows costs O(n)
 * in Azurite: with one partition per concept, a new node image on 50,000 clusters made each write scan
 * the whole partition. A spread partition is `<prefix>.<bucket>`, the bucket two hex digits of a hash
 * of the row's own key, so a row's partition follows from what identifies it.
 */

/**
 * Partitions per concept: 64 keeps each at about 1,000 rows at 50,000 clusters. The price is paid by batch
 * writes of a small fleet: its changes take up to 64 transactions where one partition took a few.
 */
export const SPREAD_BUCKETS = 64;

/** `<prefix>.<bucket>`, the bucket (00–3f) from `key`. */
export function spreadPartition(prefix: string, key: string): string {
  const bucket = createHash('sha256').update(key).digest()[0]! % SPREAD_BUCKETS;
  return `${prefix}.${bucket.toString(16).padStart(2, '0')}`;
}

/** OData filter for every partition `spreadPartition(prefix, …)` can return (one range, read in key order). */
export function spreadRange(prefix: string): string {
  const p = prefix.replace(/'/g, "''");
  return `PartitionKey ge '${p}.' and PartitionKey lt '${p}.~'`;
}

/** The prefix of a spread partition key (a key that is not spread is returned as it is). */
export function spreadPrefix(partitionKey: string): string {
  return /\.[0-9a-f]{2}$/.test(partitionKey) ? partitionKey.slice(0, -3) : partitionKey;
}

/**
 * Moves the rows an earlier version stored under other keys: each row `filter` selects goes to the keys
 * `to(row)` gives (a row whose keys would not change stays where it is), all properties kept. A row already at its new keys is
 * newer and stays as it is (insert-if-absent), so two instances moving at once, or a move after a newer
 * write, never go back. Returns how many rows were moved.
 */
export async function moveRows(
  t: TableClient,
  filter: string,
  to: (row: TableEntityResult<Record<string, unknown>>) => { partitionKey: string; rowKey: string },
): Promise<number> {
  let moved = 0;
  for await (const row of t.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) {
    const keys = to(row);
    const { etag, timestamp: _ts, partitionKey, rowKey, ...props } = row;
    if (keys.partitionKey === partitionKey && keys.rowKey === rowKey) continue;
    try {
      await t.createEntity({ ...props, ...keys });
      moved++;
    } catch (err) {
      if (!isConflict(err)) throw err;
    }
    await t.deleteEntity(partitionKey!, rowKey!, { etag }).catch((err: unknown) => {
      if (!isConflict(err) && !isNotFound(err)) throw err;
    });
  }
  return moved;
}

/** Moves the rows an earlier version kept in the one partition `from` to their spread partitions (`to(row)`), row keys kept. */
export function moveToSpread(
  t: TableClient,
  from: string,
  to: (row: TableEntityResult<Record<string, unknown>>) => string,
): Promise<number> {
  return moveRows(t, odata`PartitionKey eq ${from}`, (row) => ({
    partitionKey: to(row),
    rowKey: row.rowKey!,
  }));
}
