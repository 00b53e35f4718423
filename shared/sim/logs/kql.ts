/**
 * The KQL subset the simulator's Logs Query API runs (documented in docs/simulator.md):
 * a table name or `union T1, T2`, then `where`, `extend`, `project`, `project-away`, `summarize ... by`,
 * `order by` / `sort by`, `top N by`, `take` / `limit`, `distinct`, `count`; expressions with
 * `and`/`or`, comparisons (`== != =~ !~ < <= > >=`, `contains`, `has`, `startswith`, `in`, their `!`
 * forms), `+ - * /`, `x.key` / `x["key"]`, literals (strings, numbers, timespans such as `7d`,
 * `true`/`false`, `datetime(...)`), and the functions listed in FUNCTIONS and AGGREGATES.
 */
import { KqlError, lex, type Token } from './kqlLex';

export class Span {
  constructor(readonly ms: number) {}
}
export type Value = string | number | boolean | Date | Span | null | Record<string, unknown> | unknown[];
export type Row = Record<string, Value>;
export interface Column {
  name: string;
  type: string;
}
export interface Table {
  columns: Column[];
  rows: Row[];
}
export interface KqlEnv {
  nowMs: number;
  table(name: string): Table | undefined;
}

type Expr =
  | { k: 'lit'; v: Value }
  | { k: 'col'; name: string }
  | { k: 'call'; fn: string; args: Expr[] }
  | { k: 'bin'; op: string; l: Expr; r: Expr }
  | { k: 'in'; neg: boolean; ci: boolean; l: Expr; list: Expr[] }
  | { k: 'member'; obj: Expr; key: Expr };

interface Named {
  name?: string;
  e: Expr;
}
type Op =
  | { op: 'where'; e: Expr }
  | { op: 'extend' | 'project'; items: Named[] }
  | { op: 'project-away'; names: string[] }
  | { op: 'summarize'; aggs: Named[]; by: Named[] }
  | { op: 'order'; keys: { e: Expr; desc: boolean }[] }
  | { op: 'take'; n: number }
  | { op: 'top'; n: number; key: { e: Expr; desc: boolean } }
  | { op: 'distinct'; items: Named[] }
  | { op: 'count' };

export const AGGREGATES = ['count', 'countif', 'dcount', 'max', 'min', 'sum', 'make_set', 'take_any', 'any'];
export const FUNCTIONS = [
  'ago',
  'now',
  'datetime',
  'todatetime',
  'tostring',
  'toint',
  'tolong',
  'todouble',
  'tobool',
  'parse_json',
  'todynamic',
  'strcat',
  'isempty',
  'isnotempty',
  'isnull',
  'isnotnull',
  'tolower',
  'toupper',
  'iff',
  'iif',
  'coalesce',
  'bin',
  'strlen',
  'not',
  'array_length',
];

class Parser {
  private i = 0;
  constructor(private readonly toks: Token[]) {}

  private peek(): Token {
    return this.toks[this.i]!;
  }
  private next(): Token {
    return this.toks[this.i++]!;
  }
  private isOp(v: string): boolean {
    const t = this.peek();
    return t.t === 'op' && t.v === v;
  }
  private isWord(v: string): boolean {
    const t = this.peek();
    return t.t === 'id' && t.v.toLowerCase() === v;
  }
  private expectOp(v: string): void {
    const t = this.next();
    if (t.t !== 'op' || t.v !== v) throw new KqlError('SyntaxError', `expected '${v}', found ${show(t)}`);
  }
  private ident(): string {
    const t = this.next();
    if (t.t !== 'id') throw new KqlError('SyntaxError', `expected a name, found ${show(t)}`);
    return t.v;
  }

  query(): { sources: string[]; ops: Op[] } {
    let sources: string[];
    if (this.isWord('union')) {
      this.next();
      sources = [this.ident()];
      while (this.isOp(',')) {
        this.next();
        sources.push(this.ident());
      }
    } else sources = [this.ident()];
    const ops: Op[] = [];
    while (this.isOp('|')) {
      this.next();
      ops.push(this.operator());
    }
    if (this.peek().t !== 'eof') throw new KqlError('SyntaxError', `unexpected ${show(this.peek())}`);
    return { sources, ops };
  }

