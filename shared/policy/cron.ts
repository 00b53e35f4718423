import { CronExpressionParser } from 'cron-parser';
import { quoted } from '../util/visible';

/** A validated 5-field cron (minute hour day-of-month month day-of-week), read as local wall-clock time. */
export interface CronSpec {
  readonly expression: string;
}

const FIELDS = ['minute', 'hour', 'day of month', 'month', 'day of week'] as const;
const RANGES = ['0-59', '0-23', '1-31', '1-12 or jan-dec', '0-7 or sun-sat'] as const;
const SHAPE = '5 fields: minute hour day-of-month month day-of-week, e.g. "0 19 * * 1-5"';

/**
 * What is wrong with one field, in words, before cron-parser sees it: negative numbers (`-1` reads as
 * a range with no start) and a value listed twice (`0,0`, `1-5,3`).
 */
export function fieldProblem(field: string, value: string, range: string): string | undefined {
  if (/(^|[,/-])-/.test(value) || /^-/.test(value))
    return `${field} ${quoted(value, 40)} has a negative number; ${field} values are ${range}`;
  const seen = new Set<number>();
  for (const item of value.split(',')) {
    const m = /^(\d+)(?:-(\d+))?(?:\/(\d+))?$/.exec(item);
    if (!m) continue;
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    const step = m[3] === undefined ? 1 : Math.max(1, Number(m[3]));
    for (let n = from; n <= to && n - from <= 1000; n += step) {
      if (seen.has(n)) return `${field} ${quoted(value, 40)} gives ${n} more than once; list each value once`;
      seen.add(n);
    }
  }
  return undefined;
}

/** Turns one of cron-parser's messages about a single field into a sentence a tag author understands. */
function readable(field: string, message: string): string {
  let m = /got value (\S+) expected range (\d+-\d+)/.exec(message);
  if (m) return `${field} ${m[1]} is out of range ${m[2]}`;
  m = /got range (\S+) expected range (\d+-\d+)/.exec(message);
  if (m) return `${field} range ${m[1]} is out of range ${m[2]}`;
  m = /Invalid characters, got value: (.*)$/.exec(message);
  if (m) return `${field} ${quoted(m[1]!, 40)} is not a number, range, list or step`;
  m = /Invalid range: (\S+), min/.exec(message);
  if (m) return `${field} range ${m[1]} goes backwards`;
  m = /duplicate values found: (\S+)/.exec(message);
  if (m) return `${field} gives ${m[1]} more than once; list each value once`;
  if (/cannot repeat at every 0/.test(message) || /Invalid step/.test(message))
    return `${field} has an invalid step`;
  return `${field}: ${message}`;
}

/** Tags repeat every tick and across clusters; parsing is pure, so results are kept. */
const cache = new Map<string, { spec: CronSpec } | { error: string }>();

/**
 * Validates a 5-field cron with cron-parser and explains what is wrong, naming the field.
 * Hashed values (`H`) are refused: without a seed they would move the edges between runs.
 */
export function parseCronSpec(text: string): { spec: CronSpec } | { error: string } {
  const known = cache.get(text);
  if (known) return known;
  if (cache.size >= 10_000) cache.clear();
  const r = parse(text);
  cache.set(text, r);
  return r;
}

function parse(text: string): { spec: CronSpec } | { error: string } {
  const fields = text.trim().split(/\s+/).filter(Boolean);
  if (fields.length !== 5)
    return { error: `expected ${SHAPE}; got ${fields.length} field${fields.length === 1 ? '' : 's'}` };
  for (let i = 0; i < 5; i++) {
    const value = fields[i]!;
    const field = FIELDS[i]!;
    if (/(^|[^a-z])h($|[^a-z])/i.test(value)) {
      return {
        error: `${field} ${quoted(value, 40)}: hashed values (H) are not supported; give explicit values`,
      };
    }
    const problem = fieldProblem(field, value, RANGES[i]!);
    if (problem) return { error: problem };
    const probe = FIELDS.map((_, j) => (j === i ? value : '*')).join(' ');
    try {
      CronExpressionParser.parse(probe, { tz: 'UTC', currentDate: 0 });
    } catch (e) {
      return { error: readable(field, (e as Error).message) };
    }
  }
  const expression = fields.join(' ');
  try {
    CronExpressionParser.parse(expression, { tz: 'UTC', currentDate: 0 });
  } catch (e) {
    const message = (e as Error).message;
    if (/explicit day of month/.test(message))
      return { error: 'day of month never occurs in the given month(s)' };
    return { error: `${message}; expected ${SHAPE}` };
  }
  return { spec: { expression } };
}
