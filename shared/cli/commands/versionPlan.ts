import { planVersionSupport } from '../../versions/planVersionSupport';
import type { AppContext } from '../appContext';
import { formatVersionPlan } from '../formatVersionPlan';
import type { PlanView } from './planView';

/** `aks-day2 plan --job version-support`. */
export async function versionSupportPlan(ctx: AppContext): Promise<PlanView> {
  const plan = await planVersionSupport({ ...ctx, log: { ...ctx.log, info: () => undefined } });
  return {
    text: () => formatVersionPlan(plan),
    data: () => ({
      job: 'version-support',
      at: plan.now,
      assessments: plan.assessments,
      failures: plan.failures.map((f) => ({
        subscriptionId: f.subscriptionId,
        clusters: f.clusters.map((c) => c.name),
        error: f.error,
      })),
      missing: plan.missing,
    }),
    failed: plan.failures.length > 0,
  };
}
