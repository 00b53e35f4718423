import type { MaintenanceConfiguration } from '@azure/arm-containerservice';
import { settingWindowContains, type WindowSetting } from '../config/maintenanceWindowSetting';

/**
 * Maintenance windows from AKS maintenance configurations (docs/tags.md): when aks-day2 may upgrade node
 * images. Pure: every check takes the time. Dates may be `Date` (SDK 25.x deserialises `startDate`,
 * `notAllowedDates`, `notAllowedTime`) or the wire's strings, so SDK results and raw JSON both fit.
 */
type DateLike = Date | string;

/** Structurally the SDK's `MaintenanceConfiguration` (which is assignable to it), with wire strings allowed. */
export interface MaintenanceConfigInput {
  name?: string;
  timeInWeek?: { day?: string; hourSlots?: number[] }[];
  notAllowedTime?: { start?: DateLike; end?: DateLike }[];
  maintenanceWindow?: {
    schedule: {
      daily?: { intervalDays: number };
      weekly?: { intervalWeeks: number; dayOfWeek: string };
      absoluteMonthly?: { intervalMonths: number; dayOfMonth: number };
      relativeMonthly?: { intervalMonths: number; weekIndex: string; dayOfWeek: string };
    };
    durationHours: number;
    utcOffset?: string;
    startDate?: DateLike;
    startTime: string;
    notAllowedDates?: { start: DateLike; end: DateLike }[];
  };
  systemData?: { createdAt?: DateLike };
}

// The SDK model must keep fitting this input type.
const _sdkFits = (c: MaintenanceConfiguration): MaintenanceConfigInput => c;
void _sdkFits;

export interface MaintenanceWindowCheck {
  contains(now: Date): boolean;
  describe(): string;
}

export type WindowSource = 'aksManagedNodeOSUpgradeSchedule' | 'default' | 'DAY2_MAINTENANCE_WINDOW' | 'none';

export interface ChosenWindow extends MaintenanceWindowCheck {
  source: WindowSource;
}

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const WEEK_INDEX = ['First', 'Second', 'Third', 'Fourth', 'Last'];

/** Days since 1970-01-01 of a `YYYY-MM-DD` (strings) or of a Date's UTC calendar day (SDK dates are UTC midnight). */
function dayNumber(d: DateLike | undefined): number | undefined {
  if (d === undefined) return undefined;
  if (d instanceof Date) return Number.isNaN(d.getTime()) ? undefined : Math.floor(d.getTime() / DAY_MS);
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(d.trim());
  if (!m) return undefined;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return Number.isNaN(ms) ? undefined : Math.floor(ms / DAY_MS);
}

function instant(d: DateLike | undefined): number | undefined {
  if (d === undefined) return undefined;
  const ms = d instanceof Date ? d.getTime() : Date.parse(d);
  return Number.isNaN(ms) ? undefined : ms;
}

