import { createAzureClients, type AzureClients } from '../azure/clients';
import { loadSettings, type Settings } from '../config/settings';
import type { Clock } from '../clock';
import { systemClock } from '../clock';
import type { Logger } from '../log';
import { startLocalEnvironment, type LocalEnvironment } from '../local/localEnv';
import { demoFleet } from '../sim/fleet/demoFleet';
import { createStateStore, type StateStore } from '../state/stateStore';
import { emptyStateStore, NO_STORAGE_NOTE } from './emptyState';

/** What a CLI command runs against: Azure (settings from the environment) or the embedded simulator. */
/** When the demo fleet's world is set: Monday 12 January 2026, 06:00 UTC (the daily version report). */
export const DEMO_FLEET_TIME = '2026-01-12T06:00:00Z';

export interface AppContext {
  /** With `readOnly` and no `AzureWebJobsStorage`, `storageConnectionString` is `""` and `state` reads empty. */
  settings: Settings;
  azure: AzureClients;
  clock: Clock;
  log: Logger;
  /** The app's durable state: Table storage, or (read-only, no storage) a state read as empty. */
  state: StateStore;
  /** False when a read-only command runs without `AzureWebJobsStorage`. */
  hasStorage: boolean;
  /** What the output must tell the reader about how it was made (e.g. state read as empty). */
  notes: string[];
  /** Present with `--sim`: the embedded simulator and Azurite. */
  local?: LocalEnvironment;
}

export interface AppContextOptions {
  sim: boolean;
  /** Fleet file for `--sim` (default: the built-in demo fleet). */
  fleet?: string;
  dryRun?: boolean;
  /** Virtual clock start of the embedded simulator (default: now). */
  startTime?: string;
  /** `--at`: as if it were this instant (the clock reads it; with `sim`, the simulator starts there). */
  at?: Date;
  /** A command that changes nothing: it may run without `AzureWebJobsStorage` (state read as empty). */
  readOnly?: boolean;
  log: Logger;
  env?: NodeJS.ProcessEnv;
}

/**
 * Runs `fn` against Azure (DefaultAzureCredential, settings from the environment) or, with `sim`,
 * against an embedded simulator + Azurite that are stopped afterwards.
 */
export async function withAppContext<T>(
  opts: AppContextOptions,
  fn: (ctx: AppContext) => Promise<T>,
): Promise<T> {
  const dry: Record<string, string> = opts.dryRun ? { DAY2_DRY_RUN: 'true' } : {};
  const at = opts.at;
  if (!opts.sim) {
    const env = { ...(opts.env ?? process.env), ...dry };
    const hasStorage = !opts.readOnly || (env.AzureWebJobsStorage ?? '').trim() !== '';
    // Read-only without storage: every other setting is still validated; the state reads empty.
    const loaded = loadSettings(
      hasStorage ? env : { ...env, AzureWebJobsStorage: 'UseDevelopmentStorage=true' },
    );
    const settings = hasStorage ? loaded : { ...loaded, storageConnectionString: '' };
    return fn({
      settings,
      azure: createAzureClients(settings),
      clock: at ? { now: () => new Date(at) } : systemClock,
      log: opts.log,
      state: hasStorage ? createStateStore(settings.storageConnectionString) : emptyStateStore(),
      hasStorage,
      notes: hasStorage ? [] : [NO_STORAGE_NOTE],
    });
  }
  // The demo fleet describes AKS as of January 2026 (versions offered, support calendar): its virtual
  // clock starts then unless told otherwise; a fleet file of the user's runs on the real clock.
  const local = await startLocalEnvironment({
    fleet: opts.fleet ?? demoFleet(),
    env: dry,
    startTime: at?.toISOString() ?? opts.startTime ?? (opts.fleet ? undefined : DEMO_FLEET_TIME),
  });
  try {
    return await fn({
      settings: local.settings,
      azure: createAzureClients(local.settings),
      clock: { now: () => local.sim.clock.now() },
      log: opts.log,
      state: createStateStore(local.settings.storageConnectionString),
      hasStorage: true,
      notes: [],
      local,
    });
  } finally {
    await local.close();
  }
}
