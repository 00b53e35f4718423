import { app, type InvocationContext, type Timer } from '@azure/functions';
import type { Clock } from '../shared/clock';
import { depsFor } from '../shared/deps';
import { runVersionSupport } from '../shared/versions/runVersionSupport';

/** `versionSupport` (docs/functions.md): daily, the support status of every cluster, one card worst first. */
export async function versionSupport(_timer: Timer, ctx: InvocationContext, clock?: Clock): Promise<void> {
  await runVersionSupport(depsFor(ctx, process.env, clock), { actor: 'timer' });
}

app.timer('versionSupport', { schedule: '%DAY2_VERSION_CRON%', handler: versionSupport });
