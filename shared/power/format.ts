import { DateTime } from 'luxon';

/** `19:00 Europe/Paris`, or `2026-03-27 19:00 Europe/Paris` when it is not on the local day of `today`. */
export function localTime(at: Date, zone: string, today?: Date): string {
  const t = DateTime.fromJSDate(at, { zone });
  const sameDay = today !== undefined && DateTime.fromJSDate(today, { zone }).toISODate() === t.toISODate();
  return `${t.toFormat(sameDay ? 'HH:mm' : 'yyyy-MM-dd HH:mm')} ${zone}`;
}

/** The edge's calendar date in the zone (what `day2-skip` dates are compared with). */
export function localDate(at: Date, zone: string): string {
  return DateTime.fromJSDate(at, { zone }).toFormat('yyyy-MM-dd');
}

export function minutesBetween(a: Date, b: Date): number {
  return Math.round((b.getTime() - a.getTime()) / 60_000);
}
