import { createAzureClients, type AzureClients } from '../azure/clients';
import { loadSettings, type Settings } from '../config/settings';
import type { Clock } from '../clock';
import { systemClock } from '../clock';
import type { Logger } from '../log';
import { startLocalEnvironment, type LocalEnvironment } from '../local/localEnv';
import { demoFleet } from '../sim/fleet/demoFleet';

/** What a CLI command runs against: Azure (settings from the environment) or the embedded simulator. */
/** When the demo fleet's world is set: Monday 12 January 2026, 06:00 UTC (the daily version report). */
export const DEMO_FLEET_TIME = '2026-01-12T06:00:00Z';

export interface AppContext {
  settings: Settings;
  azure: AzureClients;
  clock: Clock;
  log: Logger;
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
  if (!opts.sim) {
    const settings = loadSettings({ ...(opts.env ?? process.env), ...dry });
    return fn({ settings, azure: createAzureClients(settings), clock: systemClock, log: opts.log });
  }
  // The demo fleet describes AKS as of January 2026 (versions offered, support calendar): its virtual
  // clock starts then unless told otherwise; a fleet file of the user's runs on the real clock.
  const local = await startLocalEnvironment({
    fleet: opts.fleet ?? demoFleet(),
    env: dry,
    startTime: opts.startTime ?? (opts.fleet ? undefined : DEMO_FLEET_TIME),
  });
  try {
    return await fn({
      settings: local.settings,
      azure: createAzureClients(local.settings),
      clock: { now: () => local.sim.clock.now() },
      log: opts.log,
      local,
    });
  } finally {
    await local.close();
  }
}
