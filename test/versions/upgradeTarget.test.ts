import { resolveTarget } from '../../shared/versions/upgradeTarget';
import { REGION } from './fixtures';

describe('resolveTarget', () => {
  it.each([
    ['1.32.5', 'latest-patch', '1.32.6'],
    ['1.31.7', 'next-minor', '1.32.6'],
    ['1.32.6', 'next-minor', '1.33.2'],
    ['1.28.5', 'next-minor', '1.31.9'], // from an unsupported minor, straight into the lowest supported one
    ['1.30.12', 'next-minor', '1.31.9'],
    ['1.31.9', '1.32.5', '1.32.5'],
    ['1.32.5', '1.32.6', '1.32.6'],
    ['1.28.5', '1.31.7', '1.31.7'],
  ])('from %s, "%s" resolves to %s', (current, to, target) => {
    expect(resolveTarget(current, to, REGION)).toEqual({ target });
  });

  it.each([
    [
      '1.31.9',
      '1.33.2',
      'skips-minor',
      /1\.31\.9 → 1\.33\.2 skips 1\.32: AKS upgrades one minor at a time; go to 1\.32\.6 first/,
    ],
    [
      '1.28.5',
      '1.32.6',
      'skips-minor',
      /below every supported minor: AKS allows going to 1\.31 \(the lowest supported\) first/,
    ],
    ['1.33.2', '1.34.0', 'preview', /1\.34 is only offered as a preview/],
    ['1.33.2', 'next-minor', 'preview', /1\.34 is only offered as a preview/],
    ['1.33.2', '1.32.6', 'downgrade', /older than 1\.33\.2: AKS does not downgrade/],
    ['1.33.2', '1.33.2', 'same-version', /already runs 1\.33\.2/],
    ['1.33.2', 'latest-patch', 'same-version', /already the latest patch of 1\.33/],
    [
      '1.32.5',
      '1.32.9',
      'unknown-version',
      /1\.32\.9 is not offered in this region \(patches of 1\.32: 1\.32\.5, 1\.32\.6\)/,
    ],
    [
      '1.32.5',
      '1.36.1',
      'unknown-version',
      /1\.36 is not offered in this region \(offered: 1\.31, 1\.32, 1\.33\)/,
    ],
    ['1.28.5', 'latest-patch', 'unknown-version', /1\.28 is no longer offered/],
    ['1.30.12', 'latest-patch', 'unknown-version', /1\.30 is no longer offered/], // offered only under LTS
    ['1.32.5', '1.33', 'bad-version', /expected major\.minor\.patch/],
    ['1.32.5', 'latest', 'bad-version', /"latest" is not a version/],
    ['1.32.5', '2.0.0', 'skips-minor', /changes the major version/],
    ['1.31.7', '1.32.9', 'unknown-version', /1\.32\.9 is not offered/],
  ])('from %s, "%s" is refused (%s)', (current, to, code, message) => {
    const r = resolveTarget(current, to, REGION);
    expect(r).toMatchObject({ code });
    expect('error' in r ? r.error : '').toMatch(message);
  });

  it('refuses a target that AKS does not list among the upgrades of the current patch', () => {
    const region = REGION.map((v) =>
      v.version === '1.31' ? { ...v, patchVersions: { '1.31.9': { upgrades: ['1.32.6'] } } } : v,
    );
    const r = resolveTarget('1.31.9', '1.32.5', region);
    expect(r).toMatchObject({ code: 'not-an-upgrade-path' });
    expect('error' in r ? r.error : '').toMatch(/it lists 1\.32\.6/);
  });

  it('lets an LTS cluster stay on an LTS-only minor and take its latest patch', () => {
    expect(resolveTarget('1.30.12', 'latest-patch', REGION, { supportPlan: 'AKSLongTermSupport' })).toEqual({
      target: '1.30.14',
    });
    expect(resolveTarget('1.30.12', 'latest-patch', REGION)).toMatchObject({ code: 'unknown-version' });
  });

  it('reports a cluster version that does not parse instead of throwing', () => {
    expect(resolveTarget('', 'latest-patch', REGION)).toMatchObject({ code: 'bad-version' });
  });
});
