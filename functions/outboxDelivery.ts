import { app, type InvocationContext, type Timer } from '@azure/functions';
import { depsFor } from '../shared/deps';

/** Every minute: delivers the Teams cards and Log Analytics rows waiting in the outbox (PRODUCT §10). */
export async function outboxDelivery(_timer: Timer, ctx: InvocationContext): Promise<void> {
  const report = await depsFor(ctx).notifier.deliverPending();
  if (report.delivered > 0 || report.parked > 0 || report.pending > 0) {
    ctx.log(`outbox: delivered ${report.delivered}, parked ${report.parked}, waiting ${report.pending}`);
  }
}

app.timer('outboxDelivery', { schedule: '0 * * * * *', handler: outboxDelivery });
