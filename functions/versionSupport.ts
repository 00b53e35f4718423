import type { InvocationContext, Timer } from '@azure/functions';
import { depsFor } from '../shared/deps';
import { timerFunction } from '../shared/host/registry';
import { runVersionSupport } from '../shared/versions/runVersionSupport';

/** `versionSupport` (docs/functions.md): daily, the support status of every cluster, one card worst first. */
export async function versionSupport(_timer: Timer, ctx: InvocationContext): Promise<void> {
  await runVersionSupport(depsFor(ctx), { actor: 'timer' });
}

timerFunction({ name: 'versionSupport', schedule: '%DAY2_VERSION_CRON%', handler: versionSupport });
