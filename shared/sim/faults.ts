/**
 * Faults on demand (fleet file `faults[]` and the admin API): HTTP statuses and latency for matching
 * ARM requests, N times or at a rate; answers lost after ARM accepted the request (`dropResponse`);
 * failures of given long-running operations.
 */
import { randomUUID } from 'node:crypto';
import { FaultSchema, type Fault, type FaultInput } from './fleet/schema';
import type { FaultableOperation, InjectedFailure } from './operations';
import { armClusterId, type ClusterState } from './state';

export interface RequestFacts {
  method: string;
  path: string;
  operation: string;
  subscription?: string;
  cluster?: string;
}

type StoredFault = Fault & { id: string; used: number };

export class FaultStore {
  private faults: StoredFault[] = [];

  constructor(
    initial: Fault[] = [],
    private readonly random: () => number = Math.random,
  ) {
    for (const f of initial) this.add(f);
  }

  /** Validates with the fleet-file schema; throws the zod error text on a bad fault. */
  add(input: FaultInput | Fault): string {
    const f = FaultSchema.parse(input);
    const id = f.id ?? randomUUID();
    this.faults.push({ ...f, id, used: 0 });
    return id;
  }

  list(): StoredFault[] {
    return this.faults.map((f) => ({ ...f }));
  }

  remove(id: string): boolean {
    const n = this.faults.length;
    this.faults = this.faults.filter((f) => f.id !== id);
    return this.faults.length !== n;
  }

  clear(): void {
    this.faults = [];
  }

  private matches(f: Extract<StoredFault, { match: unknown }>, r: RequestFacts): boolean {
    const m = f.match;
    if (m.method && m.method.toUpperCase() !== r.method.toUpperCase()) return false;
    if (m.operation && m.operation.toLowerCase() !== r.operation.toLowerCase()) return false;
    if (m.path && !new RegExp(m.path, 'i').test(r.path)) return false;
    if (m.subscription && m.subscription.toLowerCase() !== (r.subscription ?? '').toLowerCase()) return false;
    if (m.cluster && m.cluster.toLowerCase() !== (r.cluster ?? '').toLowerCase()) return false;
    return true;
  }

  private fire(f: StoredFault): boolean {
    if (f.times !== undefined && f.used >= f.times) return false;
    if ('rate' in f && f.rate !== undefined && this.random() >= f.rate) return false;
    f.used++;
    return true;
  }

  /**
   * Total added latency for this request (each matching latency fault counts once): `before` the request
   * is carried out, or `after` it (faults with `afterHandling`).
   */
  latencyFor(r: RequestFacts, phase: 'before' | 'after' = 'before'): number {
    let ms = 0;
    for (const f of this.faults)
      if (
        f.type === 'latency' &&
        (f.afterHandling === true) === (phase === 'after') &&
        this.matches(f, r) &&
        this.fire(f)
      )
        ms += f.ms;
    return ms;
  }

  /**
   * True when the answer to this request, which ARM processed and accepted (a 2xx: the operation really
   * started), is to be lost: the connection is cut before the response reaches the client.
   */
  dropResponseFor(r: RequestFacts, status: number): boolean {
    if (status >= 300) return false;
    return this.faults.some((f) => f.type === 'dropResponse' && this.matches(f, r) && this.fire(f));
  }

  httpFaultFor(r: RequestFacts): Extract<Fault, { type: 'httpStatus' }> | undefined {
    for (const f of this.faults) if (f.type === 'httpStatus' && this.matches(f, r) && this.fire(f)) return f;
    return undefined;
  }

  /** An operationFailure fault for this operation of this cluster, consumed when found. */
  operationFailureFor(c: ClusterState, op: FaultableOperation, pools: string[]): InjectedFailure | undefined {
    for (const f of this.faults) {
      if (f.type !== 'operationFailure') continue;
      const who = f.cluster.toLowerCase();
      if (who !== c.name.toLowerCase() && who !== armClusterId(c).toLowerCase()) continue;
      if (f.operation !== 'any' && f.operation !== op) continue;
      if (f.pool && !pools.includes(f.pool)) continue;
      if (!this.fire(f)) continue;
      return { code: f.code, message: f.message, afterSeconds: f.afterSeconds, pool: f.pool };
    }
    return undefined;
  }
}