  private operator(): Op {
    const word = this.ident().toLowerCase();
    switch (word) {
      case 'where':
      case 'filter':
        return { op: 'where', e: this.expr() };
      case 'extend':
        return { op: 'extend', items: this.namedList(true) };
      case 'project':
        return { op: 'project', items: this.namedList(false) };
      case 'project-away': {
        const names = [this.ident()];
        while (this.isOp(',')) {
          this.next();
          names.push(this.ident());
        }
        return { op: 'project-away', names };
      }
      case 'summarize': {
        const aggs = this.isWord('by') ? [] : this.namedList(false);
        let by: Named[] = [];
        if (this.isWord('by')) {
          this.next();
          by = this.namedList(false);
        }
        return { op: 'summarize', aggs, by };
      }
      case 'order':
      case 'sort': {
        if (!this.isWord('by')) throw new KqlError('SyntaxError', `expected 'by' after '${word}'`);
        this.next();
        const keys = [this.sortKey()];
        while (this.isOp(',')) {
          this.next();
          keys.push(this.sortKey());
        }
        return { op: 'order', keys };
      }
      case 'take':
      case 'limit':
        return { op: 'take', n: this.count() };
      case 'top': {
        const n = this.count();
        if (!this.isWord('by')) throw new KqlError('SyntaxError', "expected 'by' after 'top N'");
        this.next();
        return { op: 'top', n, key: this.sortKey() };
      }
      case 'distinct':
        return { op: 'distinct', items: this.namedList(false) };
      case 'count':
        return { op: 'count' };
      default:
        throw new KqlError('SyntaxError', `the simulator's KQL subset has no operator '${word}'`);
    }
  }

  private count(): number {
    const t = this.next();
    if (t.t !== 'num') throw new KqlError('SyntaxError', `expected a number, found ${show(t)}`);
    return t.v;
  }

  private sortKey(): { e: Expr; desc: boolean } {
    const e = this.expr();
    let desc = true;
    if (this.isWord('asc') || this.isWord('desc'))
      desc = (this.next() as { v: string }).v.toLowerCase() === 'desc';
    return { e, desc };
  }

  private namedList(mustName: boolean): Named[] {
    const out = [this.named(mustName)];
    while (this.isOp(',')) {
      this.next();
      out.push(this.named(mustName));
    }
    return out;
  }

  private named(mustName: boolean): Named {
    const t = this.peek();
    const after = this.toks[this.i + 1];
    if (t.t === 'id' && after?.t === 'op' && after.v === '=') {
      this.i += 2;
      return { name: t.v, e: this.expr() };
    }
    if (mustName) throw new KqlError('SyntaxError', `expected 'name = expression', found ${show(t)}`);
    return { e: this.expr() };
  }

  expr(): Expr {
    let l = this.and();
    while (this.isWord('or')) {
      this.next();
      l = { k: 'bin', op: 'or', l, r: this.and() };
    }
    return l;
  }
  private and(): Expr {
    let l = this.cmp();
    while (this.isWord('and')) {
      this.next();
      l = { k: 'bin', op: 'and', l, r: this.cmp() };
    }
    return l;
  }
  private cmp(): Expr {
    const l = this.add();
    const t = this.peek();
    const words = ['contains', 'has', 'startswith', 'in', 'contains_cs', 'has_cs'];
    if (
      t.t === 'op' &&
      ['==', '!=', '=~', '!~', '<', '<=', '>', '>=', '!contains', '!has', '!startswith'].includes(t.v)
    ) {
      this.next();
      return { k: 'bin', op: t.v, l, r: this.add() };
    }
    if ((t.t === 'op' && t.v === '!in') || (t.t === 'id' && words.includes(t.v.toLowerCase()))) {
      this.next();
      const w = t.v.toLowerCase();
      if (w === 'in' || w === '!in') {
        let ci = false;
        if (this.isOp('~')) ci = true;
        this.expectOp('(');
        const list = [this.expr()];
        while (this.isOp(',')) {
          this.next();
          list.push(this.expr());
        }
        this.expectOp(')');
        return { k: 'in', neg: w === '!in', ci, l, list };
      }
      return { k: 'bin', op: w, l, r: this.add() };
    }
    return l;
  }
  private add(): Expr {
    let l = this.mul();
    while (this.isOp('+') || this.isOp('-')) {
      const op = (this.next() as { v: string }).v;
      l = { k: 'bin', op, l, r: this.mul() };
    }
    return l;
  }
  private mul(): Expr {
    let l = this.postfix();
    while (this.isOp('*') || this.isOp('/')) {
      const op = (this.next() as { v: string }).v;
      l = { k: 'bin', op, l, r: this.postfix() };
    }
    return l;
  }
  private postfix(): Expr {
    let e = this.primary();
    for (;;) {
      if (this.isOp('.')) {
        this.next();
        e = { k: 'member', obj: e, key: { k: 'lit', v: this.ident() } };
      } else if (this.isOp('[')) {
        this.next();
        const key = this.expr();
        this.expectOp(']');
        e = { k: 'member', obj: e, key };
      } else return e;
    }
  }
  private primary(): Expr {
    const t = this.next();
    if (t.t === 'str') return { k: 'lit', v: t.v };
    if (t.t === 'num') return { k: 'lit', v: t.v };
    if (t.t === 'span') return { k: 'lit', v: new Span(t.v) };
    if (t.t === 'op' && t.v === '(') {
      const e = this.expr();
      this.expectOp(')');
      return e;
    }
    if (t.t === 'op' && t.v === '-') return { k: 'bin', op: '-', l: { k: 'lit', v: 0 }, r: this.postfix() };
    if (t.t === 'id') {
      const low = t.v.toLowerCase();
      if (low === 'true' || low === 'false') return { k: 'lit', v: low === 'true' };
      if (this.isOp('(')) {
        this.next();
        if (!FUNCTIONS.includes(low) && !AGGREGATES.includes(low))
          throw new KqlError('SemanticError', `the simulator's KQL subset has no function '${t.v}'`);
        const args: Expr[] = [];
        if (!this.isOp(')')) {
          args.push(this.expr());
          while (this.isOp(',')) {
            this.next();
            args.push(this.expr());
          }
        }
        this.expectOp(')');
        return { k: 'call', fn: low, args };
      }
      return { k: 'col', name: t.v };
    }
    throw new KqlError('SyntaxError', `unexpected ${show(t)}`);
  }
}

