import { boundedPrincipal, callerFrom, KEY_CALLER, requirePermission } from '../../shared/http/principal';
import { ProblemError } from '../../shared/http/problem';
import { principalHeaders } from '../support/serve';

const headers = (h: Record<string, string>) => new Headers(h);

function problemOf(fn: () => unknown): ProblemError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ProblemError) return err;
    throw err;
  }
  throw new Error('expected a problem');
}

describe('the caller of an HTTP call', () => {
  it('is the function key holder, with every role, when App Service authentication is off', () => {
    expect(callerFrom(headers(principalHeaders('u1', [])), false)).toBe(KEY_CALLER);
  });

  it('is the signed-in principal with its app roles when App Service authentication is on', () => {
    const c = callerFrom(headers(principalHeaders('4f1c-aa', ['Day2.Operator'])), true);
    expect(c.id).toBe('4f1c-aa');
    expect([...c.roles]).toEqual(['Day2.Operator']);
  });

  it('accepts roles under the long role claim type and in any case', () => {
    const p = {
      claims: [
        { typ: 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role', val: 'day2.approver' },
        { typ: 'oid', val: 'abc' },
      ],
    };
    const c = callerFrom(
      headers({ 'x-ms-client-principal': Buffer.from(JSON.stringify(p)).toString('base64') }),
      true,
    );
    expect([...c.roles]).toEqual(['Day2.Approver']);
    expect(c.id).toBe('abc');
  });

  it('is refused with 401 naming the header when the principal is missing or unreadable', () => {
    expect(problemOf(() => callerFrom(headers({}), true)).errors[0]).toMatchObject({
      in: 'header',
      field: 'x-ms-client-principal',
    });
    expect(problemOf(() => callerFrom(headers({ 'x-ms-client-principal': '%%%' }), true)).status).toBe(401);
  });

  it('is refused with 403 naming the role it lacks', () => {
    const reader = callerFrom(headers(principalHeaders('r', ['Day2.Reader'])), true);
    const p = problemOf(() => requirePermission(reader, 'change', 'an upgrade'));
    expect(p.status).toBe(403);
    expect(p.detail).toContain('Day2.Operator');
  });

  it('is bounded before it becomes an actor: long or odd principals are hashed', () => {
    expect(boundedPrincipal('a'.repeat(500))).toMatch(/^sha256-[0-9a-f]{32}$/);
    expect(boundedPrincipal('x y/z')).toBe('x_y_z');
  });
});
