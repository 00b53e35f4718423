import { boundedKey } from '../storage/keys';
import type { TransactionAction } from '@azure/data-tables';
import { keyOf, Tables } from '../storage/tables';
import { deleteRows, rowsWhere } from '../storage/prune';

interface FindingEntity {
  clusterId: string;
  finding: string;
  firstAt: string;
}

/**
 * Findings already reported, by cluster: a bad tag value is reported once per (cluster, finding), not
 * on every tick. A finding that disappears (the tag was fixed) is forgotten, so it is reported again if
 * it comes back. `scope` separates jobs (each job reports the tags it reads).
 */
/** Changes per entity-group transaction (the Table service's limit). */
const BATCH = 100;

export class FindingStore {
  constructor(private readonly tables: Tables) {}

  /** Findings of `scope` already reported: cluster id lower-case → finding keys. */
  async reported(scope: string): Promise<Map<string, Set<string>>> {
    const filter = `PartitionKey eq '${scope.replace(/'/g, "''")}'`;
    return this.tables.use('findings', `read the ${scope} findings`, async (t) => {
      const out = new Map<string, Set<string>>();
      for await (const e of t.listEntities<FindingEntity>({ queryOptions: { filter } })) {
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
      t.upsertEntity(
        {
          partitionKey: scope,
          rowKey: rowKey(id, finding),
          clusterId: id,
          finding,
          firstAt: at.toISOString(),
        },
        'Replace',
      ),
    );
  }

  async remove(scope: string, clusterId: string, finding: string): Promise<void> {
    await this.tables.use('findings', `forget the ${scope} finding ${finding} of ${clusterId}`, (t) =>
      t.deleteEntity(scope, rowKey(clusterId.toLowerCase(), finding)),
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
        old.filter((r) => !keep({ scope: r.partitionKey, clusterId: r.clusterId, finding: r.finding })),
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
    const actions: TransactionAction[] = [
      ...add.map((f): TransactionAction => {
        const id = f.clusterId.toLowerCase();
        return [
          'upsert',
          {
            partitionKey: scope,
            rowKey: rowKey(id, f.finding),
            clusterId: id,
            finding: f.finding,
            firstAt: at.toISOString(),
          },
          'Replace',
        ];
      }),
      ...remove.map((f): TransactionAction => [
        'delete',
        { partitionKey: scope, rowKey: rowKey(f.clusterId.toLowerCase(), f.finding) },
      ]),
    ];
    // A row is changed once per call: a transaction refuses two actions on one row.
    for (let i = 0; i < actions.length; i += BATCH) {
      const batch = actions.slice(i, i + BATCH);
      await this.tables.use('findings', `record ${batch.length} ${scope} findings`, (t) =>
        t.submitTransaction(batch),
      );
    }
  }
}

/** The finding holds tag values: bounded, so a 256-character or CJK value is a valid key. */
function rowKey(clusterIdLower: string, finding: string): string {
  return boundedKey(`${keyOf(clusterIdLower)}.${Buffer.from(finding).toString('base64url')}`, 500);
}
