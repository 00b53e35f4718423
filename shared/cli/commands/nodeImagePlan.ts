import { planNodeImageRun } from '../../nodeimage/runNodeImage';
import type { AppContext } from '../appContext';
import { formatNodeImagePlan } from '../formatNodeImagePlan';
import type { PlanView } from './planView';

/** `aks-day2 plan --job node-image`: the plan now, with the node-image history in the app's state. */
export async function nodeImagePlan(ctx: AppContext): Promise<PlanView> {
  const result = await planNodeImageRun({ ...ctx, log: { ...ctx.log, info: () => undefined } });
  const { facts, decisions } = result;
  return {
    text: () => formatNodeImagePlan(result),
    data: () => ({
      job: 'node-image',
      at: facts.now,
      decisions,
      readFailures: facts.readFailures.map((f) => ({ cluster: f.cluster.name, error: f.error })),
      tagErrors: facts.tagErrors.map((t) => ({ cluster: t.cluster.name, ...t.error })),
    }),
    failed: facts.readFailures.length > 0 || facts.inventory.failures.length > 0,
  };
}
