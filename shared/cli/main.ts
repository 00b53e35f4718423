import { Day2Error } from '../errors';
import { runSimCommand } from '../sim/cli';
import { runBench } from './bench';
import type { Command } from './command';
import { chaosCommand } from './commands/chaos';
import { eventsWireCommand } from './commands/eventsWire';
import { planCommand } from './commands/plan';
import { runsCommand } from './commands/runs';
import { runCommand } from './commands/run';
import { serveCommand } from './commands/serve';
import { openapiCommand } from './commands/openapi';
import { snoozeCommand } from './commands/snooze';
import { upgradeCommand } from './commands/upgrade';
import { runDemo } from './demo';
import { day2Version } from './version';

/** Every sub-command; a job adds its commands here. */
const COMMANDS: Command[] = [
  {
    name: 'sim',
    usage:
      'sim [--fleet FILE] [--port N] [--speed X]    start the AKS fleet simulator (prints one JSON line)',
    description:
      'Serves the AKS ARM API, a Teams receiver and a Logs Ingestion receiver on one local HTTPS port,\nwith a virtual clock. Without --fleet, the built-in demo fleet. Stop it with Ctrl-C.',
    examples: [
      'aks-day2 sim --port 8443 > /tmp/sim.json &',
      'aks-day2 sim --fleet my-fleet.json --speed 60    # one virtual minute per second',
    ],
    run: (argv) => runSimCommand(argv),
  },
  planCommand,
  runsCommand,
  runCommand,
  snoozeCommand,
  upgradeCommand,
  serveCommand,
  openapiCommand,
  chaosCommand,
  eventsWireCommand,
  {
    name: 'demo',
    usage: 'demo [--report FILE]    the app on the simulated fleet over a simulated day (npm run demo)',
    description:
      'Starts the simulator and Azurite in-process and runs every job over a virtual day; prints what\nhappened and writes every Teams card and Log Analytics row to an HTML report. Shows progress on a terminal.',
    examples: ['aks-day2 demo', 'aks-day2 demo --report /tmp/day.html'],
    run: (argv, out) => runDemo(argv, out),
  },
  {
    name: 'bench',
    usage:
      "bench [--sizes 500,5000,50000] [--jobs a,b]    every job's ARM requests against its floor, and wall time (npm run bench)",
    description: 'Prints figures; asserts nothing. Shows progress on a terminal.',
    examples: [
      'aks-day2 bench',
      'aks-day2 bench --sizes 50000 --jobs inventory',
      'aks-day2 bench --jobs year --clusters 5000 --days 365    # a simulated year: rows per table',
    ],
    run: (argv, out) => runBench(out, argv),
  },
];

const EXIT_CODES = 'Exit codes: 0 ok, 1 a job or change failed, 2 bad usage or settings.';

const usage = (): string =>
  [
    'usage: aks-day2 <command> [options]',
    ...COMMANDS.map((c) => `  ${c.usage}`),
    '  help [COMMAND]    this list, or a command with its options and examples',
    '  --version         the version of aks-day2',
    'Without --sim, commands use DefaultAzureCredential (az login) and the settings in the environment (docs/settings.md).',
    EXIT_CODES,
  ].join('\n');

/** `aks-day2 help NAME`: usage, description and examples of one command. */
export function commandHelp(cmd: Command): string {
  return [
    `usage: aks-day2 ${cmd.usage}`,
    ...(cmd.description ? ['', cmd.description] : []),
    '',
    'Examples:',
    ...cmd.examples.map((e) => `  ${e}`),
    '',
    EXIT_CODES,
  ].join('\n');
}

/** Every command, for help and its tests. */
export function commands(): readonly Command[] {
  return COMMANDS;
}

const out = (line: string): void => void process.stdout.write(`${line}\n`);
const fail = (text: string): number => {
  process.stderr.write(`${text}\n`);
  return 2;
};

/** The `aks-day2` command line. Returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-V' || name === 'version') {
    out(`aks-day2 ${day2Version()}`);
    return 0;
  }
  if (name === undefined) return fail(usage());
  if (name === 'help' || name === '--help' || name === '-h') {
    const topic = rest[0];
    if (topic === undefined) {
      out(usage());
      return 0;
    }
    const cmd = COMMANDS.find((c) => c.name === topic);
    if (!cmd) return fail(`unknown command "${topic}"\n${usage()}`);
    out(commandHelp(cmd));
    return 0;
  }
  const cmd = COMMANDS.find((c) => c.name === name);
  if (!cmd) return fail(`unknown command "${name}"\n${usage()}`);
  if (rest.includes('--help') || rest.includes('-h')) {
    out(commandHelp(cmd));
    return 0;
  }
  try {
    return await cmd.run(rest, out);
  } catch (err) {
    if (err instanceof Day2Error) {
      process.stderr.write(`error (${err.code}): ${err.message}\n`);
      return err.code === 'BadRequest' || err.code === 'ConfigInvalid' ? 2 : 1;
    }
    throw err;
  }
}
