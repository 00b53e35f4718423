import { discoverFleet } from '../../fleet/inventory';
import { formatPowerPlan } from '../formatPowerPlan';
import { createStateStore } from '../../state/stateStore';
import type { AppContext } from '../appContext';

/** `plan --job power-schedule`: the power plan now, with the snoozes and handled edges in the app's state. */
export async function powerSchedulePlan(ctx: AppContext): Promise<string> {
  const inventory = await discoverFleet(ctx.azure, ctx.settings.subscriptions, {
    ...ctx.log,
    info: () => undefined,
  });
  const state = createStateStore(ctx.settings.storageConnectionString);
  const now = ctx.clock.now();
  const [snoozes, handledEdges] = await Promise.all([state.snoozes.all(now), state.edges.all()]);
  return formatPowerPlan({
    inventory,
    now,
    defaultTimezone: ctx.settings.defaultTimezone,
    catchupMinutes: ctx.settings.catchupMinutes,
    snoozes,
    handledEdges,
  });
}
