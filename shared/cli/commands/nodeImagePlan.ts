import type { AppContext } from '../appContext';
import { createStateStore } from '../../state/stateStore';
import { formatNodeImagePlan } from '../formatNodeImagePlan';
import { planNodeImageRun } from '../../nodeimage/runNodeImage';

/** `aks-day2 plan --job node-image`: the plan now, with the node-image history in the app's state. */
export async function nodeImagePlan(ctx: AppContext): Promise<string> {
  const state = createStateStore(ctx.settings.storageConnectionString);
  return formatNodeImagePlan(
    await planNodeImageRun({ ...ctx, log: { ...ctx.log, info: () => undefined }, state }),
  );
}
