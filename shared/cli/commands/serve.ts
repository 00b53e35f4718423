import { Day2Error } from '../../errors';
import { startLocalEnvironment, type LocalEnvironment } from '../../local/localEnv';
import { followSimulatorClock, type FollowedClock } from '../../local/serve/followClock';
import { startServe } from '../../local/serve/serve';
import { loadSettings } from '../../config/settings';
import type { Logger } from '../../log';
import { demoFleet } from '../../sim/fleet/demoFleet';
import { DEMO_FLEET_TIME } from '../appContext';
import { flagString, parseArgs } from '../args';
import type { Command } from '../command';
import { untilSignal } from '../../util/untilSignal';

const usage =
  'serve [--sim] [--fleet FILE] [--port 7071] [--easy-auth] [--no-timers] [--queue-lease SECONDS] [--queue-retry SECONDS]';

/** Logs go to stderr: stdout carries only the one JSON line. */
const stderrLogger: Logger = {
  info: (m) => void process.stderr.write(`${m}\n`),
  warn: (m) => void process.stderr.write(`warn: ${m}\n`),
  error: (m) => void process.stderr.write(`error: ${m}\n`),
};

function seconds(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0 || n > 3600)
    throw new Day2Error(
      'BadRequest',
      `--${flag} must be a number of seconds from 0 to 3600\nusage: aks-day2 ${usage}`,
    );
  return n * 1000;
}

/**
 * `aks-day2 serve`: the app's HTTP functions on the routes of `func start` (`/api/...`, no function key
 * locally), with the queue worker and the timers running in-process. `--sim`: on the embedded simulator
 * and Azurite (the demo fleet, or `--fleet FILE`). Prints one JSON line with `"url"` once it listens.
 */
export const serveCommand: Command = {
  name: 'serve',
  usage: `${usage}    the app's HTTP API, queue worker and timers locally (prints one JSON line)`,
  examples: ['aks-day2 serve --sim --port 7071', 'aks-day2 serve --sim --port 0 --easy-auth'],
  async run(argv, out) {
    const a = parseArgs(
      argv,
      {
        value: ['port', 'fleet', 'queue-lease', 'queue-retry'],
        bool: ['sim', 'easy-auth', 'no-timers'],
      },
      `usage: aks-day2 ${usage}`,
    );
    if (a.positionals.length > 0)
      throw new Day2Error('BadRequest', `unexpected argument ${a.positionals[0]}\nusage: aks-day2 ${usage}`);
    const portText = flagString(a, 'port') ?? '7071';
    const port = Number(portText);
    if (!/^\d+$/.test(portText) || port > 65535)
      throw new Day2Error('BadRequest', `--port must be an integer 0-65535\nusage: aks-day2 ${usage}`);
    const fleet = flagString(a, 'fleet');
    if (fleet && !a.flags.has('sim'))
      throw new Day2Error('BadRequest', `--fleet needs --sim\nusage: aks-day2 ${usage}`);
    const queueLeaseMs = seconds(flagString(a, 'queue-lease'), 'queue-lease');
    const queueRetryMs = seconds(flagString(a, 'queue-retry'), 'queue-retry');

    let local: LocalEnvironment | undefined;
    let followed: FollowedClock | undefined;
    if (a.flags.has('sim')) {
      local = await startLocalEnvironment({
        fleet: fleet ?? demoFleet(),
        startTime: fleet ? undefined : DEMO_FLEET_TIME,
      });
    }
    try {
      const env: Record<string, string> = local
        ? local.env
        : Object.fromEntries(
            Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined),
          );
      const sim = local?.sim;
      // Pointed at a simulator (DAY2_AUTH=local), the app lives at the simulator's time, as with --sim.
      const settings = loadSettings(env);
      followed =
        !sim && settings.auth === 'local' && settings.localCaCert
          ? await followSimulatorClock({
              admin: `${settings.armEndpoint}/admin`,
              caCert: settings.localCaCert,
            })
          : undefined;
      const served = await startServe({
        port,
        env,
        clock: sim ? { now: () => sim.clock.now() } : followed?.clock,
        log: stderrLogger,
        easyAuth: a.flags.has('easy-auth'),
        timers: !a.flags.has('no-timers'),
        queueLeaseMs,
        queueRetryMs,
      });
      // The simulator's Teams channel posts what its members say to this app's chatops endpoint.
      if (sim) sim.teamsChannel.url = `${served.url}/api/chatops`;
      const stopped = untilSignal();
      out(
        JSON.stringify({
          url: served.url,
          api: `${served.url}/api`,
          functions: served.functions,
          ...(sim
            ? {
                sim: {
                  arm: sim.arm,
                  admin: sim.admin,
                  teamsWebhookUrl: sim.teamsWebhookUrl,
                  teamsChannel: `${sim.admin}/teams/channel`,
                  logsEndpoint: sim.logsEndpoint,
                  clock: sim.clock.now().toISOString(),
                },
              }
            : {}),
        }),
      );
      await stopped;
      await served.close();
      return 0;
    } finally {
      followed?.stop();
      await local?.close();
    }
  },
};
