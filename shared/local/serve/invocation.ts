import { randomUUID } from 'node:crypto';
import { InvocationContext, type InvocationContextInit } from '@azure/functions';
import type { Logger } from '../../log';

/** An InvocationContext whose logs go to `log`, as the Functions host gives each invocation. */
export function invocationContext(
  functionName: string,
  log: Logger,
  triggerMetadata?: InvocationContextInit['triggerMetadata'],
): InvocationContext {
  return new InvocationContext({
    functionName,
    invocationId: randomUUID(),
    triggerMetadata,
    logHandler: (level, ...args) => {
      const text = `[${functionName}] ${args.map((a) => (a instanceof Error ? a.message : String(a))).join(' ')}`;
      if (level === 'error' || level === 'critical') log.error(text);
      else if (level === 'warning') log.warn(text);
      else if (level === 'information') log.info(text);
    },
  });
}
