import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { BIN } from '../support/cli';

describe('aks-day2 serve --sim --port 0', () => {
  it('prints one JSON line with its url once it listens, serves /api on it without a function key, and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [BIN, 'serve', '--sim', '--port', '0', '--no-timers'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    try {
      const lines: string[] = [];
      const first = await new Promise<string>((resolve, reject) => {
        const rl = createInterface({ input: child.stdout });
        rl.on('line', (l) => {
          lines.push(l);
          if (lines.length === 1) resolve(l);
        });
        child.once('exit', (code) => reject(new Error(`serve exited with ${String(code)}`)));
      });
      const info = JSON.parse(first) as {
        url: string;
        api: string;
        functions: { http: string[]; queues: string[] };
      };
      expect(info.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(info.functions.http).toContain('upgradesApi');
      expect(info.functions.queues).toContain('commandWorker');
      const res = await fetch(`${info.url}/api/openapi.json`);
      expect(res.status).toBe(200);
      expect(((await res.json()) as { openapi: string }).openapi).toBe('3.1.0');
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(lines).toHaveLength(1);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('refuses a bad --port with exit code 2', async () => {
    const child = spawn(process.execPath, [BIN, 'serve', '--port', 'x'], { stdio: 'ignore' });
    expect(await new Promise((r) => child.once('exit', (code) => r(code)))).toBe(2);
  });
});
