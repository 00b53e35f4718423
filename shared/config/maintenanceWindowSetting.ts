import { DateTime, IANAZone } from 'luxon';

/**
 * `DAY2_MAINTENANCE_WINDOW`: the window used for clusters that have no AKS maintenance configuration.
 * Format: `<days> <HH:MM>-<HH:MM> [<IANA zone>]`, days being `daily`, a range `Mon-Fri` or a list
 * `Sat,Sun`. An end at or before the start means the window crosses midnight (it belongs to the day it
 * starts on). Zone defaults to UTC. Examples: `Sat,Sun 01:00-05:00 Europe/Paris`, `Mon-Fri 22:00-04:00`.
 */
export interface WindowSetting {
  /** ISO weekdays (1 = Monday .. 7 = Sunday) on which the window opens. */
  days: number[];
  startMinute: number;
  /** Length in minutes (1 .. 1440). */
  durationMinutes: number;
  zone: string;
  text: string;
}

const DAY_NAMES = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const FORMAT =
  'expected "<days> <HH:MM>-<HH:MM> [IANA zone]", e.g. "Sat,Sun 01:00-05:00 Europe/Paris" (days: daily, Mon-Fri or Sat,Sun)';

function dayIndex(name: string): number | undefined {
  const i = DAY_NAMES.indexOf(name.slice(0, 3).toLowerCase());
  return i < 0 || name.length < 3 ? undefined : i + 1;
}

function parseDays(text: string): number[] | undefined {
  if (text.toLowerCase() === 'daily') return [1, 2, 3, 4, 5, 6, 7];
  const days = new Set<number>();
  for (const part of text.split(',')) {
    const [a, b] = part.split('-');
    const from = a ? dayIndex(a) : undefined;
    if (from === undefined) return undefined;
    if (b === undefined) {
      days.add(from);
      continue;
    }
    const to = dayIndex(b);
    if (to === undefined) return undefined;
    for (let d = from; ; d = (d % 7) + 1) {
      days.add(d);
      if (d === to) break;
    }
  }
  return [...days].sort((x, y) => x - y);
}

function parseHHMM(t: string): number | undefined {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(t);
  return m ? Number(m[1]) * 60 + Number(m[2]) : undefined;
}

export function parseMaintenanceWindowSetting(text: string): { window: WindowSetting } | { error: string } {
  const parts = text.trim().split(/\s+/);
  if (parts.length < 2 || parts.length > 3) return { error: `"${text}": ${FORMAT}` };
  const days = parseDays(parts[0]!);
  if (!days) return { error: `"${parts[0]}" is not a day list; ${FORMAT}` };
  const [s, e] = parts[1]!.split('-');
  const start = s ? parseHHMM(s) : undefined;
  const end = e ? parseHHMM(e) : undefined;
  if (start === undefined || end === undefined)
    return { error: `"${parts[1]}" is not a time range; ${FORMAT}` };
  const zone = parts[2] ?? 'UTC';
  if (!IANAZone.isValidZone(zone)) return { error: `"${zone}" is not an IANA time zone; ${FORMAT}` };
  const durationMinutes = end > start ? end - start : end + 1440 - start;
  return { window: { days, startMinute: start, durationMinutes, zone, text: text.trim() } };
}

/** True when `now` lies inside the window (a window crossing midnight belongs to the day it opens). */
export function settingWindowContains(w: WindowSetting, now: Date): boolean {
  const local = DateTime.fromJSDate(now, { zone: w.zone });
  for (const back of [0, 1]) {
    const day = local.minus({ days: back }).startOf('day');
    if (!w.days.includes(day.weekday)) continue;
    const open = day.plus({ minutes: w.startMinute });
    const close = open.plus({ minutes: w.durationMinutes });
    if (local >= open && local < close) return true;
  }
  return false;
}
