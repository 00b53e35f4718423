import { discoverFleet } from '../../fleet/inventory';
import type { AppContext } from '../appContext';
import { formatPowerPlan, powerPlanData, type PowerPlanView } from '../formatPowerPlan';
import type { PlanView } from './planView';

/** `plan --job power-schedule`: the power plan now, with the snoozes and handled edges in the app's state. */
export async function powerSchedulePlan(ctx: AppContext): Promise<PlanView> {
  const inventory = await discoverFleet(ctx.azure, ctx.settings.subscriptions, {
    ...ctx.log,
    info: () => undefined,
  });
  const now = ctx.clock.now();
  const [snoozes, handledEdges] = await Promise.all([ctx.state.snoozes.all(now), ctx.state.edges.all()]);
  const view: PowerPlanView = {
    inventory,
    now,
    defaultTimezone: ctx.settings.defaultTimezone,
    catchupMinutes: ctx.settings.catchupMinutes,
    snoozes,
    handledEdges,
  };
  return {
    text: () => formatPowerPlan(view),
    data: () => powerPlanData(view),
    failed: inventory.failures.length > 0,
  };
}
