import { randomBytes } from 'node:crypto';

/**
 * A new run id: the start time in UTC to the millisecond, then 8 random hex digits, e.g.
 * `20261005T060000123Z-9f3a61c2`. Ids sort by start time as strings; they are valid Table keys
 * and KQL-safe (`AksDay2Ops_CL | where RunId == "…"`).
 */
export function newRunId(startedAt: Date = new Date()): string {
  const stamp = startedAt.toISOString().replace(/[-:.]/g, ''); // 20261005T060000123Z
  return `${stamp}-${randomBytes(4).toString('hex')}`;
}
