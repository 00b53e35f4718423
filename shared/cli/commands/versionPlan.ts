import type { AppContext } from '../appContext';
import { formatVersionPlan } from '../formatVersionPlan';
import { planVersionSupport } from '../../versions/planVersionSupport';

/** `aks-day2 plan --job version-support`. */
export async function versionSupportPlan(ctx: AppContext): Promise<string> {
  return formatVersionPlan(await planVersionSupport({ ...ctx, log: { ...ctx.log, info: () => undefined } }));
}
