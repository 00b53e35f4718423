import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import { createAzureClients, type ClientTuning } from '../azure/clients';
import type { Deps } from '../deps';
import type { OperationStore } from '../state/operationStore';

/** A point in an operation's life: a call of the operation store, just before it writes or just after. */
export interface KillPoint {
  method: keyof OperationStore;
  when: 'before' | 'after';
}

const never = (): Promise<never> => new Promise<never>(() => undefined);

/**
 * A copy of `deps` for a process that is killed at `at`: once the operation store's `method` is called
 * (`before`: its write never happens; `after`: once it wrote), that call and every later call on the
 * state stores and the notifier never return, and no ARM request of its own leaves any more (its Azure
 * clients' pipeline holds every attempt, an SDK retry included), as if the process had died there:
 * nothing it would have done next happens. `killed` resolves at that moment. The tables, the simulator
 * and the receivers are the real ones, so a fresh `deps` on them is the process that comes next.
 * `tuning`: the retry options of the dying process's Azure clients.
 */
export function dyingAt(
  deps: Deps,
  at: KillPoint,
  tuning: ClientTuning = { retryDelayInMs: 20, maxRetryDelayInMs: 2000 },
): { deps: Deps; killed: Promise<void> } {
  let dead = false;
  let die: () => void = () => undefined;
  const killed = new Promise<void>((resolve) => {
    die = () => {
      dead = true;
      resolve();
    };
  });
  const frozen = <T extends object>(target: T, point?: KillPoint): T =>
    new Proxy(target, {
      get(t, prop, receiver) {
        const value: unknown = Reflect.get(t, prop, receiver);
        if (typeof value !== 'function') return value;
        const fn = value as (...args: unknown[]) => Promise<unknown>;
        return async (...args: unknown[]) => {
          if (dead) return never();
          if (point && prop === point.method) {
            if (point.when === 'before') {
              die();
              return never();
            }
            await fn.apply(t, args);
            die();
            return never();
          }
          return fn.apply(t, args);
        };
      },
    });
  const state = Object.fromEntries(
    Object.entries(deps.state).map(([k, store]) => [
      k,
      frozen(store as object, k === 'operations' ? at : undefined),
    ]),
  ) as unknown as Deps['state'];
  // A dead process sends nothing: not even the retry of a request whose answer was lost before it died.
  const halt: PipelinePolicy = {
    name: 'killedProcess',
    sendRequest: (request, next) => (dead ? never() : next(request)),
  };
  const azure = createAzureClients(
    deps.settings,
    { ...tuning, additionalPolicies: [{ policy: halt, position: 'perRetry' }] },
    deps.azure.credential,
  );
  return { deps: { ...deps, azure, state, notifier: frozen(deps.notifier) }, killed };
}
