import type { InvocationContext, Timer } from '@azure/functions';
import { depsFor } from '../shared/deps';
import { timerFunction } from '../shared/host/registry';
import { runHousekeeping } from '../shared/housekeeping/runHousekeeping';

/** `housekeeping` (docs/retention.md): daily, prunes every table the app writes of what is older than DAY2_RETENTION_DAYS. */
export async function housekeeping(_timer: Timer, ctx: InvocationContext): Promise<void> {
  await runHousekeeping(depsFor(ctx));
}

timerFunction({ name: 'housekeeping', schedule: '%DAY2_HOUSEKEEPING_CRON%', handler: housekeeping });
