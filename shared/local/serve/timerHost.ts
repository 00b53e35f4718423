import type { Timer } from '@azure/functions';
import { CronExpressionParser } from 'cron-parser';
import type { Clock } from '../../clock';
import { SETTING_DEFAULTS } from '../../config/settings';
import { errorMessage } from '../../errors';
import type { TimerFunctionDefinition } from '../../host/registry';
import type { Logger } from '../../log';
import { invocationContext } from './invocation';

export interface TimerHostOptions {
  functions: readonly TimerFunctionDefinition[];
  env: Record<string, string | undefined>;
  clock: Clock;
  log: Logger;
  /** How often the host looks at the clock (real time). */
  pollMs?: number;
}

export interface TimerHost {
  /** Runs every timer that is due at the clock's now; resolves with their names once they ended. */
  fireDue(): Promise<string[]>;
  close(): Promise<void>;
}

/** `%DAY2_POWER_CRON%` → the app setting (or its default), as the Functions host resolves schedules. */
export function resolveSchedule(schedule: string, env: Record<string, string | undefined>): string {
  const m = /^%(\w+)%$/.exec(schedule.trim());
  if (!m) return schedule;
  const v = env[m[1]!]?.trim() || (SETTING_DEFAULTS as Record<string, string>)[m[1]!];
  if (!v) throw new Error(`schedule ${schedule}: app setting ${m[1]} is not set`);
  return v;
}

const nextAfter = (cron: string, after: Date): Date =>
  CronExpressionParser.parse(cron, { currentDate: after, tz: 'UTC' }).next().toDate();

/**
 * Timer functions on a clock (the simulator's virtual clock with `--sim`): each fires at its NCRONTAB
 * occurrences, one invocation at a time per function, `isPastDue` when the clock jumped past more than
 * one occurrence (as after a pause of the host).
 */
export function startTimerHost(opts: TimerHostOptions): TimerHost {
  const start = opts.clock.now();
  const timers = opts.functions.map((def) => {
    const cron = resolveSchedule(def.schedule, opts.env);
    return { def, cron, next: nextAfter(cron, start), busy: undefined as Promise<void> | undefined };
  });

  function fire(t: (typeof timers)[number], now: Date): Promise<void> {
    const due = t.next;
    const pastDue = nextAfter(t.cron, due) <= now;
    t.next = nextAfter(t.cron, now);
    const timer: Timer = {
      isPastDue: pastDue,
      schedule: { adjustForDST: false },
      scheduleStatus: { last: due.toISOString(), next: t.next.toISOString(), lastUpdated: now.toISOString() },
    };
    return (async () => {
      try {
        await t.def.handler(timer, invocationContext(t.def.name, opts.log));
      } catch (err) {
        opts.log.error(`[${t.def.name}] failed: ${errorMessage(err)}`);
      }
    })();
  }

  async function fireDue(): Promise<string[]> {
    const now = opts.clock.now();
    const fired: string[] = [];
    const runs: Promise<void>[] = [];
    for (const t of timers) {
      if (t.busy) {
        runs.push(t.busy);
        continue;
      }
      if (t.next > now) continue;
      fired.push(t.def.name);
      const p = fire(t, now).finally(() => (t.busy = undefined));
      t.busy = p;
      runs.push(p);
    }
    await Promise.all(runs);
    return fired;
  }

  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      await new Promise((r) => setTimeout(r, opts.pollMs ?? 250));
      if (!stopped) void fireDue();
    }
  })();

  return {
    fireDue,
    async close() {
      stopped = true;
      await loop;
      await Promise.all(timers.flatMap((t) => (t.busy ? [t.busy] : [])));
    },
  };
}
