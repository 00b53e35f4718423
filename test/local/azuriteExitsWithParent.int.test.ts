import { spawn } from 'node:child_process';
import path from 'node:path';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('Azurite started by aks-day2 (bench, demo, serve, tests)', () => {
  it('exits when the process that started it is killed, even with SIGKILL, instead of running on as an orphan', async () => {
    const parent = spawn(
      process.execPath,
      ['--require', 'tsx/cjs', path.join(__dirname, 'azuriteParent.ts')],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const azurite = await new Promise<number>((resolve, reject) => {
      let out = '';
      parent.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        const m = /AZURITE (\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      parent.once('exit', (code) =>
        reject(new Error(`the parent exited (${String(code)}) before Azurite started`)),
      );
    });
    expect(alive(azurite)).toBe(true);

    parent.kill('SIGKILL');
    const until = Date.now() + 20_000;
    while (alive(azurite) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    const stillThere = alive(azurite);
    if (stillThere) process.kill(azurite, 'SIGKILL'); // leave nothing behind even when the test fails
    expect(stillThere).toBe(false);
  }, 60_000);
});
