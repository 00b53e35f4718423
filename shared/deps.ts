import type { InvocationContext } from '@azure/functions';
import { createAzureClients, type AzureClients, type ClientTuning } from './azure/clients';
import { systemClock, type Clock } from './clock';
import { loadSettings, PLATFORM_SETTING_NAMES, SETTING_NAMES, type Settings } from './config/settings';
import { loggerFromContext, type Logger } from './log';
import { createNotifier, type Notifier, type NotifierDeps } from './notify/notifier';
import { createStateStore, type StateStore } from './state/stateStore';

/**
 * Everything a job needs, built in one place: settings, Azure clients, clock, logger, durable state
 * and the notifier. Functions, the CLI, the demo and the tests all build it with `createDeps`, so
 * nothing is patched in tests: they point the same object at the simulator and Azurite.
 */
export interface Deps {
  settings: Settings;
  azure: AzureClients;
  clock: Clock;
  log: Logger;
  state: StateStore;
  notifier: Notifier;
}

export interface DepsOptions {
  log: Logger;
  clock?: Clock;
  tuning?: ClientTuning;
  /** Table name prefix for state and notifications (tests isolate themselves with it). */
  tablePrefix?: string;
  notifier?: Pick<NotifierDeps, 'outbox' | 'teamsPaceMs' | 'deliverOnReport'>;
}

export function createDeps(
  settings: Settings,
  opts: DepsOptions,
  shared?: Pick<Deps, 'azure' | 'state'>,
): Deps {
  const clock = opts.clock ?? systemClock;
  const azure = shared?.azure ?? createAzureClients(settings, opts.tuning);
  return {
    settings,
    azure,
    clock,
    log: opts.log,
    state: shared?.state ?? createStateStore(settings.storageConnectionString, opts.tablePrefix),
    notifier: createNotifier({
      settings,
      credential: azure.credential,
      log: opts.log,
      clock,
      tablePrefix: opts.tablePrefix,
      ...opts.notifier,
    }),
  };
}

let hostClock: Clock = systemClock;

/**
 * The clock `depsFor` gives invocations: the wall clock under the Functions host. A local host
 * (`aks-day2 serve` on the simulator) sets the simulator's clock, so its timers, handlers and the
 * simulated fleet agree on the time.
 */
export function setHostClock(clock: Clock): void {
  hostClock = clock;
}

let cached: { key: string; settings: Settings; shared: Pick<Deps, 'azure' | 'state'> } | undefined;

/**
 * Deps for a Functions invocation. Settings are read and validated once per configuration (a bad
 * setting fails the invocation with one message naming every bad setting); the credential (and its
 * token cache), the Azure clients and the state store are kept across invocations; the logger is the
 * invocation's.
 */
export function depsFor(ctx: InvocationContext, env: NodeJS.ProcessEnv = process.env): Deps {
  const key = [...SETTING_NAMES, ...PLATFORM_SETTING_NAMES].map((n) => env[n] ?? '').join('\u0000');
  if (cached?.key !== key) {
    const settings = loadSettings(env);
    cached = {
      key,
      settings,
      shared: {
        azure: createAzureClients(settings),
        state: createStateStore(settings.storageConnectionString),
      },
    };
  }
  return createDeps(cached.settings, { log: loggerFromContext(ctx), clock: hostClock }, cached.shared);
}