function show(t: Token): string {
  return t.t === 'eof' ? 'end of query' : `'${String((t as { v: unknown }).v)}'`;
}

function toStr(v: Value): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString();
  if (v instanceof Span) return `${v.ms}ms`;
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

function toNum(v: Value): number | null {
  if (v === null) return null;
  if (v instanceof Date) return v.getTime();
  if (v instanceof Span) return v.ms;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

function parseDynamic(v: Value): Value {
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v) as Value;
  } catch {
    return v;
  }
}

function compare(a: Value, b: Value): number | null {
  if (a === null || b === null) return null;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  const x = toNum(a instanceof Date || b instanceof Date ? toDate(a) : a);
  const y = toNum(a instanceof Date || b instanceof Date ? toDate(b) : b);
  if (x === null || y === null) return null;
  return x - y;
}

function toDate(v: Value): Value {
  if (v instanceof Date || v === null) return v;
  if (typeof v === 'string') {
    const d = new Date(v);
    return Number.isNaN(d.getTime()) ? null : d;
  }
  return null;
}

function callFn(fn: string, a: Value[], env: KqlEnv): Value {
  switch (fn) {
    case 'now':
      return new Date(env.nowMs);
    case 'ago':
      return new Date(env.nowMs - (toNum(a[0] ?? null) ?? 0));
    case 'datetime':
    case 'todatetime':
      return toDate(a[0] ?? null);
    case 'tostring':
      return toStr(a[0] ?? null);
    case 'toint':
    case 'tolong': {
      const n = toNum(a[0] ?? null);
      return n === null ? null : Math.trunc(n);
    }
    case 'todouble':
      return toNum(a[0] ?? null);
    case 'tobool':
      return a[0] === true || toStr(a[0] ?? null).toLowerCase() === 'true';
    case 'parse_json':
    case 'todynamic':
      return parseDynamic(a[0] ?? null);
    case 'strcat':
      return a.map(toStr).join('');
    case 'isempty':
      return a[0] === null || toStr(a[0] ?? null) === '';
    case 'isnotempty':
      return !(a[0] === null || toStr(a[0] ?? null) === '');
    case 'isnull':
      return a[0] === null;
    case 'isnotnull':
      return a[0] !== null;
    case 'tolower':
      return toStr(a[0] ?? null).toLowerCase();
    case 'toupper':
      return toStr(a[0] ?? null).toUpperCase();
    case 'iff':
    case 'iif':
      return a[0] === true ? (a[1] ?? null) : (a[2] ?? null);
    case 'coalesce':
      return a.find((x) => x !== null && x !== '') ?? null;
    case 'not':
      return a[0] !== true;
    case 'strlen':
      return toStr(a[0] ?? null).length;
    case 'array_length':
      return Array.isArray(a[0]) ? a[0].length : null;
    case 'bin': {
      const size = toNum(a[1] ?? null);
      const v = a[0] ?? null;
      if (size === null || size <= 0) return v;
      if (v instanceof Date) return new Date(Math.floor(v.getTime() / size) * size);
      const n = toNum(v);
      return n === null ? null : Math.floor(n / size) * size;
    }
    default:
      throw new KqlError('SemanticError', `'${fn}' is an aggregation: use it in summarize`);
  }
}

