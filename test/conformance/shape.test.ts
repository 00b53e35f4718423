import { shapeMismatches } from './shape';

describe('the example shape comparison', () => {
  it('accepts different values of the same types and extra fields', () => {
    expect(
      shapeMismatches(
        { a: 1, b: { c: 'x' }, d: [{ e: true }] },
        { a: 2, b: { c: 'y', z: 1 }, d: [{ e: false }, { e: true }] },
      ),
    ).toEqual([]);
  });

  it('reports missing fields and type changes with their path', () => {
    expect(shapeMismatches({ a: 1, b: { c: 'x' }, d: [{ e: true }] }, { a: '1', b: {}, d: [{}] })).toEqual([
      '$.a: expected number, got string',
      '$.b.c: missing',
      '$.d[0].e: missing',
    ]);
  });

  it('compares dictionary values, not their keys, and one-of variants loosely', () => {
    expect(
      shapeMismatches(
        { tags: { tier: 'prod' }, schedule: { weekly: { dayOfWeek: 'Monday' } } },
        { tags: { env: 'dev' }, schedule: { daily: { intervalDays: 1 } } },
      ),
    ).toEqual([]);
    expect(
      shapeMismatches(
        { patchVersions: { '1.2.3': { upgrades: ['1.2.4'] } } },
        { patchVersions: { '1.9.0': { upgrades: 3 } } },
      ),
    ).toEqual(['$.patchVersions{}[0].upgrades: expected array, got number']);
  });

  it('requires a non-empty array unless the example shows that field empty', () => {
    expect(shapeMismatches({ v: [1] }, { v: [] })).toEqual(['$.v: expected a non-empty array']);
    expect(shapeMismatches({ x: [{ u: ['a'] }, { u: [] }] }, { x: [{ u: [] }] })).toEqual([]);
  });
});
