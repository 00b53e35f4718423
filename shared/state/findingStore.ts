import { keyOf, Tables } from '../storage/tables';

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
}

function rowKey(clusterIdLower: string, finding: string): string {
  return `${keyOf(clusterIdLower)}.${Buffer.from(finding).toString('base64url')}`;
}