function evaluate(e: Expr, row: Row, env: KqlEnv): Value {
  switch (e.k) {
    case 'lit':
      return e.v;
    case 'col':
      if (!(e.name in row)) throw new KqlError('SemanticError', `'${e.name}' could not be resolved`);
      return row[e.name] ?? null;
    case 'member': {
      const obj = parseDynamic(evaluate(e.obj, row, env));
      const key = evaluate(e.key, row, env);
      if (obj === null || typeof obj !== 'object' || obj instanceof Date || obj instanceof Span) return null;
      const v = Array.isArray(obj) ? obj[Number(key)] : obj[toStr(key)];
      return v === undefined ? null : (v as Value);
    }
    case 'in': {
      const l = evaluate(e.l, row, env);
      const vals = e.list.map((x) => evaluate(x, row, env)).flatMap((v) => (Array.isArray(v) ? v : [v]));
      const hit = vals.some((v) =>
        e.ci ? toStr(v as Value).toLowerCase() === toStr(l).toLowerCase() : toStr(v as Value) === toStr(l),
      );
      return e.neg ? !hit : hit;
    }
    case 'call':
      if (AGGREGATES.includes(e.fn) && !FUNCTIONS.includes(e.fn))
        throw new KqlError('SemanticError', `'${e.fn}' is an aggregation: use it in summarize`);
      return callFn(
        e.fn,
        e.args.map((x) => evaluate(x, row, env)),
        env,
      );
    case 'bin': {
      if (e.op === 'and') return evaluate(e.l, row, env) === true && evaluate(e.r, row, env) === true;
      if (e.op === 'or') return evaluate(e.l, row, env) === true || evaluate(e.r, row, env) === true;
      const l = evaluate(e.l, row, env);
      const r = evaluate(e.r, row, env);
      const ls = toStr(l).toLowerCase();
      const rs = toStr(r).toLowerCase();
      switch (e.op) {
        case '==':
          return l !== null && r !== null && (compare(l, r) === 0 || toStr(l) === toStr(r));
        case '!=':
          return !(l !== null && r !== null && (compare(l, r) === 0 || toStr(l) === toStr(r)));
        case '=~':
          return ls === rs;
        case '!~':
          return ls !== rs;
        case '<':
        case '<=':
        case '>':
        case '>=': {
          const c = compare(l, r);
          if (c === null) return false;
          return e.op === '<' ? c < 0 : e.op === '<=' ? c <= 0 : e.op === '>' ? c > 0 : c >= 0;
        }
        case 'contains':
        case 'has':
          return ls.includes(rs);
        case 'contains_cs':
        case 'has_cs':
          return toStr(l).includes(toStr(r));
        case '!contains':
        case '!has':
          return !ls.includes(rs);
        case 'startswith':
          return ls.startsWith(rs);
        case '!startswith':
          return !ls.startsWith(rs);
        case '+':
        case '-': {
          const sign = e.op === '+' ? 1 : -1;
          if (l instanceof Date && r instanceof Span) return new Date(l.getTime() + sign * r.ms);
          if (l instanceof Date && r instanceof Date && sign < 0) return new Span(l.getTime() - r.getTime());
          if (l instanceof Span && r instanceof Span) return new Span(l.ms + sign * r.ms);
          const x = toNum(l);
          const y = toNum(r);
          return x === null || y === null ? null : x + sign * y;
        }
        case '*':
        case '/': {
          const x = toNum(l);
          const y = toNum(r);
          if (x === null || y === null) return null;
          return e.op === '*' ? x * y : y === 0 ? null : x / y;
        }
      }
      throw new KqlError('SyntaxError', `unknown operator '${e.op}'`);
    }
  }
}

function exprName(e: Expr, fallback: string): string {
  if (e.k === 'col') return e.name;
  if (e.k === 'member' && e.key.k === 'lit') return `${exprName(e.obj, fallback)}_${toStr(e.key.v)}`;
  if (e.k === 'call' && e.args[0]) return exprName(e.args[0], fallback);
  return fallback;
}

