import { performance } from 'node:perf_hooks';
import { createAzureClients } from '../azure/clients';
import { discoverFleet } from '../fleet/inventory';
import { silentLogger } from '../log';
import { generatedFleet } from '../sim/fleet/generate';
import { fuzzHttpApi, type FuzzReport } from './httpFuzz';
import { percentile, withServedLocal } from './servedLocal';

export interface ApiLatency {
  clients: number;
  requests: number;
  byStatus: Record<string, number>;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  wallMs: number;
}

/**
 * `POST /api/upgrades` through `aks-day2 serve` (in this process) on a generated fleet: `clients`
 * concurrent clients, each cluster asked once (accept: validate, read the cluster and make the
 * pre-checks, store the run; enqueue for the worker). The worker and timers are off, so only the API
 * is measured.
 */
export async function benchUpgradesApi(clusters = 500, clients = 50): Promise<ApiLatency> {
  return withServedLocal(
    { fleet: generatedFleet({ clusters, subscriptions: 20, seed: 11 }) },
    { timers: false, queues: false },
    async (url, local) => {
      const inv = await discoverFleet(createAzureClients(local.settings), [], silentLogger);
      const ids = inv.clusters.map((c) => c.id);
      const latencies: number[] = [];
      const byStatus: Record<string, number> = {};
      let next = 0;
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: clients }, async () => {
          while (next < ids.length) {
            const id = ids[next++]!;
            const s = performance.now();
            const res = await fetch(`${url}/api/upgrades`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ cluster: id, to: 'latest-patch' }),
            });
            await res.arrayBuffer();
            latencies.push(performance.now() - s);
            byStatus[res.status] = (byStatus[res.status] ?? 0) + 1;
          }
        }),
      );
      const wallMs = performance.now() - t0;
      latencies.sort((a, b) => a - b);
      return {
        clients,
        requests: latencies.length,
        byStatus,
        p50Ms: percentile(latencies, 50),
        p99Ms: percentile(latencies, 99),
        maxMs: latencies[latencies.length - 1] ?? 0,
        wallMs,
      };
    },
  );
}

/** The HTTP fuzz at full size (10,000 requests) through `aks-day2 serve` on the demo fleet. */
export async function benchHttpFuzz(runs = 10_000): Promise<FuzzReport & { wallMs: number }> {
  return withServedLocal(
    { startTime: '2026-01-12T06:00:00Z' },
    { easyAuth: true, timers: false },
    async (url, local) => {
      const inv = await discoverFleet(createAzureClients(local.settings), [], silentLogger);
      const t0 = performance.now();
      const r = await fuzzHttpApi(
        url,
        inv.clusters.map((c) => c.name),
        { runs, concurrency: 32 },
      );
      return { ...r, wallMs: performance.now() - t0 };
    },
  );
}
