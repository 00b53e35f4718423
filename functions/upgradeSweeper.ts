import { app, type InvocationContext, type Timer } from '@azure/functions';
import type { Clock } from '../shared/clock';
import { depsFor } from '../shared/deps';
import { runSweep } from '../shared/sweeper/runSweep';

/** `upgradeSweeper` (docs/functions.md): every minute, records the end of in-flight operations no event recorded. */
export async function upgradeSweeper(_timer: Timer, ctx: InvocationContext, clock?: Clock): Promise<void> {
  await runSweep(depsFor(ctx, process.env, clock));
}

app.timer('upgradeSweeper', { schedule: '%DAY2_SWEEP_CRON%', handler: upgradeSweeper });
