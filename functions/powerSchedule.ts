import type { InvocationContext, Timer } from '@azure/functions';
import { depsFor } from '../shared/deps';
import { timerFunction } from '../shared/host/registry';
import { runPowerSchedule } from '../shared/power/runPowerSchedule';

/** `powerSchedule` (docs/functions.md): every 5 minutes, starts and stops opted-in clusters at their cron edges. */
export async function powerSchedule(timer: Timer, ctx: InvocationContext): Promise<void> {
  await runPowerSchedule(depsFor(ctx), { actor: 'timer', pastDue: timer.isPastDue });
}

timerFunction({ name: 'powerSchedule', schedule: '%DAY2_POWER_CRON%', handler: powerSchedule });
