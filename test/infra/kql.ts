/**
 * A small KQL evaluator for the subset the workbook and alert queries use, so those queries are run
 * against real rows in tests (Log Analytics is not reachable here). Tabular operators: a table name,
 * `union [isfuzzy=true] (q), (q)`, `where`, `project`, `extend`, `sort by` / `order by`, `summarize …
 * [by …]`. Scalars: literals (strings, numbers, `true`/`false`, timespans `30m` `1h` `2d`), columns,
 * `Dynamic.prop`, `== != < > <= >= and or in (…)`, `+ - * /`, and the functions `ago now iff next
 * tostring tobool round startofweek bin` plus the aggregations `count sum arg_max(col, *)`.
 * Every column a query names is checked against the schema flowing through the pipe, even with no rows,
 * so a renamed column fails here as it would in Log Analytics. Anything outside the subset throws.
 */

export type Value = string | number | boolean | Date | Timespan | null | Record<string, unknown> | unknown[];
export interface Timespan {
  ms: number;
}
export type Row = Record<string, Value>;
export interface Table {
  columns: string[];
  rows: Row[];
}

type Node =
  | { k: 'lit'; v: Value }
  | { k: 'col'; name: string }
  | { k: 'member'; of: Node; name: string }
  | { k: 'call'; fn: string; args: Node[]; star?: boolean }
  | { k: 'bin'; op: string; l: Node; r: Node }
  | { k: 'in'; l: Node; list: Node[] };

interface Tok {
  t: 'id' | 'str' | 'num' | 'ts' | 'op';
  v: string;
}

const isTimespan = (v: unknown): v is Timespan =>
  typeof v === 'object' && v !== null && !(v instanceof Date) && 'ms' in v && Object.keys(v).length === 1;
const UNIT_MS: Record<string, number> = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000, ms: 1 };

function tokenize(q: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < q.length) {
    const c = q[i]!;
    if (/\s/.test(c)) i++;
    else if (c === '"' || c === "'") {
      let j = i + 1;
      let s = '';
      while (j < q.length && q[j] !== c) {
        if (q[j] === '\\') {
          s += q[j + 1] ?? '';
          j += 2;
        } else s += q[j++]!;
      }
      out.push({ t: 'str', v: s });
      i = j + 1;
    } else if (/[0-9]/.test(c)) {
      const m = /^(\d+(?:\.\d+)?)(ms|d|h|m|s)?(?![A-Za-z0-9_])/.exec(q.slice(i));
      if (!m) throw new Error(`bad number at ${q.slice(i, i + 10)}`);
      out.push(m[2] ? { t: 'ts', v: String(Number(m[1]) * UNIT_MS[m[2]]!) } : { t: 'num', v: m[1]! });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(q.slice(i))!;
      out.push({ t: 'id', v: m[0] });
      i += m[0].length;
    } else {
      const two = q.slice(i, i + 2);
      if (['==', '!=', '<=', '>='].includes(two)) {
        out.push({ t: 'op', v: two });
        i += 2;
      } else if ('|(),=<>+-*/.'.includes(c)) {
        out.push({ t: 'op', v: c });
        i++;
      } else throw new Error(`unexpected '${c}' in query`);
    }
  }
  return out;
}

