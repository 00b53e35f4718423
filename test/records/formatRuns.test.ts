import { formatRuns } from '../../shared/records/formatRuns';
import { summarizeRun } from '../../shared/records/runSummary';
import { nodeImageRun, quietRun } from '../notify/runs';

describe('aks-day2 runs table', () => {
  it('prints one line per run with its job, actor, start, duration and counts', () => {
    const text = formatRuns([
      nodeImageRun(),
      quietRun('20261005T060500000Z-00000001', 'power-schedule', { dryRun: true }),
    ]);
    const lines = text.split('\n');
    expect(lines[0]).toMatch(
      /^RUN\s+JOB\s+ACTOR\s+STARTED \(UTC\)\s+TOOK\s+CHANGED\s+PLANNED\s+FAILED\s+SKIPPED\s+CLUSTERS$/,
    );
    expect(lines[1]).toMatch(
      /^20261005T060000000Z-0a1b2c3d\s+node-image\s+timer\s+2026-10-05 06:00\s+17m00s\s+2\s+0\s+1\s+5\s+7$/,
    );
    expect(lines[2]).toMatch(/^20261005T060500000Z-00000001 \(dry run\)\s+power-schedule/);
  });

  it('says what each run did to the cluster when listed for one cluster', () => {
    const run = nodeImageRun();
    const s = {
      ...summarizeRun(run),
      forCluster: {
        id: 'x',
        name: 'aks-test-weu-01',
        outcomes: [
          {
            action: 'node-image-upgrade',
            outcome: 'Failed' as const,
            reason: 'drain blocked',
            nodePool: 'payments',
          },
        ],
      },
    };
    expect(formatRuns([s]).split('\n')[1]).toMatch(/node-image-upgrade\/payments Failed: drain blocked$/);
  });

  it('says so when there are no runs', () => {
    expect(formatRuns([])).toBe('No runs found.');
  });
});
