import { createHash } from 'node:crypto';
import { fieldProblem } from './problem';

/** App roles of the API (Entra app roles, `roles` claim); see docs/http-api.md. */
export const APP_ROLES = ['Day2.Reader', 'Day2.Operator', 'Day2.Approver'] as const;
export type AppRole = (typeof APP_ROLES)[number];

/** Who called. `id` is what runs record as requester and what four eyes compares. */
export interface Caller {
  /** Entra object id (Easy Auth), or `function-key` when App Service authentication is off. */
  id: string;
  /** Display name (UPN) when known; for messages only. */
  name: string;
  roles: ReadonlySet<AppRole>;
  /** False when App Service authentication is off: the function key is the only gate. */
  authenticated: boolean;
}

/** Without Easy Auth the function key is all the app knows of the caller: a holder may do everything but approve their own runs. */
export const KEY_CALLER: Caller = {
  id: 'function-key',
  name: 'function key holder',
  roles: new Set(APP_ROLES),
  authenticated: false,
};

const PRINCIPAL = 'x-ms-client-principal';
const ROLE_CLAIMS = new Set([
  'roles',
  'role',
  'http://schemas.microsoft.com/ws/2008/06/identity/claims/role',
]);
const OID_CLAIMS = new Set(['oid', 'http://schemas.microsoft.com/identity/claims/objectidentifier']);
const MAX_HEADER = 16_384;

/** A principal id or name bounded to what a row, a table key or a log line may hold. */
export function boundedPrincipal(raw: string): string {
  const clean = raw.replace(/[^\w.@:-]/g, '_');
  if (clean.length <= 64) return clean;
  return `sha256-${createHash('sha256').update(raw).digest('hex').slice(0, 32)}`;
}

interface HeaderSource {
  get(name: string): string | null;
}

/**
 * The caller from App Service authentication (Easy Auth): `x-ms-client-principal` is base64 JSON
 * `{ auth_typ, claims: [{ typ, val }], name_typ, role_typ }`; roles are the claims of type `role_typ`,
 * `roles` or the long role URI. With Easy Auth off, the caller is the function key holder. A missing or
 * unreadable principal with Easy Auth on is a 401 naming the header.
 */
export function callerFrom(headers: HeaderSource, easyAuth: boolean): Caller {
  if (!easyAuth) return KEY_CALLER;
  const raw = headers.get(PRINCIPAL);
  if (raw === null || raw.trim() === '')
    throw fieldProblem(
      'unauthenticated',
      'header',
      PRINCIPAL,
      'App Service authentication is on, but the request carries no signed-in principal: sign in (Microsoft Entra ID) and call again',
    );
  if (raw.length > MAX_HEADER)
    throw fieldProblem('unauthenticated', 'header', PRINCIPAL, `longer than ${MAX_HEADER} characters`);
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(raw, 'base64').toString('utf8'));
  } catch {
    throw fieldProblem('unauthenticated', 'header', PRINCIPAL, 'not base64-encoded JSON');
  }
  const p = decoded as { claims?: unknown; role_typ?: unknown; name_typ?: unknown } | null;
  if (typeof p !== 'object' || p === null || !Array.isArray(p.claims))
    throw fieldProblem('unauthenticated', 'header', PRINCIPAL, 'expected { "claims": [ { "typ", "val" } ] }');
  const claims = (p.claims as unknown[]).filter(
    (c): c is { typ: string; val: string } =>
      typeof c === 'object' &&
      c !== null &&
      typeof (c as { typ?: unknown }).typ === 'string' &&
      typeof (c as { val?: unknown }).val === 'string',
  );
  const roleTyp = typeof p.role_typ === 'string' ? p.role_typ : undefined;
  const nameTyp = typeof p.name_typ === 'string' ? p.name_typ : undefined;
  const roles = new Set<AppRole>();
  for (const c of claims) {
    if (!(ROLE_CLAIMS.has(c.typ) || c.typ === roleTyp)) continue;
    const role = APP_ROLES.find((r) => r.toLowerCase() === c.val.trim().toLowerCase());
    if (role) roles.add(role);
  }
  const id =
    headers.get(`${PRINCIPAL}-id`)?.trim() || claims.find((c) => OID_CLAIMS.has(c.typ))?.val.trim() || '';
  if (id === '')
    throw fieldProblem(
      'unauthenticated',
      'header',
      `${PRINCIPAL}-id`,
      'the principal has no object id (x-ms-client-principal-id or an oid claim)',
    );
  const name =
    headers.get(`${PRINCIPAL}-name`)?.trim() ||
    claims.find((c) => c.typ === nameTyp || c.typ === 'name')?.val.trim() ||
    id;
  return { id: boundedPrincipal(id), name: boundedPrincipal(name), roles, authenticated: true };
}

/** What each kind of call needs. */
export type Permission = 'read' | 'change' | 'cancel' | 'approve';

const NEEDS: Record<Permission, readonly AppRole[]> = {
  read: APP_ROLES,
  change: ['Day2.Operator'],
  cancel: ['Day2.Operator', 'Day2.Approver'],
  approve: ['Day2.Approver'],
};

/** Throws a 403 problem naming the roles that would do. */
export function requirePermission(caller: Caller, permission: Permission, what: string): void {
  const ok = NEEDS[permission].some((r) => caller.roles.has(r));
  if (!ok)
    throw fieldProblem(
      'forbidden',
      'header',
      PRINCIPAL,
      `${what} needs the app role ${NEEDS[permission].join(' or ')}; ${caller.name} has ${
        caller.roles.size ? [...caller.roles].join(', ') : 'no role of this app'
      }`,
    );
}

/** The `Actor` of a call in the records (docs/records.md). */
export const actorOf = (caller: Caller): `http:${string}` => `http:${caller.id}`;
