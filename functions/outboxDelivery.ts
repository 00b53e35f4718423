import type { InvocationContext, Timer } from '@azure/functions';
import { depsFor } from '../shared/deps';
import { timerFunction } from '../shared/host/registry';

/** Every minute: delivers the Teams cards and Log Analytics rows waiting in the outbox (PRODUCT §10). */
export async function outboxDelivery(_timer: Timer, ctx: InvocationContext): Promise<void> {
  await depsFor(ctx).notifier.deliverPending();
}

timerFunction({ name: 'outboxDelivery', schedule: '0 * * * * *', handler: outboxDelivery });
