import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { commandHelp, commands } from '../../shared/cli/main';
import { createProgress } from '../../shared/cli/progress';
import { startSimulator, type SimHandle } from '../../shared/sim/server';
import { powerFleet } from '../power/intSupport';
import { aksDay2Async } from '../support/cli';

const fleetFile = (fleet: unknown): string => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'aks-day2-fleet-')), 'fleet.json');
  fs.writeFileSync(file, JSON.stringify(fleet));
  return file;
};

describe('aks-day2 against an ARM endpoint with only a login and no storage account', () => {
  let sim: SimHandle;
  let env: Record<string, string>;
  beforeAll(async () => {
    sim = await startSimulator({ startTime: '2026-01-12T18:00:00Z', speed: 0 });
    // What `az login` gives on a laptop, pointed at the simulator: no AzureWebJobsStorage.
    env = { DAY2_ARM_ENDPOINT: sim.arm, DAY2_AUTH: 'local', DAY2_LOCAL_CA_CERT: sim.caCertPath };
  });
  afterAll(async () => sim.close());

  it('plans the fleet inventory and says the state was read as empty', async () => {
    const r = await aksDay2Async(['plan'], env);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('No AzureWebJobsStorage: the app state');
    expect(r.stdout).toMatch(/Fleet: 13 clusters in 3 subscriptions/);
  });

  it('plans a job at a given instant from an empty state, as JSON for scripts', async () => {
    const r = await aksDay2Async(
      ['plan', '--job', 'power-schedule', '--at', '2026-01-12T18:00:00Z', '--output', 'json'],
      env,
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const plan = JSON.parse(r.stdout) as {
      job: string;
      at: string;
      state: string;
      clusters: Array<{ name: string; decisions: Array<{ kind: string; action: string; reason: string }> }>;
    };
    expect(plan).toMatchObject({ job: 'power-schedule', at: '2026-01-12T18:00:00.000Z', state: 'empty' });
    // 19:00 in Paris on a Monday: the weekday stop is due.
    expect(plan.clusters.find((c) => c.name === 'aks-dev-weu-01')?.decisions).toEqual([
      expect.objectContaining({ kind: 'act', action: 'stop' }),
    ]);
  });

  it('lists no runs, and says there is no storage to read them from', async () => {
    const r = await aksDay2Async(['runs', '--output', 'json'], env);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      runs: [],
      state: 'empty',
      notes: ['No AzureWebJobsStorage: no run records to read.'],
    });
  });

  it('still refuses to run a job without storage, naming the setting, with exit code 2', async () => {
    const r = await aksDay2Async(['run', 'power-schedule', '--dry-run'], env);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('AzureWebJobsStorage: required');
  });

  it('exits 1 when part of the fleet cannot be read, and says which subscription', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    const r = await aksDay2Async(['plan'], { ...env, DAY2_SUBSCRIPTIONS: missing });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`Subscription ${missing} could not be listed`);
  });
});

describe('aks-day2 --at: what the schedule does on the night the clocks change', () => {
  // Sunday 29 March 2026 in Paris: 02:00 CET jumps to 03:00 CEST; a 02:30 stop falls in the gap.
  const file = fleetFile(
    powerFleet([{ name: 'aks-night', tags: { 'day2-stop': '30 2 * * *', 'day2-timezone': 'Europe/Paris' } }]),
  );

  it('shows the edge in the skipped hour firing once, at the first valid instant', async () => {
    const plan = async (at: string) => {
      const r = await aksDay2Async(
        ['plan', '--sim', '--fleet', file, '--job', 'power-schedule', '--at', at, '--output', 'json'],
        {},
      );
      expect(r.stderr).toBe('');
      const data = JSON.parse(r.stdout) as {
        clusters: Array<{
          decisions: Array<{ kind: string; action: string; edge: string }>;
          nextStop: string;
        }>;
      };
      return data.clusters[0]!;
    };
    const before = await plan('2026-03-29T00:55:00Z'); // 01:55 CET
    expect(before.decisions).toEqual([]);
    expect(before.nextStop).toBe('2026-03-29T01:00:00.000Z'); // 03:00 CEST
    const after = await plan('2026-03-29T01:00:00Z');
    expect(after.decisions).toEqual([
      expect.objectContaining({ kind: 'act', action: 'stop', edge: '2026-03-29T01:00:00.000Z' }),
    ]);
  });

  it('refuses --at on a real run: only a dry run can pretend to be at another time', async () => {
    const r = await aksDay2Async(['run', 'power-schedule', '--at', '2026-03-29T01:00:00Z'], {});
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--at needs --dry-run');
  });

  it('refuses an --at that is not an ISO instant with a zone', async () => {
    const r = await aksDay2Async(['plan', '--sim', '--at', '2026-03-29 03:00'], {});
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('expected an ISO date-time with a zone');
  });
});

describe('aks-day2 help and --version', () => {
  it('gives every command a usage line and at least one example of itself', () => {
    for (const c of commands()) {
      expect(c.examples.length).toBeGreaterThan(0);
      for (const e of c.examples) expect(e.startsWith(`aks-day2 ${c.name}`)).toBe(true);
      expect(commandHelp(c)).toContain(`usage: aks-day2 ${c.name}`);
    }
  });

  it('prints one command with its examples and the exit codes', async () => {
    const r = await aksDay2Async(['help', 'runs']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('usage: aks-day2 runs');
    expect(r.stdout).toContain('Examples:\n  aks-day2 runs --cluster');
    expect(r.stdout).toContain('Exit codes: 0 ok, 1 a job or change failed, 2 bad usage or settings.');
    expect((await aksDay2Async(['plan', '--help'])).stdout).toContain('usage: aks-day2 plan');
  });

  it('prints the package version', async () => {
    const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8')) as {
      version: string;
    };
    expect((await aksDay2Async(['--version'])).stdout).toBe(`aks-day2 ${pkg.version}\n`);
  });

  it('refuses an unknown output format with exit code 2', async () => {
    const r = await aksDay2Async(['plan', '--sim', '--output', 'yaml']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--output yaml: expected "table" or "json"');
  });
});

describe('progress of long work', () => {
  it('draws one line on a terminal and clears it before output and at the end', () => {
    const written: string[] = [];
    const p = createProgress({ isTTY: true, columns: 80, write: (t: string) => written.push(t) });
    const out: string[] = [];
    const say = p.around((l) => out.push(l));
    p.update('demo: power schedule', 3, 288);
    say('a result');
    p.update('demo: node-image wave');
    p.done();
    expect(written).toEqual([
      '\r\x1b[2Kdemo: power schedule [3/288]',
      '\r\x1b[2K',
      '\r\x1b[2Kdemo: node-image wave',
      '\r\x1b[2K',
    ]);
    expect(out).toEqual(['a result']);
  });

  it('writes nothing when the output is not a terminal', () => {
    const written: string[] = [];
    const p = createProgress({ isTTY: false, write: (t: string) => written.push(t) });
    p.update('bench', 1, 4);
    p.around(() => undefined)('line');
    p.done();
    expect(written).toEqual([]);
  });
});
