/**
 * A small reader for the Bicep this repository writes (there is no Bicep compiler here): it tokenizes a
 * file (strings with `${}` interpolation, comments, brackets) and returns its declarations: decorators,
 * params with type and default, vars, resources (type, API version, `existing`, loop/condition, body),
 * modules (path, body) and outputs. Object bodies are parsed into keys → raw value text, recursively, so
 * tests compare module wiring and properties structurally rather than by searching text.
 */
import fs from 'node:fs';
import path from 'node:path';

type Tok = { kind: 'str' | 'word' | 'punct' | 'nl'; text: string; pos: number };

function tokenize(src: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  const push = (kind: Tok['kind'], text: string, pos: number) => toks.push({ kind, text, pos });
  while (i < src.length) {
    const c = src[i]!;
    if (c === '\n') {
      push('nl', '\n', i++);
    } else if (c === ' ' || c === '\t' || c === '\r') i++;
    else if (src.startsWith('//', i)) while (i < src.length && src[i] !== '\n') i++;
    else if (src.startsWith('/*', i)) {
      const end = src.indexOf('*/', i + 2);
      if (end < 0) throw new Error(`unclosed comment at ${i}`);
      i = end + 2;
    } else if (c === "'") {
      // A string, with ${ … } interpolations that may hold strings themselves.
      const start = i++;
      let depth = 0;
      for (;;) {
        if (i >= src.length) throw new Error(`unclosed string at ${start}`);
        const d = src[i]!;
        if (d === '\\') i += 2;
        else if (depth === 0 && d === "'") break;
        else if (d === '$' && src[i + 1] === '{') {
          depth++;
          i += 2;
        } else if (depth > 0 && d === '}') {
          depth--;
          i++;
        } else if (depth > 0 && d === "'") {
          // nested string inside an interpolation
          i++;
          while (i < src.length && src[i] !== "'") i += src[i] === '\\' ? 2 : 1;
          i++;
        } else i++;
      }
      push('str', src.slice(start, i + 1), start);
      i++;
    } else if (/[A-Za-z_]/.test(c)) {
      const start = i;
      while (i < src.length && /[A-Za-z0-9_]/.test(src[i]!)) i++;
      push('word', src.slice(start, i), start);
    } else if (/[0-9]/.test(c)) {
      const start = i;
      while (i < src.length && /[0-9.]/.test(src[i]!)) i++;
      push('word', src.slice(start, i), start);
    } else {
      const two = src.slice(i, i + 2);
      if (['==', '!=', '>=', '<=', '&&', '||', '??', '.?'].includes(two)) {
        push('punct', two, i);
        i += 2;
      } else push('punct', c, i++);
    }
  }
  return toks;
}

const OPEN: Record<string, string> = { '{': '}', '[': ']', '(': ')' };

/** Index just past the bracket group opening at `start`. */
function skipGroup(toks: Tok[], start: number): number {
  const stack = [OPEN[toks[start]!.text]!];
  let i = start + 1;
  while (stack.length) {
    const t = toks[i];
    if (!t) throw new Error('unbalanced brackets');
    if (t.kind === 'punct' && OPEN[t.text]) stack.push(OPEN[t.text]!);
    else if (t.kind === 'punct' && t.text === stack[stack.length - 1]) stack.pop();
    i++;
  }
  return i;
}

/** The text of one value starting at `i`, up to the end of line at depth 0 (or a closing bracket). */
function valueEnd(toks: Tok[], i: number): number {
  while (i < toks.length) {
    const t = toks[i]!;
    if (t.kind === 'nl') return i;
    if (t.kind === 'punct' && OPEN[t.text]) {
      i = skipGroup(toks, i);
      continue;
    }
    if (t.kind === 'punct' && (t.text === '}' || t.text === ']' || t.text === ')' || t.text === ','))
      return i;
    i++;
  }
  return i;
}

export interface BicepObject {
  /** Key → raw value text. */
  raw: Map<string, string>;
  /** Key → parsed object, when the value is an object literal. */
  objects: Map<string, BicepObject>;
}

function parseObject(src: string, toks: Tok[], open: number): BicepObject {
  const close = skipGroup(toks, open) - 1;
  const obj: BicepObject = { raw: new Map(), objects: new Map() };
  let i = open + 1;
  while (i < close) {
    const t = toks[i]!;
    if (t.kind === 'nl' || (t.kind === 'punct' && t.text === ',')) {
      i++;
      continue;
    }
    if (t.kind === 'punct' && t.text === '@') {
      // a decorator on an object property: skip it
      i += 2;
      if (toks[i]?.text === '(') i = skipGroup(toks, i);
      continue;
    }
    const key = t.kind === 'str' ? t.text.slice(1, -1) : t.text;
    if (toks[i + 1]?.text !== ':') throw new Error(`expected ':' after key ${key} at ${t.pos}`);
    const vStart = i + 2;
    const vEnd = valueEnd(toks, vStart);
    const first = toks[vStart]!;
    const last = toks[vEnd - 1]!;
    obj.raw.set(key, src.slice(first.pos, last.pos + last.text.length).trim());
    if (first.text === '{' && skipGroup(toks, vStart) === vEnd)
      obj.objects.set(key, parseObject(src, toks, vStart));
    i = vEnd;
  }
  return obj;
}

