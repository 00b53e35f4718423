import { Day2Error } from '../errors';

/** A parsed command line: positionals and `--flag value` / `--flag=value` / boolean `--flag`. */
export interface ParsedArgs {
  positionals: string[];
  flags: Map<string, string | true>;
}

/**
 * Parses argv against the flags a command knows. Unknown flags and missing values are errors that
 * name the flag and show the usage line.
 */
export function parseArgs(
  argv: readonly string[],
  known: { value?: string[]; bool?: string[] },
  usage: string,
): ParsedArgs {
  const positionals: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i]!;
    if (!raw.startsWith('--')) {
      positionals.push(raw);
      continue;
    }
    const eq = raw.indexOf('=');
    const name = eq < 0 ? raw.slice(2) : raw.slice(2, eq);
    if (known.bool?.includes(name)) {
      if (eq >= 0) throw new Day2Error('BadRequest', `--${name} takes no value\n${usage}`);
      flags.set(name, true);
    } else if (known.value?.includes(name)) {
      const v = eq >= 0 ? raw.slice(eq + 1) : argv[++i];
      if (v === undefined || v === '' || (eq < 0 && v.startsWith('--')))
        throw new Day2Error('BadRequest', `--${name} needs a value\n${usage}`);
      flags.set(name, v);
    } else {
      throw new Day2Error('BadRequest', `unknown option --${name}\n${usage}`);
    }
  }
  return { positionals, flags };
}

export function flagString(a: ParsedArgs, name: string): string | undefined {
  const v = a.flags.get(name);
  return typeof v === 'string' ? v : undefined;
}

/** `--at ISO`: an instant with a date, a time and a zone (`2026-03-29T01:30:00Z`, `…+02:00`). */
export function flagInstant(a: ParsedArgs, name: string): Date | undefined {
  const v = flagString(a, name);
  if (v === undefined) return undefined;
  const d = new Date(v);
  if (
    !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i.test(v) ||
    Number.isNaN(d.getTime())
  )
    throw new Day2Error(
      'BadRequest',
      `--${name} ${v}: expected an ISO date-time with a zone, such as 2026-03-29T01:30:00Z or 2026-03-29T03:30:00+02:00`,
    );
  return d;
}
