import { Day2Error } from '../errors';
import type { StateStore } from '../state/stateStore';

/** What read-only commands say when they run without storage. */
export const NO_STORAGE_NOTE =
  'No AzureWebJobsStorage: the app state (snoozes, handled edges, operations, findings) is read as empty.';

const reads: Record<string, Record<string, () => unknown>> = {
  edges: { all: () => new Map() },
  dryRunEdges: { all: () => new Map() },
  snoozes: { all: () => new Map() },
  operations: { inFlight: () => [], history: () => [], unreported: () => [], get: () => undefined },
  findings: { reported: () => new Map() },
  events: {},
};

/**
 * The app state as read by a read-only command without `AzureWebJobsStorage` (`aks-day2 plan` with
 * only `az login`): every read is empty; anything that would write refuses, naming the setting.
 */
export function emptyStateStore(): StateStore {
  const stores = Object.fromEntries(
    Object.entries(reads).map(([store, methods]) => [
      store,
      new Proxy(
        {},
        {
          get(_target, method) {
            const read = typeof method === 'string' ? methods[method] : undefined;
            if (read) return async () => read();
            return async () => {
              throw new Day2Error(
                'ConfigInvalid',
                `AzureWebJobsStorage is not set: ${store}.${String(method)} needs the app's storage`,
              );
            };
          },
        },
      ),
    ]),
  );
  return stores as unknown as StateStore;
}