export interface Decorator {
  name: string;
  args: string;
}
export interface Param {
  name: string;
  type: string;
  default?: string;
  decorators: Decorator[];
}
export interface ResourceDecl {
  symbol: string;
  type: string;
  apiVersion: string;
  existing: boolean;
  body: BicepObject;
}
export interface ModuleDecl {
  symbol: string;
  path: string;
  body: BicepObject;
}
export interface BicepFile {
  file: string;
  targetScope: string;
  params: Map<string, Param>;
  vars: Map<string, string>;
  resources: ResourceDecl[];
  modules: ModuleDecl[];
  outputs: Map<string, { type: string; value: string }>;
  /** Files named by loadJsonContent / loadTextContent, relative to this file. */
  loads: string[];
}

const unquote = (s: string): string => s.replace(/^'|'$/g, '');

export function parseBicep(file: string): BicepFile {
  const src = fs.readFileSync(file, 'utf8');
  const toks = tokenize(src);
  const out: BicepFile = {
    file,
    targetScope: 'resourceGroup',
    params: new Map(),
    vars: new Map(),
    resources: [],
    modules: [],
    outputs: new Map(),
    loads: [...src.matchAll(/load(?:Json|Text)Content\('([^']+)'\)/g)].map((m) => m[1]!),
  };
  let decorators: Decorator[] = [];
  let i = 0;
  const text = (a: number, b: number): string =>
    b <= a ? '' : src.slice(toks[a]!.pos, toks[b - 1]!.pos + toks[b - 1]!.text.length).trim();
  /** After `=`: skip `[for … :` and `if (…)`, return the index of the body's `{`. */
  const bodyStart = (j: number): number => {
    if (toks[j]?.text === '[') {
      j++;
      while (toks[j] && toks[j]!.text !== ':') j = OPEN[toks[j]!.text] ? skipGroup(toks, j) : j + 1;
      j++;
    }
    while (toks[j]?.kind === 'nl') j++;
    if (toks[j]?.text === 'if') j = skipGroup(toks, j + 1);
    if (toks[j]?.text !== '{') throw new Error(`expected a body at ${toks[j]?.pos}`);
    return j;
  };
  while (i < toks.length) {
    const t = toks[i]!;
    if (t.kind === 'nl') {
      i++;
      continue;
    }
    if (t.text === '@') {
      const name = toks[i + 1]!.text;
      const open = i + 2;
      const close = skipGroup(toks, open);
      decorators.push({ name, args: text(open + 1, close - 1) });
      i = close;
      continue;
    }
    const end = (j: number): number => {
      let k = j;
      while (k < toks.length && toks[k]!.kind !== 'nl') k = OPEN[toks[k]!.text] ? skipGroup(toks, k) : k + 1;
      return k;
    };
    if (t.text === 'targetScope') {
      out.targetScope = unquote(toks[i + 2]!.text);
      i = end(i);
    } else if (t.text === 'param') {
      const name = toks[i + 1]!.text;
      const type = toks[i + 2]!.text;
      const e = end(i);
      const eq = toks.findIndex((x, k) => k > i + 2 && k < e && x.text === '=');
      out.params.set(name, { name, type, decorators, ...(eq > 0 ? { default: text(eq + 1, e) } : {}) });
      decorators = [];
      i = e;
    } else if (t.text === 'var') {
      const e = end(i);
      out.vars.set(toks[i + 1]!.text, text(i + 3, e));
      decorators = [];
      i = e;
    } else if (t.text === 'resource' || t.text === 'module') {
      const symbol = toks[i + 1]!.text;
      const spec = unquote(toks[i + 2]!.text);
      let j = i + 3;
      const existing = toks[j]?.text === 'existing';
      if (existing) j++;
      if (toks[j]?.text !== '=') throw new Error(`expected '=' in ${t.text} ${symbol}`);
      const open = bodyStart(j + 1);
      const body = parseObject(src, toks, open);
      if (t.text === 'resource') {
        const [type, apiVersion] = spec.split('@') as [string, string];
        out.resources.push({ symbol, type, apiVersion, existing, body });
      } else out.modules.push({ symbol, path: spec, body });
      decorators = [];
      i = end(open);
    } else if (t.text === 'output') {
      const e = end(i);
      out.outputs.set(toks[i + 1]!.text, { type: toks[i + 2]!.text, value: text(i + 4, e) });
      decorators = [];
      i = e;
    } else if (t.text === 'metadata' || t.text === 'import' || t.text === 'type' || t.text === 'func') {
      i = end(i);
    } else {
      throw new Error(`${path.basename(file)}: unexpected '${t.text}' at offset ${t.pos}`);
    }
  }
  return out;
}
