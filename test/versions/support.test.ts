import type { KubernetesVersion } from '@azure/arm-containerservice';
import { loadCalendar, SUPPORT_CALENDAR } from '../../shared/versions/calendar';
import { assessVersionSupport, worstFirst, type VersionAssessment } from '../../shared/versions/support';
import { cluster, REGION } from './fixtures';
import { fixtureJson } from '../support/fixtures';

const JULY_2025 = new Date('2025-07-15T06:00:00Z');

function assess(
  version: string,
  opts: { now?: Date; warnDays?: number; lts?: boolean; region?: KubernetesVersion[] } = {},
): VersionAssessment {
  return assessVersionSupport({
    cluster: { ...cluster('aks-a', version), ...(opts.lts ? { supportPlan: 'AKSLongTermSupport' } : {}) },
    regionVersions: opts.region ?? REGION,
    calendar: SUPPORT_CALENDAR,
    now: opts.now ?? JULY_2025,
    warnDays: opts.warnDays ?? 60,
  });
}

describe('assessVersionSupport', () => {
  it('calls a cluster on a minor the region no longer offers unsupported and routes it straight into the lowest supported minor', () => {
    const a = assess('1.28.5');
    expect(a.status).toBe('unsupported');
    expect(a.path).toEqual(['1.31.9', '1.32.6', '1.33.2']);
    expect(a.latestPatchOfMinor).toBeNull();
    expect(a.endOfSupport?.toISOString()).toBe('2025-01-31T00:00:00.000Z');
    expect(a.daysLeft).toBeLessThan(0);
    expect(a.reason).toMatch(
      /1\.28 is not offered in westeurope \(supported minors: 1\.31, 1\.32, 1\.33\); support ended on 2025-01-31; next step 1\.31\.9/,
    );
  });

  it('upgrades 1.30.14 minor by minor, each hop the latest patch of its minor', () => {
    expect(assess('1.30.14').path).toEqual(['1.31.9', '1.32.6', '1.33.2']);
  });

  it('calls a minor offered only under LTS unsupported for a cluster without the LTS plan, and says why', () => {
    const a = assess('1.30.14');
    expect(a.status).toBe('unsupported');
    expect(a.isLts).toBe(false);
    expect(a.reason).toMatch(/only with long-term support/);
  });

  it('supports an LTS cluster on an LTS-only minor until the LTS end date', () => {
    const a = assess('1.30.14', { lts: true });
    expect(a).toMatchObject({ status: 'current', isLts: true, latestPatchOfMinor: '1.30.14', daysLeft: 381 });
    expect(a.endOfSupport?.toISOString()).toBe('2026-07-31T00:00:00.000Z');
    expect(a.reason).toMatch(/long-term support ends on 2026-07-31/);
  });

  it('calls the lowest supported non-LTS minor ending even when its end date is far away', () => {
    const a = assess('1.31.9', { warnDays: 30 });
    expect(a).toMatchObject({ status: 'ending', minor: '1.31', daysLeft: 109, path: ['1.32.6', '1.33.2'] });
    expect(a.reason).toMatch(
      /1\.31 is the oldest supported minor in westeurope; support ends on 2025-11-01 \(109 days left\)/,
    );
  });

  it('reports ending before behind-patch when both hold', () => {
    expect(assess('1.31.7').status).toBe('ending');
  });

  it('calls a cluster behind the latest patch of a supported minor behind-patch', () => {
    const a = assess('1.32.5');
    expect(a).toMatchObject({ status: 'behind-patch', latestPatchOfMinor: '1.32.6', path: ['1.33.2'] });
    expect(a.reason).toBe(
      '1.32.5 is behind 1.32.6, the latest patch of 1.32; support ends on 2026-03-31 (259 days left).',
    );
  });

  it('gives the newest minor a one-hop path to its latest patch when behind', () => {
    expect(assess('1.33.1')).toMatchObject({ status: 'behind-patch', path: ['1.33.2'] });
  });

  it('calls a cluster on the latest patch of the newest minor current with an empty path', () => {
    const a = assess('1.33.2');
    expect(a).toMatchObject({ status: 'current', path: [], isLts: false });
    expect(a.reason).toMatch(/^1\.33\.2 is the latest patch of 1\.33; support ends on 2026-07-31/);
  });

  it('never routes an upgrade into a preview version', () => {
    expect(assess('1.33.2').path).not.toContain('1.34.0');
  });

  it('calls a cluster on a preview minor unsupported', () => {
    const a = assess('1.34.0');
    expect(a.status).toBe('unsupported');
    expect(a.reason).toMatch(/only as a preview/);
  });

  it.each([
    // now, warnDays, expected status of 1.32.6 (last day of support 2026-03-31), days left
    ['2025-07-15T06:00:00Z', 60, 'current', 259],
    ['2026-01-29T23:59:00Z', 60, 'current', 61],
    ['2026-01-30T00:00:00Z', 60, 'ending', 60],
    ['2026-01-30T00:00:00Z', 59, 'current', 60],
    ['2026-03-31T12:00:00Z', 60, 'ending', 0],
    ['2026-04-02T00:00:00Z', 60, 'ending', -2],
  ] as const)('at %s with warnDays %i, 1.32.6 is %s with %i days left', (now, warnDays, status, daysLeft) => {
    const a = assess('1.32.6', { now: new Date(now), warnDays });
    expect(a.status).toBe(status);
    expect(a.daysLeft).toBe(daysLeft);
  });

  it('says end of support is unknown when the calendar has no row for the minor', () => {
    const calendar = loadCalendar({
      ...SUPPORT_CALENDAR,
      minors: SUPPORT_CALENDAR.minors.filter((r) => r.minor !== '1.32'),
    });
    const a = assessVersionSupport({
      cluster: cluster('aks-a', '1.32.5'),
      regionVersions: REGION,
      calendar,
      now: JULY_2025,
      warnDays: 60,
    });
    expect(a).toMatchObject({ status: 'behind-patch', endOfSupport: null, daysLeft: null });
    expect(a.reason).toMatch(/end of support unknown/);
  });

  it('reports an unreadable version as unsupported instead of throwing', () => {
    const a = assess('banana');
    expect(a).toMatchObject({ status: 'unsupported', minor: '', path: [] });
    expect(a.reason).toMatch(/Cannot read the Kubernetes version "banana"/);
  });

  it('orders assessments worst first, then by days left, then by name', () => {
    const list = [
      assess('1.33.2'),
      assess('1.32.5'),
      assess('1.31.9'),
      assess('1.28.5'),
      { ...assess('1.33.2'), cluster: { id: 'x', name: 'aaa' } },
    ];
    expect(list.sort(worstFirst).map((a) => `${a.status}:${a.cluster.name}:${a.version}`)).toEqual([
      'unsupported:aks-a:1.28.5',
      'ending:aks-a:1.31.9',
      'behind-patch:aks-a:1.32.5',
      'current:aaa:1.33.2',
      'current:aks-a:1.33.2',
    ]);
  });
});

describe('assessVersionSupport on the official KubernetesVersions_List.json example', () => {
  const doc = fixtureJson<{ responses: { 200: { body: { values: KubernetesVersion[] } } } }>(
    'aks-examples',
    'KubernetesVersions_List.json',
  );
  const region = doc.responses[200].body.values;

  it('calls 1.23.12 ending (lowest minor), says its end is unknown, and skips the preview 1.26', () => {
    const a = assess('1.23.12', { region });
    expect(a).toMatchObject({
      status: 'ending',
      latestPatchOfMinor: '1.23.15',
      endOfSupport: null,
      path: ['1.24.9', '1.25.5'],
    });
    expect(a.reason).toMatch(/end of support unknown/);
  });

  it('calls 1.25.5 current: 1.26 is only a preview', () => {
    expect(assess('1.25.5', { region })).toMatchObject({ status: 'current', path: [] });
  });
});