class Parser {
  i = 0;
  constructor(readonly toks: Tok[]) {}
  peek(o = 0): Tok | undefined {
    return this.toks[this.i + o];
  }
  is(v: string, o = 0): boolean {
    const t = this.peek(o);
    return t !== undefined && (t.t === 'op' || t.t === 'id') && t.v === v;
  }
  eat(v: string): void {
    if (!this.is(v)) throw new Error(`expected '${v}', got '${this.peek()?.v ?? 'end'}'`);
    this.i++;
  }
  ident(): string {
    const t = this.peek();
    if (t?.t !== 'id') throw new Error(`expected a name, got '${t?.v ?? 'end'}'`);
    this.i++;
    return t.v;
  }
  expr(): Node {
    return this.or();
  }
  or(): Node {
    let l = this.and();
    while (this.is('or')) {
      this.i++;
      l = { k: 'bin', op: 'or', l, r: this.and() };
    }
    return l;
  }
  and(): Node {
    let l = this.cmp();
    while (this.is('and')) {
      this.i++;
      l = { k: 'bin', op: 'and', l, r: this.cmp() };
    }
    return l;
  }
  cmp(): Node {
    const l = this.add();
    for (const op of ['==', '!=', '<=', '>=', '<', '>'])
      if (this.is(op)) {
        this.i++;
        return { k: 'bin', op, l, r: this.add() };
      }
    if (this.is('in')) {
      this.i++;
      this.eat('(');
      const list = [this.expr()];
      while (this.is(',')) {
        this.i++;
        list.push(this.expr());
      }
      this.eat(')');
      return { k: 'in', l, list };
    }
    return l;
  }
  add(): Node {
    let l = this.mul();
    while (this.is('+') || this.is('-')) {
      const op = this.peek()!.v;
      this.i++;
      l = { k: 'bin', op, l, r: this.mul() };
    }
    return l;
  }
  mul(): Node {
    let l = this.primary();
    while (this.is('*') || this.is('/')) {
      const op = this.peek()!.v;
      this.i++;
      l = { k: 'bin', op, l, r: this.primary() };
    }
    return l;
  }
  primary(): Node {
    const t = this.peek();
    if (!t) throw new Error('unexpected end of query');
    let n: Node;
    if (t.t === 'str') {
      this.i++;
      n = { k: 'lit', v: t.v };
    } else if (t.t === 'num') {
      this.i++;
      n = { k: 'lit', v: Number(t.v) };
    } else if (t.t === 'ts') {
      this.i++;
      n = { k: 'lit', v: { ms: Number(t.v) } };
    } else if (this.is('(')) {
      this.i++;
      n = this.expr();
      this.eat(')');
    } else if (t.t === 'id' && (t.v === 'true' || t.v === 'false')) {
      this.i++;
      n = { k: 'lit', v: t.v === 'true' };
    } else if (t.t === 'id' && this.is('(', 1)) {
      const fn = this.ident();
      this.eat('(');
      const args: Node[] = [];
      let star = false;
      while (!this.is(')')) {
        if (this.is('*')) {
          this.i++;
          star = true;
        } else args.push(this.expr());
        if (this.is(',')) this.i++;
      }
      this.eat(')');
      n = { k: 'call', fn, args, star };
    } else n = { k: 'col', name: this.ident() };
    while (this.is('.')) {
      this.i++;
      n = { k: 'member', of: n, name: this.ident() };
    }
    return n;
  }
}

const AGGREGATES = new Set(['count', 'sum', 'arg_max']);

function columnsOf(n: Node, out: string[] = []): string[] {
  if (n.k === 'col') out.push(n.name);
  else if (n.k === 'member') columnsOf(n.of, out);
  else if (n.k === 'call') n.args.forEach((a) => columnsOf(a, out));
  else if (n.k === 'bin') {
    columnsOf(n.l, out);
    columnsOf(n.r, out);
  } else if (n.k === 'in') [n.l, ...n.list].forEach((a) => columnsOf(a, out));
  return out;
}

function cmpValues(a: Value, b: Value): number {
  const x = a instanceof Date ? a.getTime() : isTimespan(a) ? a.ms : a;
  const y = b instanceof Date ? b.getTime() : isTimespan(b) ? b.ms : b;
  if (x === null || y === null || x === undefined || y === undefined) return Number.NaN;
  if (typeof x === 'number' && typeof y === 'number') return x - y;
  const sx = typeof x === 'object' ? JSON.stringify(x) : String(x);
  const sy = typeof y === 'object' ? JSON.stringify(y) : String(y);
  return sx < sy ? -1 : sx > sy ? 1 : 0;
}

function equal(a: Value, b: Value): boolean {
  if (a === null || b === null) return false;
  return cmpValues(a, b) === 0;
}

interface Ctx {
  row: Row;
  rows: Row[];
  index: number;
  now: Date;
}

