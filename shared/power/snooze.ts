import { DateTime, IANAZone } from 'luxon';
import { instantOfWall } from './edges';

/** `snooze CLUSTER for 2h|until 22:00` (docs/chatops.md, docs/cli.md): keeps a cluster running past its stop edge. */
export interface SnoozeArgs {
  /** Local time `HH:MM` in the cluster's zone; the next occurrence after now. */
  until?: string;
  /** A duration: `2h`, `90m`, `1h30m`. */
  for?: string;
}

export const MAX_SNOOZE_MINUTES = 24 * 60;
const HHMM = /^([01]?\d|2[0-3]):([0-5]\d)$/;
const DURATION = /^(?:(\d{1,4})h)?(?:(\d{1,4})m)?$/;
const USAGE =
  'expected "for <duration>" (e.g. for 2h, for 90m, for 1h30m) or "until HH:MM" (e.g. until 22:00)';

function untilLocal(text: string, now: Date, zone: IANAZone): { until: Date } | { error: string } {
  const m = HHMM.exec(text.trim());
  if (!m) return { error: `until: expected a local time HH:MM (24-hour), e.g. 22:00; got "${text}"` };
  const local = DateTime.fromJSDate(now, { zone });
  for (const days of [0, 1, 2]) {
    const d = local.plus({ days });
    // Wall clock of the wanted time, written as UTC; a time inside a DST gap resolves to the end of the gap.
    const wall = Date.UTC(d.year, d.month - 1, d.day, Number(m[1]), Number(m[2]));
    const at = instantOfWall(zone, wall);
    if (at > now.getTime()) return { until: new Date(at) };
  }
  return { error: `until: ${text} does not occur in ${zone.name}` };
}

function forDuration(text: string, now: Date): { until: Date } | { error: string } {
  const m = DURATION.exec(text.trim().toLowerCase().replace(/\s+/g, ''));
  if (!m || (m[1] === undefined && m[2] === undefined)) {
    return { error: `for: expected a duration such as 2h, 90m or 1h30m; got "${text}"` };
  }
  const minutes = Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0);
  if (minutes <= 0) return { error: `for: expected a duration longer than 0; got "${text}"` };
  if (minutes > MAX_SNOOZE_MINUTES) return { error: `for: a snooze lasts at most 24h; got "${text}"` };
  return { until: new Date(now.getTime() + minutes * 60_000) };
}

/** Resolves a snooze request to the instant it ends. At most 24 h from now. */
export function parseSnooze(args: SnoozeArgs, now: Date, zone: string): { until: Date } | { error: string } {
  const z = IANAZone.create(zone);
  if (!z.isValid) return { error: `zone: "${zone}" is not an IANA time zone` };
  if (args.until !== undefined && args.for !== undefined)
    return { error: `give either "for" or "until", not both; ${USAGE}` };
  if (args.until !== undefined) {
    const r = untilLocal(args.until, now, z);
    if ('error' in r) return r;
    if (r.until.getTime() - now.getTime() > MAX_SNOOZE_MINUTES * 60_000)
      return { error: `until: a snooze lasts at most 24h; ${args.until} is further away` };
    return r;
  }
  if (args.for !== undefined) return forDuration(args.for, now);
  return { error: USAGE };
}

/** ChatOps words after the cluster name: `for 2h`, `for 1h 30m`, `until 22:00`. */
export function parseSnoozeText(text: string): SnoozeArgs | { error: string } {
  const m = /^\s*(for|until)\s+(.+?)\s*$/i.exec(text);
  if (!m) return { error: USAGE };
  const value = m[2]!;
  return m[1]!.toLowerCase() === 'for' ? { for: value.replace(/\s+/g, '') } : { until: value };
}
