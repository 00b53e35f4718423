import { performance } from 'node:perf_hooks';
import { createAzureClients } from '../azure/clients';
import { discoverFleet } from '../fleet/inventory';
import { silentLogger } from '../log';
import { startLocalEnvironment } from '../local/localEnv';
import { startServe } from '../local/serve/serve';
import { generatedFleet } from '../sim/fleet/generate';
import { fuzzHttpApi, type FuzzReport } from './httpFuzz';

export interface ApiLatency {
  clients: number;
  requests: number;
  byStatus: Record<string, number>;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  wallMs: number;
}

const percentile = (sorted: number[], p: number): number =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : 0;

/**
 * `POST /api/upgrades` through `aks-day2 serve` (in this process) on a generated fleet: `clients`
 * concurrent clients, each cluster asked once (accept: validate, read the cluster and make the
 * pre-checks, store the run; enqueue for the worker). The worker and timers are off, so only the API
 * is measured.
 */
export async function benchUpgradesApi(clusters = 500, clients = 50): Promise<ApiLatency> {
  const saved = { ...process.env };
  const local = await startLocalEnvironment({
    fleet: generatedFleet({ clusters, subscriptions: 20, seed: 11 }),
  });
  try {
    const served = await startServe({
      port: 0,
      env: local.env,
      clock: { now: () => local.sim.clock.now() },
      log: silentLogger,
      timers: false,
      queues: false,
    });
    try {
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
            const res = await fetch(`${served.url}/api/upgrades`, {
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
    } finally {
      await served.close();
    }
  } finally {
    await local.close();
    process.env = saved;
  }
}

/** The HTTP fuzz at full size (10,000 requests) through `aks-day2 serve` on the demo fleet. */
export async function benchHttpFuzz(runs = 10_000): Promise<FuzzReport & { wallMs: number }> {
  const saved = { ...process.env };
  const local = await startLocalEnvironment({ startTime: '2026-01-12T06:00:00Z' });
  try {
    const served = await startServe({
      port: 0,
      env: local.env,
      clock: { now: () => local.sim.clock.now() },
      log: silentLogger,
      easyAuth: true,
      timers: false,
    });
    try {
      const inv = await discoverFleet(createAzureClients(local.settings), [], silentLogger);
      const t0 = performance.now();
      const r = await fuzzHttpApi(
        served.url,
        inv.clusters.map((c) => c.name),
        { runs, concurrency: 32 },
      );
      return { ...r, wallMs: performance.now() - t0 };
    } finally {
      await served.close();
    }
  } finally {
    await local.close();
    process.env = saved;
  }
}