function evalScalar(n: Node, c: Ctx): Value {
  switch (n.k) {
    case 'lit':
      return n.v;
    case 'col':
      return c.row[n.name] ?? null;
    case 'member': {
      const of = evalScalar(n.of, c);
      return of && typeof of === 'object' && !(of instanceof Date)
        ? (((of as Record<string, unknown>)[n.name] ?? null) as Value)
        : null;
    }
    case 'in': {
      const v = evalScalar(n.l, c);
      return n.list.some((x) => equal(v, evalScalar(x, c)));
    }
    case 'bin': {
      if (n.op === 'and') return evalScalar(n.l, c) === true && evalScalar(n.r, c) === true;
      if (n.op === 'or') return evalScalar(n.l, c) === true || evalScalar(n.r, c) === true;
      return binary(n.op, evalScalar(n.l, c), evalScalar(n.r, c));
    }
    case 'call':
      return call(n, c);
  }
}

function binary(op: string, l: Value, r: Value): Value {
  switch (op) {
    case '==':
      return equal(l, r);
    case '!=':
      return l !== null && r !== null && !equal(l, r);
    case '<':
      return cmpValues(l, r) < 0;
    case '>':
      return cmpValues(l, r) > 0;
    case '<=':
      return cmpValues(l, r) <= 0;
    case '>=':
      return cmpValues(l, r) >= 0;
  }
  if (l === null || r === null) return null;
  if (op === '-' && l instanceof Date && r instanceof Date) return { ms: l.getTime() - r.getTime() };
  if (op === '-' && l instanceof Date && isTimespan(r)) return new Date(l.getTime() - r.ms);
  if (op === '+' && l instanceof Date && isTimespan(r)) return new Date(l.getTime() + r.ms);
  if (op === '/' && isTimespan(l) && isTimespan(r)) return l.ms / r.ms;
  if (typeof l === 'number' && typeof r === 'number')
    return op === '+' ? l + r : op === '-' ? l - r : op === '*' ? l * r : l / r;
  throw new Error(`cannot apply ${op} to ${JSON.stringify(l)} and ${JSON.stringify(r)}`);
}

function startOfDayUtc(d: Date): Date {
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
}

function call(n: Extract<Node, { k: 'call' }>, c: Ctx): Value {
  const arg = (i: number): Value => evalScalar(n.args[i]!, c);
  switch (n.fn) {
    case 'now':
      return c.now;
    case 'ago': {
      const t = arg(0);
      if (!isTimespan(t)) throw new Error('ago() takes a timespan');
      return new Date(c.now.getTime() - t.ms);
    }
    case 'iff':
      return arg(0) === true ? arg(1) : arg(2);
    case 'next': {
      const col = n.args[0];
      if (col?.k !== 'col') throw new Error('next() takes a column');
      return c.rows[c.index + 1]?.[col.name] ?? null;
    }
    case 'tostring': {
      const v = arg(0);
      return v === null
        ? ''
        : v instanceof Date
          ? v.toISOString()
          : typeof v === 'object'
            ? JSON.stringify(v)
            : String(v);
    }
    case 'tobool': {
      const v = arg(0);
      return v === true || v === 'true' ? true : v === false || v === 'false' ? false : null;
    }
    case 'round': {
      const v = arg(0);
      const digits = n.args[1] ? Number(arg(1)) : 0;
      return typeof v === 'number' ? Math.round(v * 10 ** digits) / 10 ** digits : null;
    }
    case 'startofweek': {
      const v = arg(0);
      if (!(v instanceof Date)) return null;
      const day = startOfDayUtc(v);
      return new Date(day.getTime() - day.getUTCDay() * 86_400_000); // weeks start on Sunday in KQL
    }
    case 'bin': {
      const v = arg(0);
      const size = arg(1);
      if (v instanceof Date && isTimespan(size)) return new Date(Math.floor(v.getTime() / size.ms) * size.ms);
      if (typeof v === 'number' && typeof size === 'number') return Math.floor(v / size) * size;
      return null;
    }
  }
  throw new Error(`function ${n.fn}() is outside the supported subset`);
}

