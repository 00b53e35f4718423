import type { InvocationContext, Timer } from '@azure/functions';
import { depsFor } from '../shared/deps';
import { timerFunction } from '../shared/host/registry';
import { runKubernetesUpgrade } from '../shared/upgrades/runKubernetesUpgrade';

/** `kubernetesUpgrade` (docs/functions.md, docs/upgrades.md): hourly, unattended Kubernetes upgrades by `day2-upgrade` policy, ring by ring, inside windows. */
export async function kubernetesUpgrade(_timer: Timer, ctx: InvocationContext): Promise<void> {
  await runKubernetesUpgrade(depsFor(ctx), { actor: 'timer' });
}

timerFunction({ name: 'kubernetesUpgrade', schedule: '%DAY2_UPGRADE_CRON%', handler: kubernetesUpgrade });
