import type { FindingStore } from '../state/findingStore';
import type { FindingKind, NodeImageDecision } from './plan';

/**
 * Node-image findings (an image to report, a pool left to AKS, a stopped cluster, a halted ring, a failed
 * upgrade not retried, a bad tag) are told once per (cluster, pool, image, kind), not every hour. A
 * finding that disappears is forgotten, so it is told again if it comes back (FindingStore, scope
 * `node-image`).
 */
export type { FindingKind } from './plan';

export const FINDING_SCOPE = 'node-image';

/** The finding a decision is (its structured `finding`), or undefined when it is routine (waiting for a window, a soak, a busy pool). */
export function findingKind(d: Pick<NodeImageDecision, 'kind' | 'finding'>): FindingKind | undefined {
  if (d.kind === 'upgrade') return undefined;
  return d.finding ?? (d.kind === 'notify' ? 'notify' : undefined);
}

type Store = Pick<FindingStore, 'reported' | 'add' | 'remove'>;

export class NodeImageFindings {
  private readonly current = new Map<string, Set<string>>();

  private constructor(
    private readonly store: Store,
    private readonly reported: Map<string, Set<string>>,
    private readonly dryRun: boolean,
  ) {}

  static async load(store: Store, dryRun: boolean): Promise<NodeImageFindings> {
    return new NodeImageFindings(store, await store.reported(FINDING_SCOPE), dryRun);
  }

  /** Notes the finding as current; true when it was not told before (always true in a dry run). */
  isNew(kind: FindingKind, clusterId: string, subject: string, value: string): boolean {
    const id = clusterId.toLowerCase();
    const key = `${kind}|${subject}|${value}`;
    const set = this.current.get(id) ?? new Set<string>();
    set.add(key);
    this.current.set(id, set);
    return this.dryRun || !(this.reported.get(id)?.has(key) ?? false);
  }

  /** Remembers the new findings and forgets, for the clusters read this run, those that are gone. Not in a dry run. */
  async save(clusterIdsRead: readonly string[], now: Date): Promise<void> {
    if (this.dryRun) return;
    for (const [id, keys] of this.current) {
      for (const k of keys)
        if (!(this.reported.get(id)?.has(k) ?? false)) await this.store.add(FINDING_SCOPE, id, k, now);
    }
    for (const raw of clusterIdsRead) {
      const id = raw.toLowerCase();
      for (const k of this.reported.get(id) ?? [])
        if (!(this.current.get(id)?.has(k) ?? false)) await this.store.remove(FINDING_SCOPE, id, k);
    }
  }
}
