/** Test helpers for notifications: a simulator (Teams + Logs receivers), settings pointed at it and Azurite, a clock tests move. */
import type { Clock } from '../../shared/clock';
import { loadSettings, type Settings } from '../../shared/config/settings';
import { createCredential } from '../../shared/azure/credential';
import type { Logger } from '../../shared/log';
import { createNotifier, type Notifier, type NotifierDeps } from '../../shared/notify/notifier';
import { startSimulator, type SimHandle } from '../../shared/sim/server';
import { azuriteConnectionString, uniqueName } from '../support/storage';
import { admin } from '../sim/simClient';

export const RULE_ID = 'dcr-00000000000000000000000000000000';

export interface ManualClock extends Clock {
  advance(ms: number): void;
}

export function manualClock(start = new Date('2026-10-05T06:00:00Z')): ManualClock {
  let t = start.getTime();
  return { now: () => new Date(t), advance: (ms) => void (t += ms) };
}

export interface CapturedLogger extends Logger {
  lines: string[];
}

export function capturingLogger(): CapturedLogger {
  const lines: string[] = [];
  const push =
    (level: string) =>
    (m: string, ...a: unknown[]): void =>
      void lines.push(`${level} ${[m, ...a.map(String)].join(' ')}`);
  return { lines, info: push('info'), warn: push('warn'), error: push('error') };
}

export function settingsFor(sim: SimHandle, overrides: Record<string, string | undefined> = {}): Settings {
  return loadSettings({
    AzureWebJobsStorage: azuriteConnectionString(),
    DAY2_ARM_ENDPOINT: sim.arm,
    DAY2_AUTH: 'local',
    DAY2_LOCAL_CA_CERT: sim.caCertPath,
    DAY2_TEAMS_WEBHOOK_URL: sim.teamsWebhookUrl,
    DAY2_LOGS_ENDPOINT: sim.logsEndpoint,
    DAY2_LOGS_RULE_ID: RULE_ID,
    ...overrides,
  });
}

export interface NotifyWorld {
  sim: SimHandle;
  settings: Settings;
  clock: ManualClock;
  log: CapturedLogger;
  tablePrefix: string;
  /** A notifier as a Function instance would build it (a new one = a restarted process). Retry delays are short. */
  notifier(extra?: Partial<NotifierDeps>): Notifier;
  teamsPosts(): Promise<Array<{ body: unknown; path: string; headers: Record<string, string> }>>;
  logRows(): Promise<Array<{ ruleId: string; stream: string; row: Record<string, unknown> }>>;
  close(): Promise<void>;
}

export async function notifyWorld(overrides: Record<string, string | undefined> = {}): Promise<NotifyWorld> {
  const sim = await startSimulator({ speed: 0 });
  const settings = settingsFor(sim, overrides);
  const clock = manualClock();
  const log = capturingLogger();
  const tablePrefix = uniqueName('n');
  return {
    sim,
    settings,
    clock,
    log,
    tablePrefix,
    notifier: (extra = {}) =>
      createNotifier({
        settings,
        credential: createCredential(settings),
        log,
        clock,
        tablePrefix,
        teamsPaceMs: 0,
        outbox: { backoff: { baseMs: 1000, maxMs: 60_000 }, ...extra.outbox },
        ...extra,
      }),
    teamsPosts: async () =>
      (
        await admin<{ posts: Array<{ body: unknown; path: string; headers: Record<string, string> }> }>(
          sim,
          'GET',
          '/teams',
        )
      ).posts,
    logRows: async () =>
      (
        await admin<{ rows: Array<{ ruleId: string; stream: string; row: Record<string, unknown> }> }>(
          sim,
          'GET',
          '/logs',
        )
      ).rows,
    close: () => sim.close(),
  };
}
