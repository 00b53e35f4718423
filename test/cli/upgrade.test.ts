import { upgradeRequestOf } from '../../shared/cli/commands/upgrade';
import { aksDay2 } from '../support/cli';

describe('aks-day2 upgrade', () => {
  it('prints every pre-check with its evidence on --dry-run and changes nothing', () => {
    const r = aksDay2('upgrade', 'aks-dev-weu-01', '--sim', '--to', 'next-minor', '--dry-run');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('aks-dev-weu-01: 1.33.5 → 1.34.2');
    for (const check of [
      'state',
      'target',
      'skew',
      'auto-upgrade',
      'deprecated-apis',
      'pdbs',
      'quota',
      'subnet',
      'window',
    ])
      expect(r.stdout).toMatch(new RegExp(`^  (PASS|WARN|FAIL\\*?) +${check} `, 'm'));
    expect(r.stdout).toContain('· upgrade profile offers:');
    expect(r.stdout).toContain('The upgrade would start.');
  });

  it('gives the dry run as JSON for scripts with --output json, every pre-check with its result', () => {
    const r = aksDay2(
      'upgrade',
      'aks-dev-weu-01',
      '--sim',
      '--to',
      'next-minor',
      '--dry-run',
      '--output',
      'json',
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const plan = JSON.parse(r.stdout) as {
      cluster: { name: string };
      toVersion: string;
      wouldStart: boolean;
      prechecks: Array<{ check: string; status: string }>;
    };
    expect({ cluster: plan.cluster.name, to: plan.toVersion, wouldStart: plan.wouldStart }).toEqual({
      cluster: 'aks-dev-weu-01',
      to: '1.34.2',
      wouldStart: true,
    });
    expect(plan.prechecks.map((c) => c.check).sort()).toEqual(
      [
        'auto-upgrade',
        'deprecated-apis',
        'pdbs',
        'quota',
        'skew',
        'state',
        'subnet',
        'target',
        'window',
      ].sort(),
    );
  });

  it('refuses --output json without --dry-run: a real run reports in text', () => {
    const r = aksDay2('upgrade', 'aks-dev-weu-01', '--sim', '--output', 'json');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--output json goes with --dry-run');
  });

  it('shows progress with the pool and nodes done / total until the run ends with --wait', () => {
    const r = aksDay2(
      'upgrade',
      'aks-dev-weu-01',
      '--sim',
      '--to',
      'next-minor',
      '--max-surge',
      '2',
      '--wait',
    );
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(
      /NodePools — step 3\/5: pool system → 1\.34\.2 \(max surge 2, from request\), nodes \d\/3/,
    );
    expect(r.stdout).toMatch(/, Succeeded\n/);
  });

  it('reads the options of the command line into one request, and refuses unknown checks for --force', () => {
    expect(
      upgradeRequestOf(
        [
          'aks-x',
          '--to',
          '1.33.3',
          '--pools',
          'system,apps',
          '--max-surge',
          '33%',
          '--wake',
          '--force',
          'pdbs,quota',
          '--dry-run',
        ],
        'cli:me',
      ).req,
    ).toEqual({
      cluster: 'aks-x',
      requestedBy: 'cli:me',
      to: '1.33.3',
      pools: ['system', 'apps'],
      maxSurge: '33%',
      wake: true,
      force: ['pdbs', 'quota'],
      dryRun: true,
    });
    expect(upgradeRequestOf(['aks-x', '--force', 'all'], 'cli:me').req.force).toBe(true);
    expect(() => upgradeRequestOf(['aks-x', '--force', 'nope'], 'cli:me')).toThrow(/unknown check nope/);
    const bad = aksDay2('upgrade', 'aks-x', '--max-surge');
    expect(bad.status).toBe(2);
  });
});
