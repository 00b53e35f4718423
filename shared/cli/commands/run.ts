import { createDeps, type Deps } from '../../deps';
import { Day2Error } from '../../errors';
import { consoleLogger } from '../../log';
import { runNodeImage } from '../../nodeimage/runNodeImage';
import { runPowerSchedule } from '../../power/runPowerSchedule';
import { runSweep } from '../../sweeper/runSweep';
import { runVersionSupport } from '../../versions/runVersionSupport';
import { runKubernetesUpgrade } from '../../upgrades/runKubernetesUpgrade';
import { formatRuns } from '../../records/formatRuns';
import type { RunRecord } from '../../records/outcome';
import { flagInstant, flagString, parseArgs } from '../args';
import { withAppContext } from '../appContext';
import type { Command } from '../command';
import { renderTable } from '../table';

export type JobRunner = (deps: Deps, opts: { dryRun: boolean }) => Promise<RunRecord>;

/** Jobs `run JOB` can run once; each job registers its runner here (the CLI reports as `timer`, like the timers). */
export const JOB_RUNNERS: Record<string, JobRunner> = {
  'power-schedule': (deps, o) => runPowerSchedule(deps, { actor: 'timer', dryRun: o.dryRun }),
  // --dry-run reaches these through DAY2_DRY_RUN (withAppContext sets it).
  'node-image': async (deps) => (await runNodeImage(deps, { actor: 'timer' })).run,
  'version-support': async (deps) => (await runVersionSupport(deps, { actor: 'timer' })).run,
  upgrades: async (deps) => (await runKubernetesUpgrade(deps, { actor: 'timer' })).run,
  sweep: async (deps) => (await runSweep(deps)).run,
};

const usage = 'run JOB [--dry-run [--at ISO]] [--sim] [--fleet FILE]';

/** The run's outcomes, one line each, under the one-line run summary. */
export function formatRun(run: RunRecord): string {
  const rows = run.outcomes.map((o) => [
    o.cluster.name,
    o.action + (o.nodePool ? ` (${o.nodePool})` : ''),
    o.outcome,
    o.reason,
  ]);
  return [
    formatRuns([run]),
    '',
    rows.length ? renderTable(['CLUSTER', 'ACTION', 'OUTCOME', 'REASON'], rows) : 'Nothing to do.',
  ].join('\n');
}

export const runCommand: Command = {
  name: 'run',
  usage: `${usage}    run one job once (${Object.keys(JOB_RUNNERS).join(', ')})`,
  description: [
    'Runs the job once, as its timer does, and reports it the same way (Teams card, Log Analytics rows).',
    '--dry-run plans and reports but changes nothing; with --at, as if it were that instant.',
    'Exit code 1 when an outcome of the run failed.',
  ].join('\n'),
  examples: [
    'aks-day2 run power-schedule --sim --dry-run',
    'aks-day2 run power-schedule --dry-run --at 2026-10-25T01:30:00Z    # the night the clocks go back',
    'aks-day2 run version-support',
  ],
  async run(argv, out) {
    const a = parseArgs(
      argv,
      { value: ['fleet', 'at'], bool: ['sim', 'dry-run'] },
      `usage: aks-day2 ${usage}`,
    );
    const [job, ...extra] = a.positionals;
    const runner = job === undefined ? undefined : JOB_RUNNERS[job];
    if (!runner || extra.length > 0) {
      throw new Day2Error(
        'BadRequest',
        `${job === undefined ? 'which job?' : runner ? `unexpected ${extra.join(' ')}` : `no such job "${job}"`} (jobs: ${Object.keys(JOB_RUNNERS).join(', ')})\nusage: aks-day2 ${usage}`,
      );
    }
    const dryRun = a.flags.has('dry-run');
    const at = flagInstant(a, 'at');
    if (at && !dryRun)
      throw new Day2Error(
        'BadRequest',
        `--at needs --dry-run: a real run happens now\nusage: aks-day2 ${usage}`,
      );
    return withAppContext(
      { sim: a.flags.has('sim'), fleet: flagString(a, 'fleet'), dryRun, at, log: consoleLogger },
      async (ctx) => {
        // A person asked for this run: its card posts at once, never folded into the daily digest.
        const deps = createDeps(
          { ...ctx.settings, teamsRoutine: 'each' },
          { log: ctx.log, clock: ctx.clock },
        );
        const run = await runner(deps, { dryRun });
        out(formatRun(run));
        return run.outcomes.some((o) => o.outcome === 'Failed') ? 1 : 0;
      },
    );
  },
};
