import { Day2Error } from '../errors';
import { runSimCommand } from '../sim/cli';
import { runBench } from './bench';
import type { Command } from './command';
import { planCommand } from './commands/plan';
import { runsCommand } from './commands/runs';
import { runCommand } from './commands/run';
import { serveCommand } from './commands/serve';
import { openapiCommand } from './commands/openapi';
import { snoozeCommand } from './commands/snooze';
import { upgradeCommand } from './commands/upgrade';
import { runDemo } from './demo';

/** Every sub-command; a job adds its commands here. */
const COMMANDS: Command[] = [
  {
    name: 'sim',
    usage:
      'sim [--fleet FILE] [--port N] [--speed X]    start the AKS fleet simulator (prints one JSON line)',
    run: (argv) => runSimCommand(argv),
  },
  planCommand,
  runsCommand,
  runCommand,
  snoozeCommand,
  upgradeCommand,
  serveCommand,
  openapiCommand,
  {
    name: 'demo',
    usage: 'demo    the app on the simulated fleet over a simulated day (npm run demo)',
    run: (argv, out) => runDemo(argv, out),
  },
  { name: 'bench', usage: 'bench    benchmarks (npm run bench)', run: (_argv, out) => runBench(out) },
];

const usage = (): string =>
  [
    'usage: aks-day2 <command>',
    ...COMMANDS.map((c) => `  ${c.usage}`),
    'Without --sim, commands use DefaultAzureCredential and the settings in the environment (see README).',
  ].join('\n');

const out = (line: string): void => void process.stdout.write(`${line}\n`);

/** The `aks-day2` command line. Returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    out(usage());
    return name === undefined ? 2 : 0;
  }
  const cmd = COMMANDS.find((c) => c.name === name);
  if (!cmd) {
    process.stderr.write(`unknown command "${name}"\n${usage()}\n`);
    return 2;
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
