import type { InvocationContext } from '@azure/functions';
import { createAzureClients, type AzureClients, type ClientTuning } from './azure/clients';
import { systemClock, type Clock } from './clock';
import { loadSettings, SETTING_NAMES, type Settings } from './config/settings';
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

export function createDeps(settings: Settings, opts: DepsOptions): Deps {
  const clock = opts.clock ?? systemClock;
  const azure = createAzureClients(settings, opts.tuning);
  return {
    settings,
    azure,
    clock,
    log: opts.log,
    state: createStateStore(settings.storageConnectionString, opts.tablePrefix),
    notifier: createNotifier({ settings, credential: azure.credential, log: opts.log, clock, tablePrefix: opts.tablePrefix, ...opts.notifier }),
  };
}

let cached: { key: string; settings: Settings } | undefined;

/**
 * Deps for a Functions invocation. Settings are read and validated once per configuration (a bad
 * setting fails the invocation with one message naming every bad setting); the logger is the invocation's.
 */
export function depsFor(ctx: InvocationContext, env: NodeJS.ProcessEnv = process.env): Deps {
  const key = SETTING_NAMES.map((n) => env[n] ?? '').join('\u0000');
  if (cached?.key !== key) cached = { key, settings: loadSettings(env) };
  return createDeps(cached.settings, { log: loggerFromContext(ctx) });
}
