import { CronExpressionParser, type CronExpression } from 'cron-parser';
import { IANAZone } from 'luxon';
import type { CronSpec } from '../policy/cron';

/**
 * Cron edges of a local-time cron in an IANA zone, as UTC instants.
 *
 * cron-parser is used only for cron semantics, on a "wall clock" timeline (local time written as if it
 * were UTC), never for zones. Each wall-clock match is then placed in the zone here:
 * - a wall time that occurs once maps to that instant;
 * - a wall time inside a skipped hour (spring forward) maps to the first valid instant after the gap,
 *   the transition itself (Paris 2026-03-29 02:30 → 03:00 CEST = 01:00Z); several matches in one gap
 *   collapse into that one instant, so the edge fires once;
 * - a wall time inside a repeated hour (fall back) maps to its first occurrence only
 *   (Paris 2026-10-25 02:30 → 02:30 CEST = 00:30Z).
 * The mapping never goes backwards in time, which is what lets the searches below stop early.
 */

const MIN = 60_000;
const HOUR = 60 * MIN;
/** Any offset change of less than 3 h is seen from ±3 h (every zone's changes since 2011 are). */
const SAMPLES = [-3 * HOUR, 0, 3 * HOUR];
/** Safety net for pathological crons; a power schedule has a handful of edges per day. */
const MAX_STEPS = 20_000;

function zoneOf(zone: string): IANAZone {
  const z = IANAZone.create(zone);
  if (!z.isValid) throw new RangeError(`not an IANA time zone: ${zone}`);
  return z;
}

/** Offsets (ms) the zone uses within 3 h either side of the instant `ms`. */
function offsetsAround(z: IANAZone, ms: number): number[] {
  return [...new Set(SAMPLES.map((d) => z.offset(ms + d) * MIN))];
}

const wallOf = (z: IANAZone, ms: number): number => ms + z.offset(ms) * MIN;

/** The instant at which the zone's wall clock shows `wall` (first occurrence; gap → end of the gap). */
export function instantOfWall(z: IANAZone, wall: number): number {
  const offsets = offsetsAround(z, wall - z.offset(wall) * MIN);
  const valid = offsets.map((o) => wall - o).filter((t) => wallOf(z, t) === wall);
  if (valid.length > 0) return Math.min(...valid);
  // In a gap: the transition lies between wall - max offset (before it) and wall - min offset (after it).
  let lo = wall - Math.max(...offsets);
  let hi = wall - Math.min(...offsets);
  const before = z.offset(lo);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (z.offset(mid) === before) lo = mid;
    else hi = mid;
  }
  return hi;
}

function wallCron(spec: CronSpec, wall: number): CronExpression {
  return CronExpressionParser.parse(spec.expression, { currentDate: wall, tz: 'UTC' });
}

function step(it: CronExpression, dir: 'prev' | 'next'): number | undefined {
  try {
    return (dir === 'prev' ? it.prev() : it.next()).getTime();
  } catch {
    return undefined; // cron-parser's loop limit: no (further) match
  }
}

/**
 * Both searches are pure functions of (cron, zone, instant), and a tick asks them for thousands of clusters that
 * share a handful of schedules at one instant: their answers are kept, at most MEMO_SIZE of them (the memo is
 * emptied when full, so a long-lived worker holds a bounded amount).
 */
const MEMO_SIZE = 10_000;
const memo = new Map<string, number | undefined>();
function memoized(
  kind: string,
  spec: CronSpec,
  zone: string,
  now: Date,
  f: () => Date | undefined,
): Date | undefined {
  const key = `${kind}\u0000${spec.expression}\u0000${zone}\u0000${now.getTime()}`;
  if (!memo.has(key)) {
    if (memo.size >= MEMO_SIZE) memo.clear();
    memo.set(key, f()?.getTime());
  }
  const ms = memo.get(key);
  return ms === undefined ? undefined : new Date(ms);
}

/** The latest edge at or before `now`, or undefined when there is none. */
export function lastEdgeAtOrBefore(spec: CronSpec, zone: string, now: Date): Date | undefined {
  return memoized('last', spec, zone, now, () => searchLastEdge(spec, zone, now));
}

/** The first edge strictly after `now`, or undefined when there is none. */
export function nextEdgeAfter(spec: CronSpec, zone: string, now: Date): Date | undefined {
  return memoized('next', spec, zone, now, () => searchNextEdge(spec, zone, now));
}

function searchLastEdge(spec: CronSpec, zone: string, now: Date): Date | undefined {
  const z = zoneOf(zone);
  const nowMs = now.getTime();
  // An instant t <= now shows a wall clock of at most wall(now) + (offset(t) - offset(now)).
  const slack = Math.max(0, ...offsetsAround(z, nowMs).map((o) => o - z.offset(nowMs) * MIN));
  const it = wallCron(spec, wallOf(z, nowMs) + slack + MIN);
  for (let i = 0; i < MAX_STEPS; i++) {
    const wall = step(it, 'prev');
    if (wall === undefined) return undefined;
    const t = instantOfWall(z, wall);
    if (t <= nowMs) return new Date(t);
  }
  return undefined;
}

function searchNextEdge(spec: CronSpec, zone: string, now: Date): Date | undefined {
  const z = zoneOf(zone);
  const nowMs = now.getTime();
  // An instant t > now shows a wall clock of more than wall(now) - (offset(now) - offset(t)).
  const slack = Math.max(0, ...offsetsAround(z, nowMs).map((o) => z.offset(nowMs) * MIN - o));
  const it = wallCron(spec, wallOf(z, nowMs) - slack - MIN);
  for (let i = 0; i < MAX_STEPS; i++) {
    const wall = step(it, 'next');
    if (wall === undefined) return undefined;
    const t = instantOfWall(z, wall);
    if (t > nowMs) return new Date(t);
  }
  return undefined;
}

/** Every edge in (from, to], ascending, each instant once. At most `limit` edges. */
export function edgesBetween(spec: CronSpec, zone: string, from: Date, to: Date, limit = 1000): Date[] {
  const out: Date[] = [];
  let cursor = from;
  while (out.length < limit) {
    const next = nextEdgeAfter(spec, zone, cursor);
    if (!next || next.getTime() > to.getTime()) break;
    out.push(next);
    cursor = next;
  }
  return out;
}
