import { performance } from 'node:perf_hooks';
import { createAzureClients } from '../azure/clients';
import { discoverFleet } from '../fleet/inventory';
import { silentLogger } from '../log';
import { startLocalEnvironment } from '../local/localEnv';
import { simAdmin } from '../local/simAdmin';
import { generatedFleet } from '../sim/fleet/generate';
import type { CounterSnapshot } from '../sim/counters';

export interface InventoryBenchRow {
  clusters: number;
  subscriptions: number;
  armRequests: number;
  listRequests: number;
  wallMs: number;
}

/** Inventory of a generated fleet on the simulator: ARM requests counted by the simulator, wall time. */
export async function benchInventory(clusters: number, subscriptions: number): Promise<InventoryBenchRow> {
  const env = await startLocalEnvironment({
    fleet: generatedFleet({ clusters, subscriptions, seed: 7 }),
    storageConnectionString: 'UseDevelopmentStorage=true',
  });
  try {
    const azure = createAzureClients(env.settings);
    await simAdmin(env.sim, 'DELETE', '/counters');
    const t0 = performance.now();
    const inv = await discoverFleet(azure, [], silentLogger);
    const wallMs = performance.now() - t0;
    if (inv.clusters.length !== clusters)
      throw new Error(`bench: expected ${clusters} clusters, listed ${inv.clusters.length}`);
    const c = await simAdmin<CounterSnapshot>(env.sim, 'GET', '/counters');
    return {
      clusters,
      subscriptions,
      armRequests: c.total,
      listRequests: c.byOperation['ManagedClusters_List'] ?? 0,
      wallMs,
    };
  } finally {
    await env.close();
  }
}
