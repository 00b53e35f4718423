import { Day2Error } from '../errors';
import { consoleLogger } from '../log';
import { discoverFleet } from '../fleet/inventory';
import { runSimCommand } from '../sim/cli';
import { flagString, parseArgs } from './args';
import { withAppContext } from './appContext';
import { runBench } from './bench';
import { runDemo } from './demo';
import { formatInventoryPlan } from './inventoryPlan';

const USAGE = `usage: aks-day2 <command>
  sim [--fleet FILE] [--port N] [--speed X]     start the AKS fleet simulator (prints one JSON line)
  plan [--sim] [--fleet FILE] [--job NAME]      what each job would do now; changes nothing
  demo                                          the app on the simulated fleet (npm run demo)
  bench                                         benchmarks (npm run bench)
Without --sim, commands use DefaultAzureCredential and the settings in the environment (see README).`;

const out = (line: string): void => void process.stdout.write(`${line}\n`);

async function plan(argv: string[]): Promise<number> {
  const usage = 'usage: aks-day2 plan [--sim] [--fleet FILE] [--job NAME]';
  const a = parseArgs(argv, { value: ['job', 'fleet'], bool: ['sim'] }, usage);
  const job = flagString(a, 'job');
  if (job !== undefined) throw new Day2Error('BadRequest', `--job ${job}: no such job\n${usage}`);
  return withAppContext({ sim: a.flags.has('sim'), fleet: flagString(a, 'fleet'), log: consoleLogger }, async (ctx) => {
    const inv = await discoverFleet(ctx.azure, ctx.settings.subscriptions, { ...ctx.log, info: () => undefined });
    out(formatInventoryPlan(inv, ctx.settings));
    return inv.failures.length ? 1 : 0;
  });
}

/** The `aks-day2` command line. Returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    switch (cmd) {
      case 'sim':
        return await runSimCommand(rest);
      case 'plan':
        return await plan(rest);
      case 'demo':
        return await runDemo(rest, out);
      case 'bench':
        return await runBench(out);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        out(USAGE);
        return cmd === undefined ? 2 : 0;
      default:
        process.stderr.write(`unknown command "${cmd}"\n${USAGE}\n`);
        return 2;
    }
  } catch (err) {
    if (err instanceof Day2Error) {
      process.stderr.write(`error (${err.code}): ${err.message}\n`);
      return err.code === 'BadRequest' || err.code === 'ConfigInvalid' ? 2 : 1;
    }
    throw err;
  }
}
