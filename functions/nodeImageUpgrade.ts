import { app, type InvocationContext, type Timer } from '@azure/functions';
import type { Clock } from '../shared/clock';
import { depsFor } from '../shared/deps';
import { runNodeImage } from '../shared/nodeimage/runNodeImage';

/** `nodeImageUpgrade` (docs/functions.md): hourly, upgrades node images of `auto` pools inside their window, ring by ring. */
export async function nodeImageUpgrade(_timer: Timer, ctx: InvocationContext, clock?: Clock): Promise<void> {
  await runNodeImage(depsFor(ctx, process.env, clock), { actor: 'timer' });
}

app.timer('nodeImageUpgrade', { schedule: '%DAY2_NODE_IMAGE_CRON%', handler: nodeImageUpgrade });
