import type { AppContext } from '../cli/appContext';
import { formatVersionPlan } from './formatVersionPlan';
import { planVersionSupport } from './planVersionSupport';

/** `aks-day2 plan --job version-support`. */
export async function versionSupportPlan(ctx: AppContext): Promise<string> {
  return formatVersionPlan(await planVersionSupport({ ...ctx, log: { ...ctx.log, info: () => undefined } }));
}
