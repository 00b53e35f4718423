import type { InvocationContext, Timer } from '@azure/functions';
import { depsFor } from '../shared/deps';
import { timerFunction } from '../shared/host/registry';
import { runNodeImage } from '../shared/nodeimage/runNodeImage';

/** `nodeImageUpgrade` (docs/functions.md): hourly, upgrades node images of `auto` pools inside their window, ring by ring. */
export async function nodeImageUpgrade(_timer: Timer, ctx: InvocationContext): Promise<void> {
  await runNodeImage(depsFor(ctx), { actor: 'timer' });
}

timerFunction({ name: 'nodeImageUpgrade', schedule: '%DAY2_NODE_IMAGE_CRON%', handler: nodeImageUpgrade });
