import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import { createAzureClients, type ClientTuning } from '../azure/clients';
import type { Deps } from '../deps';
import type { OperationStore } from '../state/operationStore';
import type { UpgradeRunStore } from '../state/upgradeRunStore';

/**
 * A point in an operation's life: a call of the operation store (or, with `store: 'upgradeRuns'`, of the
 * upgrade run store), just before it writes or just after.
 */
export type KillPoint = (
  | { store?: 'operations'; method: keyof OperationStore }
  | { store: 'upgradeRuns'; method: keyof UpgradeRunStore }
) & {
  when: 'before' | 'after';
  /** Only a call whose arguments match (default: any call). */
  match?: (args: unknown[]) => boolean;
  /** How the point is named in a report. */
  label?: string;
};

const never = (): Promise<never> => new Promise<never>(() => undefined);

/**
 * A copy of `deps` for a process that is killed at `at` (the first of them it reaches): once the store's
 * `method` is called (`before`: its write never happens; `after`: once it wrote), that call and every
 * later call on the state stores and the notifier never return, and no ARM request of its own leaves
 * any more (its Azure clients' pipeline holds every attempt, an SDK retry included), as if the process
 * had died there: nothing it would have done next happens. `killed` resolves once what it had already
 * sent has landed. The tables, the simulator and the receivers are the real ones, so a fresh `deps` on
 * them is the process that comes next.
 * `tuning`: the retry options of the dying process's Azure clients.
 */
export function dyingAt(
  deps: Deps,
  at: KillPoint | KillPoint[],
  tuning: ClientTuning = { retryDelayInMs: 20, maxRetryDelayInMs: 2000 },
): { deps: Deps; killed: Promise<void>; at: () => KillPoint | undefined } {
  let dead = false;
  // Calls (storage, notifier) and ARM requests the process had on their way when it died: they still
  // land (they had left), and `killed` waits for them, so the next process (and the virtual clock) only
  // moves on once nothing of the dead one can arrive any more.
  let inflight = 0;
  let resolveKilled: () => void = () => undefined;
  const killed = new Promise<void>((resolve) => (resolveKilled = resolve));
  const settled = () => {
    if (dead && inflight === 0) resolveKilled();
  };
  let diedAt: KillPoint | undefined;
  const die = (point: KillPoint) => {
    diedAt = point;
    dead = true;
    settled();
  };
  const tracked = async <T>(call: () => Promise<T>): Promise<T> => {
    inflight++;
    try {
      return await call();
    } finally {
      inflight--;
      settled();
    }
  };
  const points = Array.isArray(at) ? at : [at];
  const frozen = <T extends object>(target: T, mine: KillPoint[] = []): T =>
    new Proxy(target, {
      get(t, prop, receiver) {
        const value: unknown = Reflect.get(t, prop, receiver);
        if (typeof value !== 'function') return value;
        const fn = value as (...args: unknown[]) => Promise<unknown>;
        return async (...args: unknown[]) => {
          if (dead) return never();
          const point = mine.find((p) => p.method === prop && (p.match?.(args) ?? true));
          if (point) {
            if (point.when === 'before') {
              die(point);
              return never();
            }
            await tracked(() => fn.apply(t, args));
            die(point);
            return never();
          }
          const result = await tracked(() => fn.apply(t, args));
          return dead ? never() : result; // its answer reaches no one
        };
      },
    });
  const state = Object.fromEntries(
    Object.entries(deps.state).map(([k, store]) => [
      k,
      frozen(
        store as object,
        points.filter((p) => (p.store ?? 'operations') === k),
      ),
    ]),
  ) as unknown as Deps['state'];
  // A dead process sends nothing: not even the retry of a request whose answer was lost before it died.
  const halt: PipelinePolicy = {
    name: 'killedProcess',
    sendRequest: async (request, next) => {
      if (dead) return never();
      const response = await tracked(() => next(request));
      return dead ? never() : response;
    },
  };
  const azure = createAzureClients(
    deps.settings,
    { ...tuning, additionalPolicies: [{ policy: halt, position: 'perRetry' }] },
    deps.azure.credential,
  );
  return {
    deps: { ...deps, azure, state, notifier: frozen(deps.notifier) },
    killed,
    at: () => diedAt,
  };
}
