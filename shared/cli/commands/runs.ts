import { consoleLogger } from '../../log';
import { createRunStore } from '../../records/runStore';
import { formatRuns } from '../../records/formatRuns';
import { Day2Error } from '../../errors';
import { flagString, parseArgs } from '../args';
import { emit, OUTPUT_FLAG, OUTPUT_USAGE, outputFormat } from '../output';
import { withAppContext } from '../appContext';
import type { Command } from '../command';

const usage = `runs [--cluster NAME|ID] [--since ISO] [--limit N] ${OUTPUT_USAGE} [--sim]`;

/** `aks-day2 runs`: recent job runs from the run records in Table storage, newest first. */
export const runsCommand: Command = {
  name: 'runs',
  usage: `${usage}    recent job runs (from storage), newest first`,
  description:
    'Reads the run records the app keeps in AzureWebJobsStorage (kept DAY2_RETENTION_DAYS days); without\nthat setting there are none to read, and the output says so.',
  examples: [
    'aks-day2 runs --cluster aks-dev-weu-01 --since 2026-11-20T00:00:00Z',
    "aks-day2 runs --output json | jq '.runs[] | select(.counts.Failed > 0) | .runId'",
  ],
  async run(argv, out) {
    const a = parseArgs(
      argv,
      { value: ['cluster', 'since', 'limit', 'fleet', OUTPUT_FLAG], bool: ['sim'] },
      `usage: aks-day2 ${usage}`,
    );
    const format = outputFormat(a);
    const sinceText = flagString(a, 'since');
    const since = sinceText ? new Date(sinceText) : undefined;
    if (since && Number.isNaN(since.getTime()))
      throw new Day2Error(
        'BadRequest',
        `--since ${sinceText}: expected an ISO date-time such as 2026-11-25T06:00:00Z`,
      );
    const limitText = flagString(a, 'limit') ?? '20';
    const limit = Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
      throw new Day2Error('BadRequest', `--limit ${limitText}: expected a whole number from 1 to 1000`);
    return withAppContext(
      { sim: a.flags.has('sim'), fleet: flagString(a, 'fleet'), readOnly: true, log: consoleLogger },
      async (ctx) => {
        const runs = ctx.hasStorage
          ? await createRunStore(ctx.settings.storageConnectionString).list({
              cluster: flagString(a, 'cluster'),
              since,
              limit,
            })
          : [];
        const notes = ctx.hasStorage ? [] : ['No AzureWebJobsStorage: no run records to read.'];
        emit(out, format, {
          text: () => [...notes, runs.length ? formatRuns(runs) : 'No runs recorded yet.'].join('\n'),
          data: () => ({ runs, state: ctx.hasStorage ? 'storage' : 'empty', notes }),
        });
        return 0;
      },
    );
  },
};