function typeOf(values: Value[], known?: string): string {
  if (known) return known;
  const v = values.find((x) => x !== null);
  if (v === undefined) return 'string';
  if (v instanceof Date) return 'datetime';
  if (v instanceof Span) return 'timespan';
  if (typeof v === 'number') return Number.isInteger(v) ? 'long' : 'real';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'object') return 'dynamic';
  return 'string';
}

function withColumns(t: Table, added: { name: string; type?: string }[], rows: Row[]): Table {
  const cols = t.columns.filter((c) => !added.some((a) => a.name === c.name));
  const newCols = added.map((a) => ({
    name: a.name,
    type: typeOf(
      rows.map((r) => r[a.name] ?? null),
      a.type,
    ),
  }));
  return { columns: [...cols, ...newCols], rows };
}

function aggregate(fn: string, args: Expr[], rows: Row[], env: KqlEnv): Value {
  const vals = (i = 0): Value[] => rows.map((r) => (args[i] ? evaluate(args[i], r, env) : null));
  switch (fn) {
    case 'count':
      return rows.length;
    case 'countif':
      return vals().filter((v) => v === true).length;
    case 'dcount':
      return new Set(vals().map(toStr)).size;
    case 'sum':
      return vals().reduce<number>((s, v) => s + (toNum(v) ?? 0), 0);
    case 'max':
    case 'min': {
      let best: Value = null;
      for (const v of vals()) {
        if (v === null) continue;
        const c = best === null ? 1 : compare(v, best);
        if (c !== null && (fn === 'max' ? c > 0 : c < 0)) best = v;
      }
      return best;
    }
    case 'make_set': {
      const seen = new Map<string, Value>();
      for (const v of vals()) if (v !== null) seen.set(toStr(v), v);
      return [...seen.values()];
    }
    case 'take_any':
    case 'any':
      return vals()[0] ?? null;
  }
  throw new KqlError('SemanticError', `'${fn}' is not an aggregation of the simulator's KQL subset`);
}

function sortRows(rows: Row[], keys: { e: Expr; desc: boolean }[], env: KqlEnv): Row[] {
  const keyed = rows.map((r) => ({ r, k: keys.map((k) => evaluate(k.e, r, env)) }));
  keyed.sort((a, b) => {
    for (let i = 0; i < keys.length; i++) {
      const c = compare(a.k[i] ?? null, b.k[i] ?? null) ?? 0;
      if (c !== 0) return keys[i]!.desc ? -c : c;
    }
    return 0;
  });
  return keyed.map((x) => x.r);
}