/** An aggregate expression over one group's rows (aggregations may sit inside scalar functions). */
function evalAggregate(n: Node, rows: Row[], now: Date): Value {
  if (n.k === 'call' && n.fn === 'count') return rows.length;
  if (n.k === 'call' && n.fn === 'sum')
    return rows.reduce(
      (s, row, index) => s + Number(evalScalar(n.args[0]!, { row, rows, index, now }) ?? 0),
      0,
    );
  if (n.k === 'call' && !AGGREGATES.has(n.fn)) {
    const args = n.args.map((a) => ({ k: 'lit' as const, v: evalAggregate(a, rows, now) }));
    return call({ ...n, args }, { row: {}, rows: [], index: 0, now });
  }
  if (n.k === 'lit') return n.v;
  if (n.k === 'bin') return binary(n.op, evalAggregate(n.l, rows, now), evalAggregate(n.r, rows, now));
  throw new Error('summarize: only aggregations (count, sum, arg_max) and functions of them are supported');
}

type Source = (name: string) => Table | undefined;

function checkColumns(n: Node, columns: string[], where: string): void {
  for (const col of columnsOf(n))
    if (!columns.includes(col))
      throw new Error(`${where}: column '${col}' does not exist (have: ${columns.join(', ')})`);
}

function parseItems(p: Parser): Array<{ name?: string; expr: Node }> {
  const items: Array<{ name?: string; expr: Node }> = [];
  do {
    if (p.is(',')) p.i++;
    if (p.peek()?.t === 'id' && p.is('=', 1)) {
      const name = p.ident();
      p.eat('=');
      items.push({ name, expr: p.expr() });
    } else items.push({ expr: p.expr() });
  } while (p.is(','));
  return items;
}

const defaultName = (n: Node): string =>
  n.k === 'col'
    ? n.name
    : n.k === 'call'
      ? `${n.fn}_`
      : n.k === 'member'
        ? `${defaultName(n.of)}_${n.name}`
        : 'Column1';

