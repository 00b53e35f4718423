/** ARM request counters (total, per operationId, per subscription, per status), resettable: benchmarks count ARM calls with them. */
export interface CounterSnapshot {
  total: number;
  byOperation: Record<string, number>;
  bySubscription: Record<string, number>;
  byStatus: Record<string, number>;
  since: string;
}

export class RequestCounters {
  private snap: CounterSnapshot = {
    total: 0,
    byOperation: {},
    bySubscription: {},
    byStatus: {},
    since: new Date().toISOString(),
  };

  count(operation: string, subscription: string | undefined): void {
    this.snap.total++;
    this.snap.byOperation[operation] = (this.snap.byOperation[operation] ?? 0) + 1;
    const sub = subscription?.toLowerCase() ?? '(tenant)';
    this.snap.bySubscription[sub] = (this.snap.bySubscription[sub] ?? 0) + 1;
  }

  status(code: number): void {
    this.snap.byStatus[String(code)] = (this.snap.byStatus[String(code)] ?? 0) + 1;
  }

  get(): CounterSnapshot {
    return structuredClone(this.snap);
  }

  reset(): void {
    this.snap = {
      total: 0,
      byOperation: {},
      bySubscription: {},
      byStatus: {},
      since: new Date().toISOString(),
    };
  }
}
