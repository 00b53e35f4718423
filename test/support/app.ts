import { createAzureClients, type AzureClients } from '../../shared/azure/clients';
import { createDeps, type Deps } from '../../shared/deps';
import type { Logger } from '../../shared/log';
import {
  startLocalEnvironment,
  type LocalEnvOptions,
  type LocalEnvironment,
} from '../../shared/local/localEnv';
import { azuriteConnectionString, uniqueName } from './storage';

/** The app wired to a fresh simulator and the run's Azurite, with fast SDK retries. */
export interface TestApp extends LocalEnvironment {
  azure: AzureClients;
  /** Deps on the simulator's virtual clock, with this test's own tables; `logs` collects what jobs logged. */
  deps: Deps;
  logs: string[];
}

/**
 * `isolatedStorage`: an Azurite of its own instead of the run's shared one, for tests of function handlers,
 * which read settings from process.env and so use the app's default table names.
 * Cards: `DAY2_TEAMS_ROUTINE=each` unless `env` says otherwise, so a test of a job sees that run's own
 * card; the tests of the daily digest (the product default) ask for `digest`.
 */
export async function startTestApp(
  opts: LocalEnvOptions & { isolatedStorage?: boolean } = {},
): Promise<TestApp> {
  const { isolatedStorage, ...rest } = opts;
  const env = await startLocalEnvironment({
    storageConnectionString: isolatedStorage ? undefined : azuriteConnectionString(),
    ...rest,
    env: { DAY2_TEAMS_ROUTINE: 'each', ...rest.env },
  });
  const logs: string[] = [];
  const log: Logger = {
    info: (m) => void logs.push(`info: ${m}`),
    warn: (m) => void logs.push(`warn: ${m}`),
    error: (m) => void logs.push(`error: ${m}`),
  };
  const tuning = { retryDelayInMs: 20, maxRetryDelayInMs: 2000 };
  const deps = createDeps(env.settings, {
    log,
    clock: { now: () => env.sim.clock.now() },
    tuning,
    tablePrefix: uniqueName('t'),
    notifier: { teamsPaceMs: 0, outbox: { backoff: { baseMs: 10, maxMs: 200 } } },
  });
  return { ...env, azure: createAzureClients(env.settings, tuning), deps, logs };
}
