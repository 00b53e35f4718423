import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { aksDay2 } from '../support/cli';
import { powerFleet } from '../power/intSupport';

/** Azure allows tag values of 256 characters; CJK values are 3 bytes a character in UTF-8. */
const LONG = `0 19 * * 1-5 ${'x'.repeat(243)}`;
const CJK = '停'.repeat(256);

function fleetFile(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'aks-day2-long-'));
  const file = path.join(dir, 'fleet.json');
  const fleet = powerFleet([
    {
      name: 'aks-long',
      tags: { 'day2-stop': LONG, 'day2-start': '30 7 * * 1-5', 'day2-node-image': 'x'.repeat(256) },
    },
    { name: 'aks-cjk', tags: { 'day2-stop': CJK, 'day2-skip': CJK, 'day2-node-image': CJK } },
    { name: 'aks-typo', tags: { 'day2-stop': '0 25 * * *', 'day2-node-image': 'sometimes' } },
  ]);
  writeFileSync(file, JSON.stringify(fleet));
  return file;
}

describe('tag values as long as Azure allows', () => {
  const fleet = fleetFile();

  it.each([
    ['run power-schedule', ['run', 'power-schedule']],
    ['its dry run', ['run', 'power-schedule', '--dry-run']],
    ['run node-image', ['run', 'node-image']],
  ])("%s reports every cluster, the others' findings included, instead of failing whole", (_, args) => {
    const r = aksDay2(...args, '--sim', '--fleet', fleet);
    expect(r.stderr).not.toContain('StorageFailed');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/aks-typo +tag-check +Skipped/);
    expect(r.stdout).toMatch(/aks-long +tag-check +Skipped/);
    expect(r.stdout).toMatch(/aks-cjk +tag-check +Skipped/);
  });
});
