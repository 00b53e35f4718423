import type { HttpFunctionDefinition } from '../../host/registry';

/** A route template of the Functions host (`upgrades/{id}`, `{name?}`, `{*rest}`, `{id:int}`), matched case-insensitively. */
interface Segment {
  literal?: string;
  param?: string;
  optional?: boolean;
  catchAll?: boolean;
}

function parseTemplate(route: string): Segment[] {
  return route
    .split('/')
    .filter((s) => s !== '')
    .map((s) => {
      const m = /^\{(\*)?([A-Za-z_]\w*)(?::[^}?]*)?(\?)?\}$/.exec(s);
      if (!m) return { literal: s.toLowerCase() };
      return { param: m[2], catchAll: m[1] === '*', optional: m[3] === '?' };
    });
}

export interface RouteMatch {
  def: HttpFunctionDefinition;
  params: Record<string, string>;
}

function matchTemplate(segs: Segment[], parts: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i]!;
    const p = parts[i];
    if (s.catchAll) {
      params[s.param!] = parts.slice(i).join('/');
      return params;
    }
    if (p === undefined) {
      if (s.optional) continue;
      return undefined;
    }
    if (s.literal !== undefined) {
      if (p.toLowerCase() !== s.literal) return undefined;
    } else params[s.param!] = p;
  }
  return parts.length > segs.length ? undefined : params;
}

/**
 * Finds the function for a path below the route prefix: literal segments win over parameters (as in
 * ASP.NET routing). `methodMismatch` tells a path some function serves with other methods.
 */
export function matchRoute(
  defs: readonly HttpFunctionDefinition[],
  method: string,
  path: string,
): { match?: RouteMatch; methodMismatch: boolean } {
  let parts: string[];
  try {
    parts = path
      .split('/')
      .filter((s) => s !== '')
      .map((s) => decodeURIComponent(s));
  } catch {
    return { methodMismatch: false };
  }
  const candidates = defs
    .map((def) => ({ def, segs: parseTemplate(def.route) }))
    .map((c) => ({ ...c, literals: c.segs.filter((s) => s.literal !== undefined).length }))
    .sort((a, b) => b.literals - a.literals);
  let methodMismatch = false;
  for (const c of candidates) {
    const params = matchTemplate(c.segs, parts);
    if (!params) continue;
    if (!c.def.methods.includes(method.toUpperCase() as never)) {
      methodMismatch = true;
      continue;
    }
    return { match: { def: c.def, params }, methodMismatch };
  }
  return { methodMismatch };
}
