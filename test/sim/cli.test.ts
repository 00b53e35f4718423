import { spawn } from 'node:child_process';
import path from 'node:path';
import { parseSimArgs } from '../../shared/sim/cli';

const ROOT = path.resolve(__dirname, '../..');

describe('aks-day2 sim', () => {
  it('parses its flags', () => {
    expect(
      parseSimArgs([
        '--fleet',
        'f.json',
        '--port=8443',
        '--speed',
        '60',
        '--start',
        '2026-10-05T06:00:00Z',
        '--event-grid-url',
        'http://localhost:7071/runtime/webhooks/EventGrid',
      ]),
    ).toEqual({
      fleet: 'f.json',
      port: 8443,
      speed: 60,
      startTime: '2026-10-05T06:00:00Z',
      eventGrid: { url: 'http://localhost:7071/runtime/webhooks/EventGrid', schema: undefined },
    });
    expect(() => parseSimArgs(['--port', 'x'])).toThrow('--port must be an integer');
    expect(() => parseSimArgs(['--bogus'])).toThrow('unknown argument --bogus');
  });

  it('prints one JSON line with its URLs and stops on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      [
        '-r',
        'tsx/cjs',
        '-e',
        "require('./shared/sim/cli.ts').runSimCommand(process.argv.slice(1)).then((c) => process.exit(c))",
        '--',
        '--speed',
        '0',
      ],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const line = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        if (out.includes('\n')) resolve(out.split('\n')[0]!);
      });
      child.once('exit', (code) => reject(new Error(`exited ${code}: ${err}`)));
    });
    const info = JSON.parse(line) as Record<string, unknown>;
    expect(Object.keys(info)).toEqual([
      'arm',
      'caCertPath',
      'admin',
      'teamsWebhookUrl',
      'teamsOutgoingSecret',
      'logsEndpoint',
      'logsQueryEndpoint',
      'logsWorkspaceIds',
      'subscriptions',
    ]);
    expect(info.arm).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(info.subscriptions).toHaveLength(3);
    const code = await new Promise<number | null>((resolve) => {
      child.once('exit', resolve);
      child.kill('SIGTERM');
    });
    expect(code).toBe(0);
  }, 30_000);
});