function ymd(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

function weekday(day: number): number {
  return (((day + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday; 0 = Sunday
}

function civil(day: number): { y: number; m: number; d: number } {
  const dt = new Date(day * DAY_MS);
  return { y: dt.getUTCFullYear(), m: dt.getUTCMonth(), d: dt.getUTCDate() };
}

function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
}

function dayIndexOf(name: string): number {
  return WEEKDAYS.findIndex((w) => w.toLowerCase() === name.trim().toLowerCase());
}

function parseOffset(text: string | undefined): number | undefined {
  if (text === undefined || text === '') return 0;
  const m = /^([+-])(\d{2}):(\d{2})$/.exec(text.trim());
  if (!m || Number(m[2]) > 14 || Number(m[3]) > 59) return undefined;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

function parseHHMM(text: string): number | undefined {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text.trim());
  return m ? Number(m[1]) * 60 + Number(m[2]) : undefined;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function hhmm(minutes: number): string {
  return `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

interface Pattern {
  /** Matches the day pattern, ignoring the interval. */
  matches(day: number): boolean;
  /** Interval check between the first occurrence and a matching day. */
  inStep(first: number, day: number): boolean;
  text: string;
}

function plural(n: number, unit: string): string {
  return n === 1 ? `every ${unit}` : `every ${n} ${unit}s`;
}

function monthIndex(day: number): number {
  const c = civil(day);
  return c.y * 12 + c.m;
}

function patternOf(
  schedule: NonNullable<MaintenanceConfigInput['maintenanceWindow']>['schedule'],
): Pattern | string {
  const kinds = (['daily', 'weekly', 'absoluteMonthly', 'relativeMonthly'] as const).filter(
    (k) => schedule[k] !== undefined,
  );
  if (kinds.length !== 1)
    return `schedule must have exactly one of daily, weekly, absoluteMonthly, relativeMonthly (has ${kinds.join(', ') || 'none'})`;
  const okInterval = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 1;
  if (schedule.daily) {
    const n = schedule.daily.intervalDays;
    if (!okInterval(n)) return `daily.intervalDays must be a whole number ≥ 1 (got ${String(n)})`;
    return { matches: () => true, inStep: (f, d) => (d - f) % n === 0, text: plural(n, 'day') };
  }
  if (schedule.weekly) {
    const { intervalWeeks: n, dayOfWeek } = schedule.weekly;
    const dow = dayIndexOf(String(dayOfWeek));
    if (!okInterval(n)) return `weekly.intervalWeeks must be a whole number ≥ 1 (got ${String(n)})`;
    if (dow < 0) return `weekly.dayOfWeek "${String(dayOfWeek)}" is not a weekday`;
    return {
      matches: (d) => weekday(d) === dow,
      inStep: (f, d) => (d - f) % (7 * n) === 0,
      text: `${plural(n, 'week')} on ${WEEKDAYS[dow]}`,
    };
  }
  if (schedule.absoluteMonthly) {
    const { intervalMonths: n, dayOfMonth } = schedule.absoluteMonthly;
    if (!okInterval(n)) return `absoluteMonthly.intervalMonths must be a whole number ≥ 1 (got ${String(n)})`;
    if (!Number.isInteger(dayOfMonth) || dayOfMonth < 1 || dayOfMonth > 31)
      return `absoluteMonthly.dayOfMonth must be 1..31 (got ${String(dayOfMonth)})`;
    return {
      matches: (d) => civil(d).d === dayOfMonth, // months without that day have no occurrence
      inStep: (f, d) => (monthIndex(d) - monthIndex(f)) % n === 0,
      text: `${plural(n, 'month')} on day ${dayOfMonth}`,
    };
  }
  const rel = schedule.relativeMonthly!;
  const n = rel.intervalMonths;
  const dow = dayIndexOf(String(rel.dayOfWeek));
  const wi = WEEK_INDEX.findIndex((w) => w.toLowerCase() === String(rel.weekIndex).trim().toLowerCase());
  if (!okInterval(n)) return `relativeMonthly.intervalMonths must be a whole number ≥ 1 (got ${String(n)})`;
  if (dow < 0) return `relativeMonthly.dayOfWeek "${String(rel.dayOfWeek)}" is not a weekday`;
  if (wi < 0)
    return `relativeMonthly.weekIndex "${String(rel.weekIndex)}" is not First, Second, Third, Fourth or Last`;
  return {
    matches: (d) => {
      if (weekday(d) !== dow) return false;
      const c = civil(d);
      return wi === 4 ? c.d + 7 > daysInMonth(c.y, c.m) : Math.floor((c.d - 1) / 7) === wi;
    },
    inStep: (f, d) => (monthIndex(d) - monthIndex(f)) % n === 0,
    text: `${plural(n, 'month')} on the ${WEEK_INDEX[wi]!.toLowerCase()} ${WEEKDAYS[dow]}`,
  };
}

function invalid(name: string, why: string): MaintenanceWindowCheck {
  return { contains: () => false, describe: () => `${name}: invalid (${why}), treated as closed` };
}

function compileMaintenanceWindow(cfg: MaintenanceConfigInput, name: string): MaintenanceWindowCheck {
  const mw = cfg.maintenanceWindow!;
  const offset = parseOffset(mw.utcOffset);
  if (offset === undefined) return invalid(name, `utcOffset "${String(mw.utcOffset)}" is not ±HH:MM`);
  const start = parseHHMM(String(mw.startTime));
  if (start === undefined) return invalid(name, `startTime "${String(mw.startTime)}" is not HH:MM`);
  const hours = mw.durationHours;
  if (typeof hours !== 'number' || !(hours > 0 && hours <= 24))
    return invalid(name, `durationHours must be 1..24 (got ${String(hours)})`);
  const pattern = patternOf(mw.schedule ?? {});
  if (typeof pattern === 'string') return invalid(name, pattern);
  const startDay = dayNumber(mw.startDate);
  if (mw.startDate !== undefined && startDay === undefined)
    return invalid(name, `startDate "${String(mw.startDate)}" is not a date`);
  // Intervals count from the first occurrence on or after startDate (else the configuration's creation day, else 1970-01-01).
  const anchor = startDay ?? dayNumber(cfg.systemData?.createdAt) ?? 0;
  let first: number | undefined;
  for (let d = anchor; d < anchor + 800; d++)
    if (pattern.matches(d)) {
      first = d;
      break;
    }
  const blocked = (mw.notAllowedDates ?? [])
    .map((s) => ({ from: dayNumber(s.start), to: dayNumber(s.end) }))
    .filter((s): s is { from: number; to: number } => s.from !== undefined && s.to !== undefined);
  const occursOn = (d: number) =>
    first !== undefined && d >= first && pattern.matches(d) && pattern.inStep(first, d);
  const offsetText = `UTC${offset < 0 ? '-' : '+'}${hhmm(Math.abs(offset))}`;

  return {
    contains(now: Date): boolean {
      const local = now.getTime() + offset * MINUTE_MS; // wall time at the fixed offset, in UTC fields
      const today = Math.floor(local / DAY_MS);
      if (blocked.some((b) => today >= b.from && today <= b.to)) return false; // notAllowedDates: whole local days, end inclusive
      for (const d of [today, today - 1]) {
        if (!occursOn(d)) continue;
        const open = d * DAY_MS + start * MINUTE_MS;
        if (local >= open && local < open + hours * 3_600_000) return true;
      }
      return false;
    },
    describe(): string {
      const from = startDay !== undefined ? `, from ${ymd(startDay)}` : '';
      const except = blocked.length
        ? `, except ${blocked.map((b) => `${ymd(b.from)}..${ymd(b.to)}`).join(', ')}`
        : '';
      return `${name}: ${pattern.text} at ${hhmm(start)} ${offsetText} for ${hours}h${from}${except}`;
    },
  };
}

function compileTimeInWeek(cfg: MaintenanceConfigInput, name: string): MaintenanceWindowCheck {
  const slots = new Set<string>(); // "<weekday>:<hour>", UTC
  for (const t of cfg.timeInWeek ?? []) {
    const dow = t.day === undefined ? -1 : dayIndexOf(t.day);
    if (dow < 0) continue;
    for (const h of t.hourSlots ?? []) if (Number.isInteger(h) && h >= 0 && h <= 23) slots.add(`${dow}:${h}`);
  }
  const blocked = (cfg.notAllowedTime ?? [])
    .map((s) => ({ from: instant(s.start), to: instant(s.end) }))
    .filter((s): s is { from: number; to: number } => s.from !== undefined && s.to !== undefined);
  return {
    contains(now: Date): boolean {
      const t = now.getTime();
      if (blocked.some((b) => t >= b.from && t < b.to)) return false;
      return slots.has(`${now.getUTCDay()}:${now.getUTCHours()}`);
    },
    describe(): string {
      const byDay = WEEKDAYS.map((w, i) => {
        const hours = [...slots]
          .filter((s) => s.startsWith(`${i}:`))
          .map((s) => Number(s.split(':')[1]))
          .sort((a, b) => a - b);
        const ranges: [number, number][] = []; // contiguous hour slots merged: [1,2] → 01:00-03:00
        for (const h of hours) {
          const last = ranges[ranges.length - 1];
          if (last && last[1] === h) last[1] = h + 1;
          else ranges.push([h, h + 1]);
        }
        return ranges.length
          ? `${w} ${ranges.map(([a, b]) => `${pad(a)}:00-${pad(b % 24)}:00`).join(', ')}`
          : '';
      }).filter(Boolean);
      const except = blocked.length
        ? `, except ${blocked.map((b) => `${new Date(b.from).toISOString()}..${new Date(b.to).toISOString()}`).join(', ')}`
        : '';
      return `${name}: ${byDay.join('; ') || 'no hour slots'} UTC${except}`;
    },
  };
}

/** A configuration's window as a check; a configuration with neither form is a window that never opens. */
export function compileMaintenanceConfiguration(cfg: MaintenanceConfigInput): MaintenanceWindowCheck {
  const name = cfg.name ?? 'maintenance configuration';
  if (cfg.maintenanceWindow) return compileMaintenanceWindow(cfg, name);
  if (cfg.timeInWeek && cfg.timeInWeek.length > 0) return compileTimeInWeek(cfg, name);
  return invalid(name, 'neither maintenanceWindow nor timeInWeek is set');
}

/** True when `now` lies inside the configuration's window (and not in its not-allowed dates/times). */
export function maintenanceWindowContains(cfg: MaintenanceConfigInput, now: Date): boolean {
  return compileMaintenanceConfiguration(cfg).contains(now);
}

/**
 * The window that bounds node-image upgrades of one cluster: its `aksManagedNodeOSUpgradeSchedule`, else
 * its `default` configuration, else the `DAY2_MAINTENANCE_WINDOW` setting, else none (never open).
 */
export function chooseWindow(
  configs: readonly MaintenanceConfigInput[],
  setting?: WindowSetting,
): ChosenWindow {
  const named = (n: string) => configs.find((c) => (c.name ?? '').toLowerCase() === n.toLowerCase());
  for (const source of ['aksManagedNodeOSUpgradeSchedule', 'default'] as const) {
    const cfg = named(source);
    if (cfg) {
      const check = compileMaintenanceConfiguration({ ...cfg, name: source });
      return { source, contains: (now) => check.contains(now), describe: () => check.describe() };
    }
  }
  if (setting) {
    return {
      source: 'DAY2_MAINTENANCE_WINDOW',
      contains: (now) => settingWindowContains(setting, now),
      describe: () => `DAY2_MAINTENANCE_WINDOW: ${setting.text}`,
    };
  }
  return {
    source: 'none',
    contains: () => false,
    describe: () =>
      'no maintenance window: the cluster has no aksManagedNodeOSUpgradeSchedule or default configuration and DAY2_MAINTENANCE_WINDOW is not set',
  };
}
