/** Tokens of the simulator's KQL subset (see kql.ts). */
export type Token =
  | { t: 'id'; v: string }
  | { t: 'str'; v: string }
  | { t: 'num'; v: number }
  | { t: 'span'; v: number }
  | { t: 'op'; v: string }
  | { t: 'eof' };

export class KqlError extends Error {
  constructor(
    readonly code: 'SyntaxError' | 'SemanticError',
    message: string,
  ) {
    super(message);
    this.name = 'KqlError';
  }
}

const SPAN_UNITS: Record<string, number> = {
  d: 86_400_000,
  h: 3_600_000,
  m: 60_000,
  s: 1000,
  ms: 1,
};
const OPS = [
  '==',
  '!=',
  '=~',
  '!~',
  '<=',
  '>=',
  '<',
  '>',
  '|',
  ',',
  '(',
  ')',
  '[',
  ']',
  '.',
  '=',
  '+',
  '-',
  '*',
  '/',
];

export function lex(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const ch = src[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (src.startsWith('//', i)) {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    if (
      ch === '"' ||
      ch === "'" ||
      ((ch === '@' || ch === 'h') && (src[i + 1] === '"' || src[i + 1] === "'"))
    ) {
      const verbatim = ch === '@';
      if (ch === '@' || ch === 'h') i++;
      const q = src[i]!;
      i++;
      let s = '';
      while (i < src.length && src[i] !== q) {
        if (!verbatim && src[i] === '\\' && i + 1 < src.length) {
          const n = src[i + 1]!;
          s += n === 'n' ? '\n' : n === 't' ? '\t' : n;
          i += 2;
        } else s += src[i++];
      }
      if (i >= src.length) throw new KqlError('SyntaxError', `unterminated string literal at ${i}`);
      i++;
      out.push({ t: 'str', v: s });
      continue;
    }
    const num = /^\d+(\.\d+)?/.exec(src.slice(i));
    if (num) {
      i += num[0].length;
      const unit = /^(ms|d|h|m|s)(?![A-Za-z0-9_])/.exec(src.slice(i));
      if (unit) {
        i += unit[0].length;
        out.push({ t: 'span', v: Number(num[0]) * SPAN_UNITS[unit[1]!]! });
      } else out.push({ t: 'num', v: Number(num[0]) });
      continue;
    }
    const id = /^[A-Za-z_][A-Za-z0-9_]*(-[a-z]+)?/.exec(src.slice(i));
    if (id) {
      // `project-away`, `!contains` style words: only the known hyphenated operators keep their hyphen.
      const word = ['project-away', 'project-rename'].includes(id[0])
        ? id[0]
        : /^[A-Za-z_][A-Za-z0-9_]*/.exec(id[0])![0];
      i += word.length;
      out.push({ t: 'id', v: word });
      const raw = /^\s*\(([^)]*)\)/.exec(src.slice(i));
      if (word.toLowerCase() === 'datetime' && raw) {
        // datetime(2026-01-12T06:00:00Z): the literal is raw text, not tokens.
        out.push({ t: 'op', v: '(' }, { t: 'str', v: raw[1]!.trim() }, { t: 'op', v: ')' });
        i += raw[0].length;
      }
      continue;
    }
    if (ch === '!' && /^!(contains|has|in|startswith)\b/.test(src.slice(i))) {
      const w = /^!(contains|has|in|startswith)/.exec(src.slice(i))![0];
      i += w.length;
      out.push({ t: 'op', v: w });
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (!op) throw new KqlError('SyntaxError', `unexpected character '${ch}' at ${i}`);
    i += op.length;
    out.push({ t: 'op', v: op });
  }
  out.push({ t: 'eof' });
  return out;
}
