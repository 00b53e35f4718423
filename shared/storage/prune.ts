import type { TableClient, TransactionAction } from '@azure/data-tables';
import { isConflict, isNotFound } from './tables';

export interface RowKeys {
  partitionKey: string;
  rowKey: string;
}

/** Entity-group transactions hold at most 100 operations, all in one partition. */
const BATCH = 100;

/**
 * Deletes `rows` (housekeeping), 100 at a time per partition in one transaction; a batch that meets a
 * row already gone (a concurrent delete) is redone row by row, ignoring the gone ones. Returns how many
 * rows are gone.
 */
export async function deleteRows(t: TableClient, rows: readonly RowKeys[]): Promise<number> {
  const byPartition = new Map<string, string[]>();
  for (const r of rows) {
    const list = byPartition.get(r.partitionKey) ?? [];
    list.push(r.rowKey);
    byPartition.set(r.partitionKey, list);
  }
  let n = 0;
  for (const [pk, rks] of byPartition) {
    for (let i = 0; i < rks.length; i += BATCH) {
      const batch = rks.slice(i, i + BATCH);
      const actions: TransactionAction[] = batch.map((rk) => ['delete', { partitionKey: pk, rowKey: rk }]);
      try {
        await t.submitTransaction(actions);
      } catch (err) {
        if (!isNotFound(err) && !isConflict(err)) throw err;
        for (const rk of batch) {
          await t.deleteEntity(pk, rk).catch((e: unknown) => {
            if (!isNotFound(e)) throw e;
          });
        }
      }
      n += batch.length;
    }
  }
  return n;
}

/** Keys of the rows matching an OData `filter` (only the keys and `select` are read). */
export async function rowsWhere<T extends object = Record<string, unknown>>(
  t: TableClient,
  filter: string,
  select: string[] = [],
): Promise<Array<RowKeys & T>> {
  const out: Array<RowKeys & T> = [];
  for await (const e of t.listEntities<T>({
    queryOptions: { filter, select: ['PartitionKey', 'RowKey', ...select] },
  }))
    out.push(e as RowKeys & T);
  return out;
}
