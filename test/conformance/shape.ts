/**
 * Recursive key/type comparison of an example body against ours: every field of the example must be
 * in ours with the same JSON type; values may differ.
 * - Arrays of objects of the same length compare element by element; otherwise fields present in every
 *   example element are required in each of ours, and a field's type is checked against an example
 *   element that has it.
 * - A non-empty example array needs a non-empty one in ours, unless the example itself shows that
 *   field empty somewhere (e.g. `upgrades: []` of the newest version).
 * - Dictionaries (tags, patchVersions, ...) have free keys: their values compare like array elements.
 * - One-of objects (a maintenance `schedule` holds exactly one of daily/weekly/...): ours must be an
 *   object; a variant present on both sides is compared.
 */
export const DICTIONARIES = new Set([
  'tags',
  'nodeLabels',
  'userAssignedIdentities',
  'patchVersions',
  'addonProfiles',
  'config',
  'identityProfile',
]);
export const ONE_OF = new Set(['schedule']);

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

function isObj(v: unknown): v is Record<string, unknown> {
  return jsonType(v) === 'object';
}

function emptyArrayFields(v: unknown, key: string, out: Set<string>): Set<string> {
  if (Array.isArray(v)) {
    if (v.length === 0) out.add(key);
    for (const x of v) emptyArrayFields(x, key, out);
  } else if (isObj(v)) {
    for (const [k, x] of Object.entries(v)) emptyArrayFields(x, k, out);
  }
  return out;
}

/** Returns a list of mismatches (empty when ours carries the example's shape). */
export function shapeMismatches(example: unknown, ours: unknown): string[] {
  const mayBeEmpty = emptyArrayFields(example, '', new Set());

  function elements(ex: unknown[], us: unknown[], path: string, key: string): string[] {
    if (ex.length === 0) return [];
    if (us.length === 0) return mayBeEmpty.has(key) ? [] : [`${path}: expected a non-empty array`];
    const objects = ex.filter(isObj);
    if (objects.length !== ex.length || !us.every(isObj)) return compare(ex[0], us[0], `${path}[0]`, '');
    if (objects.length === us.length)
      return us.flatMap((u, i) => compare(objects[i], u, `${path}[${i}]`, ''));
    const required = Object.keys(objects[0]!).filter((k) => objects.every((o) => k in o));
    const out: string[] = [];
    for (const [i, u] of us.entries()) {
      for (const k of required) if (!(k in u)) out.push(`${path}[${i}].${k}: missing`);
      for (const k of Object.keys(u)) {
        const sample = objects.find((o) => k in o);
        if (sample) out.push(...compare(sample[k], u[k], `${path}[${i}].${k}`, k));
      }
    }
    return out;
  }

  function compare(ex: unknown, us: unknown, path: string, key: string): string[] {
    const te = jsonType(ex);
    const to = jsonType(us);
    if (te !== to) return [`${path}: expected ${te}, got ${to}`];
    if (te === 'array') return elements(ex as unknown[], us as unknown[], path, key);
    if (te !== 'object') return [];
    const e = ex as Record<string, unknown>;
    const u = us as Record<string, unknown>;
    if (DICTIONARIES.has(key)) {
      const ev = Object.values(e);
      const uv = Object.values(u);
      if (ev.length && !uv.length) return [`${path}: expected a non-empty dictionary`];
      return elements(ev, uv, `${path}{}`, key);
    }
    const out: string[] = [];
    for (const [k, v] of Object.entries(e)) {
      if (!(k in u)) {
        if (!ONE_OF.has(key)) out.push(`${path}.${k}: missing`);
      } else out.push(...compare(v, u[k], `${path}.${k}`, k));
    }
    return out;
  }

  return compare(example, ours, '$', '');
}
