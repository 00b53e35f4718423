import { silentLogger } from '../log';
import { startLocalEnvironment, type LocalEnvOptions, type LocalEnvironment } from '../local/localEnv';
import { startServe, type ServeOptions } from '../local/serve/serve';

/** What the served benches choose of `aks-day2 serve` (the rest is the local environment's). */
export type ServedOptions = Pick<ServeOptions, 'easyAuth' | 'timers' | 'queues'>;

/**
 * Runs `fn` against `aks-day2 serve` in this process, on a local simulator and Azurite (`local`), with
 * the simulator's clock; stops both and gives `process.env` back afterwards (serve writes the app
 * settings there, where the handlers read them).
 */
export async function withServedLocal<T>(
  local: LocalEnvOptions,
  served: ServedOptions,
  fn: (url: string, env: LocalEnvironment) => Promise<T>,
): Promise<T> {
  const saved = { ...process.env };
  const env = await startLocalEnvironment(local);
  try {
    const s = await startServe({
      port: 0,
      env: env.env,
      clock: { now: () => env.sim.clock.now() },
      log: silentLogger,
      ...served,
    });
    try {
      return await fn(s.url, env);
    } finally {
      await s.close();
    }
  } finally {
    await env.close();
    process.env = saved;
  }
}

/** The `p`th percentile of ascending `sorted` (nearest rank); 0 when empty. */
export const percentile = (sorted: readonly number[], p: number): number =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : 0;
