import { boundedKey } from '../storage/keys';
import type { TableEntity, TransactionAction } from '@azure/data-tables';
import { keyOf, Tables } from '../storage/tables';
import { deleteRows, rowsWhere } from '../storage/prune';
import { moveToSpread, spreadPartition, spreadPrefix, spreadRange } from '../storage/spread';
import { oncePerKeyRetrying } from '../util/onceRetrying';

type FindingEntity = {
  clusterId: string;
  finding: string;
  firstAt: string;
};

/** Changes per entity-group transaction (the Table service's limit). */
const BATCH = 100;

/** A finding's partition: its scope, spread by cluster (storage/spread.ts). */
const partitionOf = (scope: string, clusterIdLower: string): string => spreadPartition(scope, clusterIdLower);

/**
 * Findings already reported, by cluster: a bad tag value is reported once per (cluster, finding), not
 * on every tick. A finding that disappears (the tag was fixed) is forgotten, so it is reported again if
 * it comes back. `scope` separates jobs (each job reports the tags it reads). Rows of a scope are spread
 * over partitions by cluster; rows an earlier version kept in one partition named `scope` are moved
 * there on the scope's first read.
 */
export class FindingStore {
  constructor(private readonly tables: Tables) {}

  /** Once per scope and store: the scope's single-partition rows moved to its spread partitions. */
  private readonly moveScope = oncePerKeyRetrying((scope) =>
    this.tables.use('findings', `move the ${scope} findings to spread partitions`, (t) =>
      moveToSpread(t, scope, (row) => partitionOf(scope, String(row.clusterId))),
    ),
  );

  /** Findings of `scope` already reported: cluster id lower-case → finding keys. */
  async reported(scope: string): Promise<Map<string, Set<string>>> {
    await this.moveScope(scope);
    return this.tables.use('findings', `read the ${scope} findings`, async (t) => {
      const out = new Map<string, Set<string>>();
      for await (const e of t.listEntities<FindingEntity>({ queryOptions: { filter: spreadRange(scope) } })) {
        const set = out.get(e.clusterId) ?? new Set<string>();
        set.add(e.finding);
        out.set(e.clusterId, set);
      }
      return out;
    });
  }

  async add(scope: string, clusterId: string, finding: string, at: Date): Promise<void> {
    const id = clusterId.toLowerCase();
    await this.tables.use('findings', `record the ${scope} finding ${finding} of ${clusterId}`, (t) =>
      t.upsertEntity(entity(scope, id, finding, at.toISOString()), 'Replace'),
    );
  }

  async remove(scope: string, clusterId: string, finding: string): Promise<void> {
    await this.tables.use('findings', `forget the ${scope} finding ${finding} of ${clusterId}`, (t) =>
      t.deleteEntity(partitionOf(scope, clusterId.toLowerCase()), rowKey(clusterId.toLowerCase(), finding)),
    );
  }

  /**
   * Housekeeping: deletes findings first recorded before `before`, except those `keep` says are still
   * needed. Returns how many were deleted.
   */
  async prune(
    before: Date,
    keep: (f: { scope: string; clusterId: string; finding: string }) => boolean = () => false,
  ): Promise<number> {
    return this.tables.use('findings', 'prune findings', async (t) => {
      const old = await rowsWhere<FindingEntity>(t, `firstAt lt '${before.toISOString()}'`, [
        'clusterId',
        'finding',
      ]);
      return deleteRows(
        t,
        old.filter(
          (r) => !keep({ scope: spreadPrefix(r.partitionKey), clusterId: r.clusterId, finding: r.finding }),
        ),
      );
    });
  }

  /**
   * Records and forgets many findings of one scope with entity-group transactions (one partition: up to
   * 100 changes a request), for stores that change a row per pool of the fleet (node-image first-seen).
   */
  async changeMany(
    scope: string,
    add: ReadonlyArray<{ clusterId: string; finding: string }>,
    remove: ReadonlyArray<{ clusterId: string; finding: string }>,
    at: Date,
  ): Promise<void> {
    const byPartition = new Map<string, TransactionAction[]>();
    const push = (clusterIdLower: string, action: TransactionAction): void => {
      const pk = partitionOf(scope, clusterIdLower);
      const list = byPartition.get(pk) ?? [];
      list.push(action);
      byPartition.set(pk, list);
    };
    for (const f of add) {
      const id = f.clusterId.toLowerCase();
      push(id, ['upsert', entity(scope, id, f.finding, at.toISOString()), 'Replace']);
    }
    for (const f of remove) {
      const id = f.clusterId.toLowerCase();
      push(id, ['delete', { partitionKey: partitionOf(scope, id), rowKey: rowKey(id, f.finding) }]);
    }
    // A row is changed once per call: a transaction refuses two actions on one row.
    for (const actions of byPartition.values()) {
      for (let i = 0; i < actions.length; i += BATCH) {
        const batch = actions.slice(i, i + BATCH);
        await this.tables.use('findings', `record ${batch.length} ${scope} findings`, (t) =>
          t.submitTransaction(batch),
        );
      }
    }
  }
}

const entity = (
  scope: string,
  clusterIdLower: string,
  finding: string,
  firstAt: string,
): TableEntity<FindingEntity> => ({
  partitionKey: partitionOf(scope, clusterIdLower),
  rowKey: rowKey(clusterIdLower, finding),
  clusterId: clusterIdLower,
  finding,
  firstAt,
});

/** The finding holds tag values: bounded, so a 256-character or CJK value is a valid key. */
function rowKey(clusterIdLower: string, finding: string): string {
  return boundedKey(`${keyOf(clusterIdLower)}.${Buffer.from(finding).toString('base64url')}`, 500);
}