function runPipeline(p: Parser, source: Source, now: Date): Table {
  let t: Table;
  if (p.is('union')) {
    p.i++;
    let fuzzy = false;
    if (p.is('isfuzzy')) {
      p.i++;
      p.eat('=');
      fuzzy = p.ident() === 'true';
    }
    const parts: Table[] = [];
    do {
      if (p.is(',')) p.i++;
      p.eat('(');
      const start = p.i;
      try {
        parts.push(runPipeline(p, source, now));
      } catch (err) {
        if (!fuzzy || !String((err as Error).message).startsWith('unknown table')) throw err;
        let depth = 0;
        p.i = start;
        while (p.peek() && !(depth === 0 && p.is(')'))) {
          if (p.is('(')) depth++;
          if (p.is(')')) depth--;
          p.i++;
        }
      }
      p.eat(')');
    } while (p.is(','));
    t = { columns: [...new Set(parts.flatMap((x) => x.columns))], rows: parts.flatMap((x) => x.rows) };
  } else {
    const name = p.ident();
    const table = source(name);
    if (!table) throw new Error(`unknown table ${name}`);
    t = { columns: [...table.columns], rows: table.rows.map((r) => ({ ...r })) };
  }
  while (p.is('|')) {
    p.i++;
    const op = p.ident();
    const ctx = (row: Row, index: number, rows: Row[]): Ctx => ({ row, rows, index, now });
    if (op === 'where') {
      const e = p.expr();
      checkColumns(e, t.columns, 'where');
      t = { columns: t.columns, rows: t.rows.filter((r, i, all) => evalScalar(e, ctx(r, i, all)) === true) };
    } else if (op === 'project' || op === 'extend') {
      const items = parseItems(p).map((x) => ({ name: x.name ?? defaultName(x.expr), expr: x.expr }));
      for (const x of items) checkColumns(x.expr, t.columns, op);
      const rows = t.rows.map((r, i, all) => {
        const out: Row = op === 'extend' ? { ...r } : {};
        for (const x of items) out[x.name] = evalScalar(x.expr, ctx(r, i, all));
        return out;
      });
      const names = items.map((x) => x.name);
      t = {
        columns: op === 'extend' ? [...t.columns.filter((c) => !names.includes(c)), ...names] : names,
        rows,
      };
    } else if (op === 'sort' || op === 'order') {
      p.eat('by');
      const keys: Array<{ e: Node; desc: boolean }> = [];
      do {
        if (p.is(',')) p.i++;
        const e = p.expr();
        checkColumns(e, t.columns, 'sort');
        let desc = true; // KQL sorts descending unless told
        if (p.is('asc') || p.is('desc')) desc = p.ident() === 'desc';
        keys.push({ e, desc });
      } while (p.is(','));
      const rows = [...t.rows].sort((a, b) => {
        for (const k of keys) {
          const d = cmpValues(evalScalar(k.e, ctx(a, 0, [])), evalScalar(k.e, ctx(b, 0, [])));
          if (d !== 0 && !Number.isNaN(d)) return k.desc ? -d : d;
        }
        return 0;
      });
      t = { columns: t.columns, rows };
    } else if (op === 'summarize') {
      const aggs = parseItems(p);
      let by: Array<{ name?: string; expr: Node }> = [];
      if (p.is('by')) {
        p.i++;
        by = parseItems(p);
      }
      for (const x of [...aggs, ...by]) checkColumns(x.expr, t.columns, 'summarize');
      const keyNames = by.map((b) => b.name ?? defaultName(b.expr));
      const groups = new Map<string, { keys: Value[]; rows: Row[] }>();
      for (const [i, r] of t.rows.entries()) {
        const keys = by.map((b) => evalScalar(b.expr, ctx(r, i, t.rows)));
        const k = JSON.stringify(keys);
        const g = groups.get(k) ?? { keys, rows: [] };
        g.rows.push(r);
        groups.set(k, g);
      }
      if (by.length === 0 && groups.size === 0) groups.set('[]', { keys: [], rows: [] });
      const argMax = aggs.find((a) => a.expr.k === 'call' && a.expr.fn === 'arg_max');
      const aggNames = aggs.filter((a) => a !== argMax).map((a) => a.name ?? defaultName(a.expr));
      const columns = [
        ...keyNames,
        ...(argMax ? t.columns.filter((c) => !keyNames.includes(c)) : []),
        ...aggNames,
      ];
      const rows: Row[] = [];
      for (const g of groups.values()) {
        const out: Row = {};
        keyNames.forEach((k, i) => (out[k] = g.keys[i]!));
        if (argMax && argMax.expr.k === 'call') {
          if (!argMax.expr.star) throw new Error('arg_max: only arg_max(column, *) is supported');
          const by0 = argMax.expr.args[0]!;
          const best = g.rows.reduce((a, b) =>
            cmpValues(evalScalar(by0, ctx(b, 0, [])), evalScalar(by0, ctx(a, 0, []))) > 0 ? b : a,
          );
          for (const c of t.columns) if (!keyNames.includes(c)) out[c] = best[c] ?? null;
        }
        for (const a of aggs)
          if (a !== argMax) out[a.name ?? defaultName(a.expr)] = evalAggregate(a.expr, g.rows, now);
        rows.push(out);
      }
      t = { columns, rows };
    } else throw new Error(`operator ${op} is outside the supported subset`);
  }
  return t;
}

/** Runs `query` over the tables `source` knows, at the instant `now` (for `now()` and `ago()`). */
export function runKql(query: string, source: Source, now: Date): Table {
  const p = new Parser(tokenize(query));
  const t = runPipeline(p, source, now);
  if (p.peek()) throw new Error(`unexpected '${p.peek()!.v}' after the query`);
  return t;
}

/** Rows as the Logs Ingestion API sends them, typed by the DCR's column types (datetime → Date). */
export function typedTable(
  columns: ReadonlyArray<{ name: string; type: string }>,
  rows: ReadonlyArray<Record<string, unknown>>,
): Table {
  return {
    columns: columns.map((c) => c.name),
    rows: rows.map((r) => {
      const out: Row = {};
      for (const c of columns) {
        const v = r[c.name];
        out[c.name] =
          v === undefined || v === null ? null : c.type === 'datetime' ? new Date(v as string) : (v as Value);
      }
      return out;
    }),
  };
}
