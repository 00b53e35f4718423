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
import { flagString, parseArgs } from '../args';
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

const usage = 'run JOB [--sim] [--fleet FILE] [--dry-run]';

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
  async run(argv, out) {
    const a = parseArgs(argv, { value: ['fleet'], bool: ['sim', 'dry-run'] }, `usage: aks-day2 ${usage}`);
    const [job, ...extra] = a.positionals;
    const runner = job === undefined ? undefined : JOB_RUNNERS[job];
    if (!runner || extra.length > 0) {
      throw new Day2Error(
        'BadRequest',
        `${job === undefined ? 'which job?' : runner ? `unexpected ${extra.join(' ')}` : `no such job "${job}"`} (jobs: ${Object.keys(JOB_RUNNERS).join(', ')})\nusage: aks-day2 ${usage}`,
      );
    }
    const dryRun = a.flags.has('dry-run');
    return withAppContext(
      { sim: a.flags.has('sim'), fleet: flagString(a, 'fleet'), dryRun, log: consoleLogger },
      async (ctx) => {
        const deps = createDeps(ctx.settings, { log: ctx.log, clock: ctx.clock });
        const run = await runner(deps, { dryRun });
        out(formatRun(run));
        return run.outcomes.some((o) => o.outcome === 'Failed') ? 1 : 0;
      },
    );
  },
};
