import type { InvocationContext } from '@azure/functions';
import { depsFor, type Deps } from '../shared/deps';
import { eventGridFunction } from '../shared/host/registry';
import { handleAksEvents } from '../shared/events/handleAksEvents';
import { parseAksEvents } from '../shared/events/parse';

/** The handler over a Deps factory (the Functions host uses `depsFor`; tests point it at the simulator). */
export function aksEventsHandler(deps: (ctx: InvocationContext) => Deps = depsFor) {
  return async (event: unknown, ctx: InvocationContext): Promise<void> => {
    await handleAksEvents(deps(ctx), parseAksEvents(event));
  };
}

/**
 * `aksEvents` (docs/functions.md, Event Grid): one AKS system event from Event Grid (Event Grid or CloudEvents schema; the
 * trigger answers the subscription handshake itself).
 */
export const aksEvents = aksEventsHandler();

eventGridFunction({ name: 'aksEvents', handler: aksEvents });
