import { Day2Error } from '../../errors';
import { consoleLogger } from '../../log';
import { discoverFleet } from '../../fleet/inventory';
import { flagInstant, flagString, parseArgs } from '../args';
import { withAppContext, type AppContext } from '../appContext';
import type { Command } from '../command';
import { formatInventoryPlan, inventoryPlanData } from '../inventoryPlan';
import { emit, OUTPUT_FLAG, OUTPUT_USAGE, outputFormat } from '../output';
import { nodeImagePlan } from './nodeImagePlan';
import type { PlanView } from './planView';
import { powerSchedulePlan } from './powerPlan';
import { createDeps } from '../../deps';
import { formatUnattendedPlan } from '../../upgrades/format';
import { planUnattended } from '../../upgrades/runKubernetesUpgrade';
import { versionSupportPlan } from './versionPlan';

/** Job plans that `plan --job NAME` can show; each job registers its view here. */
export const JOB_PLANS: Record<string, (ctx: AppContext) => Promise<PlanView>> = {
  'power-schedule': powerSchedulePlan,
  'node-image': nodeImagePlan,
  'version-support': versionSupportPlan,
  upgrades: async (ctx) => {
    const deps = createDeps(ctx.settings, { log: { ...ctx.log, info: () => undefined }, clock: ctx.clock });
    const plan = await planUnattended(deps);
    return { text: () => formatUnattendedPlan(plan.decisions), data: () => plan.decisions, failed: false };
  },
};

async function inventoryPlan(ctx: AppContext): Promise<PlanView> {
  const inv = await discoverFleet(ctx.azure, ctx.settings.subscriptions, {
    ...ctx.log,
    info: () => undefined,
  });
  const at = ctx.clock.now();
  return {
    text: () => formatInventoryPlan(inv, ctx.settings),
    data: () => inventoryPlanData(inv, ctx.settings, at),
    failed: inv.failures.length > 0,
  };
}

const usage = `plan [--job NAME] [--at ISO] ${OUTPUT_USAGE} [--sim] [--fleet FILE]`;

export const planCommand: Command = {
  name: 'plan',
  usage: `${usage}    what each job would do now; changes nothing`,
  description: [
    'Without --job: the fleet inventory, each cluster with its parsed tag policy and the tag errors.',
    `With --job: what that job would decide, with reasons (jobs: ${Object.keys(JOB_PLANS).join(', ')}).`,
    '--at shows what would happen at that instant (the plan is computed as if it were then).',
    'Read-only: against Azure it needs only a login (az login) and no AzureWebJobsStorage; the app',
    'state (snoozes, handled edges, history) is then read as empty, and the output says so.',
  ].join('\n'),
  examples: [
    'aks-day2 plan --sim',
    'aks-day2 plan --job power-schedule --at 2026-03-29T00:30:00Z    # the night the clocks change in Europe',
    'aks-day2 plan --job version-support --output json | jq \'.assessments[] | select(.status != "current")\'',
  ],
  async run(argv, out) {
    const a = parseArgs(
      argv,
      { value: ['job', 'fleet', 'at', OUTPUT_FLAG], bool: ['sim'] },
      `usage: aks-day2 ${usage}`,
    );
    const job = flagString(a, 'job');
    const format = outputFormat(a);
    const at = flagInstant(a, 'at');
    if (a.positionals.length > 0)
      throw new Day2Error('BadRequest', `unexpected ${a.positionals.join(' ')}\nusage: aks-day2 ${usage}`);
    if (job !== undefined && !JOB_PLANS[job]) {
      throw new Day2Error(
        'BadRequest',
        `--job ${job}: no such job (jobs: ${Object.keys(JOB_PLANS).join(', ') || 'none'})\nusage: aks-day2 ${usage}`,
      );
    }
    return withAppContext(
      { sim: a.flags.has('sim'), fleet: flagString(a, 'fleet'), at, readOnly: true, log: consoleLogger },
      async (ctx) => {
        const view = await (job ? JOB_PLANS[job]!(ctx) : inventoryPlan(ctx));
        emit(out, format, {
          text: () => [...ctx.notes, ...(ctx.notes.length ? [''] : []), view.text()].join('\n'),
          data: () => ({
            ...(view.data() as object),
            state: ctx.hasStorage ? 'storage' : 'empty',
            notes: ctx.notes,
          }),
        });
        return view.failed ? 1 : 0;
      },
    );
  },
};
