import { Day2Error } from '../../errors';
import { consoleLogger } from '../../log';
import { discoverFleet } from '../../fleet/inventory';
import { flagString, parseArgs } from '../args';
import { withAppContext } from '../appContext';
import type { Command } from '../command';
import { formatInventoryPlan } from '../inventoryPlan';
import { nodeImagePlan } from './nodeImagePlan';
import { versionSupportPlan } from './versionPlan';
import { powerSchedulePlan } from './powerPlan';
import { createDeps } from '../../deps';
import { formatUnattendedPlan } from '../../upgrades/format';
import { planUnattended } from '../../upgrades/runKubernetesUpgrade';

/** Job plans that `plan --job NAME` can show; each job registers its own formatter here. */
export const JOB_PLANS: Record<
  string,
  (ctx: Parameters<Parameters<typeof withAppContext>[1]>[0]) => Promise<string>
> = {
  'power-schedule': powerSchedulePlan,
  'node-image': nodeImagePlan,
  'version-support': versionSupportPlan,
  upgrades: async (ctx) => {
    const deps = createDeps(ctx.settings, { log: { ...ctx.log, info: () => undefined }, clock: ctx.clock });
    return formatUnattendedPlan((await planUnattended(deps)).decisions);
  },
};

const usage = 'plan [--sim] [--fleet FILE] [--job NAME]';

export const planCommand: Command = {
  name: 'plan',
  usage: `${usage}    what each job would do now; changes nothing`,
  async run(argv, out) {
    const a = parseArgs(argv, { value: ['job', 'fleet'], bool: ['sim'] }, `usage: aks-day2 ${usage}`);
    const job = flagString(a, 'job');
    if (job !== undefined && !JOB_PLANS[job]) {
      throw new Day2Error(
        'BadRequest',
        `--job ${job}: no such job (jobs: ${Object.keys(JOB_PLANS).join(', ') || 'none'})\nusage: aks-day2 ${usage}`,
      );
    }
    return withAppContext(
      { sim: a.flags.has('sim'), fleet: flagString(a, 'fleet'), log: consoleLogger },
      async (ctx) => {
        if (job) {
          out(await JOB_PLANS[job]!(ctx));
          return 0;
        }
        const inv = await discoverFleet(ctx.azure, ctx.settings.subscriptions, {
          ...ctx.log,
          info: () => undefined,
        });
        out(formatInventoryPlan(inv, ctx.settings));
        return inv.failures.length ? 1 : 0;
      },
    );
  },
};
