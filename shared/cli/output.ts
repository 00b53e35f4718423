import { Day2Error } from '../errors';
import { flagString, type ParsedArgs } from './args';

/**
 * `--output table|json` for commands whose result scripts and pipelines read (`plan`, `runs`,
 * `upgrade --dry-run`). A command builds one view: the text a person reads and the data a script
 * reads; `emit` prints the one asked for.
 */
export type OutputFormat = 'table' | 'json';

/** The flag to add to a command's `parseArgs` value flags. */
export const OUTPUT_FLAG = 'output';
export const OUTPUT_USAGE = '[--output table|json]';

export function outputFormat(a: ParsedArgs): OutputFormat {
  const v = flagString(a, OUTPUT_FLAG) ?? 'table';
  if (v !== 'table' && v !== 'json')
    throw new Day2Error('BadRequest', `--output ${v}: expected "table" or "json"`);
  return v;
}

export interface OutputView {
  /** What a person reads. */
  text: () => string;
  /** What a script reads: plain data (Dates, Maps, Sets and errors are converted). */
  data: () => unknown;
}

/** JSON text of `value`: Dates as ISO strings, Maps as objects, Sets as arrays, errors as `{ code?, message }`. */
export function toJsonText(value: unknown): string {
  return JSON.stringify(
    value,
    function replacer(this: unknown, _key: string, v: unknown): unknown {
      if (v instanceof Map) return Object.fromEntries(v);
      if (v instanceof Set) return [...v];
      if (v instanceof Day2Error) return { code: v.code, message: v.message };
      if (v instanceof Error) return { message: v.message };
      if (typeof v === 'bigint') return v.toString();
      if (typeof v === 'function') return undefined;
      return v;
    },
    2,
  );
}

/** Prints the view in the format asked for. */
export function emit(out: (line: string) => void, format: OutputFormat, view: OutputView): void {
  out(format === 'json' ? toJsonText(view.data()) : view.text());
}
