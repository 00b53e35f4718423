import type { InvocationContext, Timer } from '@azure/functions';
import { forwardAuditRows } from '../shared/audit/auditTrail';
import { depsFor } from '../shared/deps';
import { timerFunction } from '../shared/host/registry';

/**
 * Every minute: moves the audit rows of HTTP calls into the outbox, then delivers the Teams cards and
 * Log Analytics rows waiting there (docs/records.md).
 */
export async function outboxDelivery(_timer: Timer, ctx: InvocationContext): Promise<void> {
  const deps = depsFor(ctx);
  await forwardAuditRows(deps);
  await deps.notifier.deliverPending();
}

timerFunction({ name: 'outboxDelivery', schedule: '0 * * * * *', handler: outboxDelivery });
