import type { InvocationContext, Timer } from '@azure/functions';
import { depsFor } from '../shared/deps';
import { timerFunction } from '../shared/host/registry';
import { runSweep } from '../shared/sweeper/runSweep';

/** `upgradeSweeper` (docs/functions.md): every minute, records the end of in-flight operations no event recorded. */
export async function upgradeSweeper(_timer: Timer, ctx: InvocationContext): Promise<void> {
  await runSweep(depsFor(ctx));
}

timerFunction({ name: 'upgradeSweeper', schedule: '%DAY2_SWEEP_CRON%', handler: upgradeSweeper });
