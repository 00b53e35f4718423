import { app, type InvocationContext, type Timer } from '@azure/functions';
import type { Clock } from '../shared/clock';
import { depsFor } from '../shared/deps';

/** Every minute: delivers the Teams cards and Log Analytics rows waiting in the outbox (docs/records.md). */
export async function outboxDelivery(_timer: Timer, ctx: InvocationContext, clock?: Clock): Promise<void> {
  await depsFor(ctx, process.env, clock).notifier.deliverPending();
}

app.timer('outboxDelivery', { schedule: '0 * * * * *', handler: outboxDelivery });
