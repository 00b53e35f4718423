/**
 * `aks-day2 sim [--fleet FILE] [--port N] [--speed X] [--start ISO] [--event-grid-url URL] [--event-grid-schema S]`:
 * starts the simulator, prints one JSON line with its URLs, runs until SIGINT/SIGTERM. Without
 * --fleet it serves the demo fleet, whose regions offer the support calendar's versions from February 2026.
 */
import { DEMO_CALENDAR_FROM, demoFleet } from './fleet/demoFleet';
import { startSimulator, type SimOptions } from './server';
import { untilSignal } from '../util/untilSignal';

const USAGE =
  'usage: aks-day2 sim [--fleet FILE] [--port N] [--speed X] [--start ISO] [--event-grid-url URL] [--event-grid-schema EventGridSchema|CloudEventSchema]';

export function parseSimArgs(argv: string[]): SimOptions {
  const opts: SimOptions = {};
  let egUrl: string | undefined;
  let egSchema: 'EventGridSchema' | 'CloudEventSchema' | undefined;
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i]!;
    const [flag, inline] = raw.includes('=')
      ? [raw.slice(0, raw.indexOf('=')), raw.slice(raw.indexOf('=') + 1)]
      : [raw, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') throw new Error(`${flag} needs a value\n${USAGE}`);
      return v;
    };
    switch (flag) {
      case '--fleet':
        opts.fleet = value();
        break;
      case '--port': {
        const n = Number(value());
        if (!Number.isInteger(n) || n < 0 || n > 65535)
          throw new Error(`--port must be an integer 0-65535\n${USAGE}`);
        opts.port = n;
        break;
      }
      case '--speed': {
        const n = Number(value());
        if (!Number.isFinite(n) || n < 0) throw new Error(`--speed must be a number >= 0\n${USAGE}`);
        opts.speed = n;
        break;
      }
      case '--start': {
        const v = value();
        if (Number.isNaN(new Date(v).getTime()))
          throw new Error(`--start must be an ISO date-time\n${USAGE}`);
        opts.startTime = v;
        break;
      }
      case '--event-grid-url':
        egUrl = value();
        break;
      case '--event-grid-schema': {
        const v = value();
        if (v !== 'EventGridSchema' && v !== 'CloudEventSchema')
          throw new Error(`--event-grid-schema must be EventGridSchema or CloudEventSchema\n${USAGE}`);
        egSchema = v;
        break;
      }
      case '-h':
      case '--help':
        throw new Error(USAGE);
      default:
        throw new Error(`unknown argument ${raw}\n${USAGE}`);
    }
  }
  if (egUrl) opts.eventGrid = { url: egUrl, schema: egSchema };
  // The built-in fleet follows the support calendar after its demo month: the real clock gets today's versions.
  opts.fleet ??= demoFleet({ calendarFrom: DEMO_CALENDAR_FROM });
  return opts;
}

export async function runSimCommand(argv: string[]): Promise<number> {
  let opts: SimOptions;
  try {
    opts = parseSimArgs(argv);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    return 2;
  }
  let sim;
  try {
    sim = await startSimulator(opts);
  } catch (err) {
    process.stderr.write(`aks-day2 sim: ${(err as Error).message}\n`);
    return 1;
  }
  // Listen for the signals before announcing the URLs: a caller may stop us as soon as it reads them.
  const stopped = untilSignal();
  process.stdout.write(
    `${JSON.stringify({
      arm: sim.arm,
      caCertPath: sim.caCertPath,
      admin: sim.admin,
      teamsWebhookUrl: sim.teamsWebhookUrl,
      teamsOutgoingSecret: sim.teamsOutgoingSecret,
      logsEndpoint: sim.logsEndpoint,
      logsQueryEndpoint: sim.logsQueryEndpoint,
      logsWorkspaceIds: sim.logsWorkspaceIds,
      subscriptions: sim.subscriptions,
    })}\n`,
  );
  const handle = sim;
  await stopped;
  await handle.close();
  return 0;
}
