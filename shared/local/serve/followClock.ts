import type { Clock } from '../../clock';
import { simAdmin } from '../simAdmin';

export interface FollowedClock {
  clock: Clock;
  stop(): void;
}

/**
 * The clock of a simulator running elsewhere (`aks-day2 sim`, a test), followed over its admin API:
 * read once, then every `pollMs`, so a `serve` pointed at a simulator lives at the simulator's time
 * (its virtual day, jumps included) as the embedded one does with `--sim`.
 */
export async function followSimulatorClock(
  sim: { admin: string; caCert: string },
  pollMs = 100,
): Promise<FollowedClock> {
  let base = { virtual: 0, real: 0, speed: 1 };
  const read = async (): Promise<void> => {
    const c = await simAdmin<{ now: string; speed: number }>(sim, 'GET', '/clock');
    base = { virtual: new Date(c.now).getTime(), real: Date.now(), speed: c.speed };
  };
  await read();
  let stopped = false;
  const timer = setInterval(() => {
    if (!stopped) void read().catch(() => undefined);
  }, pollMs);
  timer.unref();
  return {
    clock: { now: () => new Date(base.virtual + (Date.now() - base.real) * base.speed) },
    stop: () => {
      stopped = true;
      clearInterval(timer);
    },
  };
}
