import os from 'node:os';
import { createDeps } from '../../deps';
import { Day2Error } from '../../errors';
import { consoleLogger } from '../../log';
import { snoozeCluster } from '../../power/snoozeCluster';
import { flagString, parseArgs } from '../args';
import { withAppContext } from '../appContext';
import type { Command } from '../command';

const usage = 'snooze CLUSTER --until HH:MM | --for 2h [--sim] [--fleet FILE]';

/** `aks-day2 snooze`: the same code as ChatOps `snooze CLUSTER for 2h|until 22:00`. */
export const snoozeCommand: Command = {
  name: 'snooze',
  usage: `${usage}    keep a cluster running past its stop edge until then (cluster's local time)`,
  description:
    'The power schedule does not stop the cluster before the snooze ends; it then stops it (within the\ncatch-up window). ChatOps has the same command: snooze CLUSTER for 2h | until 22:00.',
  examples: ['aks-day2 snooze aks-dev-weu-01 --for 2h', 'aks-day2 snooze aks-dev-weu-01 --until 22:00 --sim'],
  async run(argv, out) {
    const a = parseArgs(
      argv,
      { value: ['until', 'for', 'fleet'], bool: ['sim'] },
      `usage: aks-day2 ${usage}`,
    );
    const [cluster, ...extra] = a.positionals;
    if (cluster === undefined || extra.length > 0)
      throw new Day2Error('BadRequest', `give one cluster (name or resource id)\nusage: aks-day2 ${usage}`);
    const until = flagString(a, 'until');
    const forText = flagString(a, 'for');
    if ((until === undefined) === (forText === undefined))
      throw new Day2Error(
        'BadRequest',
        `give either --until HH:MM or --for DURATION\nusage: aks-day2 ${usage}`,
      );
    return withAppContext(
      { sim: a.flags.has('sim'), fleet: flagString(a, 'fleet'), log: consoleLogger },
      async (ctx) => {
        const deps = createDeps(ctx.settings, {
          log: { ...ctx.log, info: () => undefined },
          clock: ctx.clock,
        });
        out(
          await snoozeCluster(deps, { cluster, until, for: forText, actor: `cli:${os.userInfo().username}` }),
        );
        return 0;
      },
    );
  },
};