function apply(t: Table, op: Op, env: KqlEnv): Table {
  switch (op.op) {
    case 'where':
      return { columns: t.columns, rows: t.rows.filter((r) => evaluate(op.e, r, env) === true) };
    case 'extend': {
      const rows = t.rows.map((r) => {
        const out = { ...r };
        for (const it of op.items) out[it.name!] = evaluate(it.e, out, env);
        return out;
      });
      return withColumns(
        t,
        op.items.map((i) => ({ name: i.name! })),
        rows,
      );
    }
    case 'project':
    case 'distinct': {
      const names = op.items.map((it, i) => it.name ?? exprName(it.e, `Column${i + 1}`));
      let rows = t.rows.map((r) =>
        Object.fromEntries(op.items.map((it, i) => [names[i]!, evaluate(it.e, r, env)])),
      );
      if (op.op === 'distinct') {
        const seen = new Set<string>();
        rows = rows.filter((r) => {
          const k = JSON.stringify(names.map((n) => toStr(r[n] ?? null)));
          if (seen.has(k)) return false;
          seen.add(k);
          return true;
        });
      }
      const known = new Map(t.columns.map((c) => [c.name, c.type]));
      return {
        columns: names.map((n, i) => ({
          name: n,
          type: typeOf(
            rows.map((r) => r[n] ?? null),
            op.items[i]!.e.k === 'col' ? known.get(n) : undefined,
          ),
        })),
        rows,
      };
    }
    case 'project-away':
      return {
        columns: t.columns.filter((c) => !op.names.includes(c.name)),
        rows: t.rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !op.names.includes(k)))),
      };
    case 'summarize': {
      const byNames = op.by.map((b, i) => b.name ?? exprName(b.e, `Column${i + 1}`));
      const groups = new Map<string, { key: Value[]; rows: Row[] }>();
      for (const r of t.rows) {
        const key = op.by.map((b) => evaluate(b.e, r, env));
        const k = JSON.stringify(key.map(toStr));
        const g = groups.get(k) ?? { key, rows: [] };
        g.rows.push(r);
        groups.set(k, g);
      }
      if (op.by.length === 0 && groups.size === 0) groups.set('', { key: [], rows: [] });
      const aggNames = op.aggs.map((a, i) => {
        if (a.name) return a.name;
        if (a.e.k !== 'call') return `Column${i + 1}`;
        return a.e.fn === 'count'
          ? 'count_'
          : `${a.e.fn}_${exprName(a.e.args[0] ?? { k: 'lit', v: null }, '')}`;
      });
      const rows: Row[] = [...groups.values()].map((g) => {
        const out: Row = {};
        byNames.forEach((n, i) => (out[n] = g.key[i] ?? null));
        op.aggs.forEach((a, i) => {
          if (a.e.k !== 'call' || !AGGREGATES.includes(a.e.fn))
            throw new KqlError('SemanticError', 'summarize expects aggregation functions, e.g. count()');
          out[aggNames[i]!] = aggregate(a.e.fn, a.e.args, g.rows, env);
        });
        return out;
      });
      const known = new Map(t.columns.map((c) => [c.name, c.type]));
      const cols = [...byNames, ...aggNames].map((n, i) => {
        const src = i < byNames.length ? op.by[i]!.e : undefined;
        const agg = i >= byNames.length ? op.aggs[i - byNames.length]!.e : undefined;
        const fixed =
          src?.k === 'col'
            ? known.get(src.name)
            : agg?.k === 'call' && ['count', 'countif', 'dcount'].includes(agg.fn)
              ? 'long'
              : agg?.k === 'call' && agg.fn === 'make_set'
                ? 'dynamic'
                : undefined;
        return {
          name: n,
          type: typeOf(
            rows.map((r) => r[n] ?? null),
            fixed,
          ),
        };
      });
      return { columns: cols, rows };
    }
    case 'order':
      return { columns: t.columns, rows: sortRows(t.rows, op.keys, env) };
    case 'top':
      return { columns: t.columns, rows: sortRows(t.rows, [op.key], env).slice(0, op.n) };
    case 'take':
      return { columns: t.columns, rows: t.rows.slice(0, op.n) };
    case 'count':
      return { columns: [{ name: 'Count', type: 'long' }], rows: [{ Count: t.rows.length }] };
  }
}

/** Runs a query of the subset; throws KqlError (syntax or semantics) as Log Analytics answers 400. */
export function runKql(query: string, env: KqlEnv): Table {
  const parsed = new Parser(lex(query)).query();
  const tables = parsed.sources.map((name) => {
    const t = env.table(name);
    if (!t)
      throw new KqlError('SemanticError', `'${name}' could not be resolved: no such table in this workspace`);
    return t;
  });
  const columns: Column[] = [];
  for (const t of tables)
    for (const c of t.columns) if (!columns.some((x) => x.name === c.name)) columns.push(c);
  const rows = tables.flatMap((t) =>
    t.rows.map((r) => Object.fromEntries(columns.map((c) => [c.name, r[c.name] ?? null]))),
  );
  return parsed.ops.reduce<Table>((t, op) => apply(t, op, env), { columns, rows });
}

/** A result table as the Logs Query API sends it: datetimes ISO, dynamic values JSON text. */
export function wireTable(t: Table): { name: string; columns: Column[]; rows: unknown[][] } {
  return {
    name: 'PrimaryResult',
    columns: t.columns,
    rows: t.rows.map((r) =>
      t.columns.map((c) => {
        const v = r[c.name] ?? null;
        if (v === null) return null;
        if (v instanceof Date) return v.toISOString();
        if (v instanceof Span) return msToTimespan(v.ms);
        if (c.type === 'dynamic' || typeof v === 'object') return JSON.stringify(v);
        return v;
      }),
    ),
  };
}

function msToTimespan(ms: number): string {
  const pad = (n: number): string => String(Math.floor(n)).padStart(2, '0');
  const d = Math.floor(ms / 86_400_000);
  const rest = ms % 86_400_000;
  return `${d ? `${d}.` : ''}${pad(rest / 3_600_000)}:${pad((rest % 3_600_000) / 60_000)}:${pad((rest % 60_000) / 1000)}`;
}
