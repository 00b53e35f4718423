import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';

export const BIN = path.resolve(__dirname, '../../bin/aks-day2.js');

/** Runs the real `aks-day2` command (bin + tsx) the way a user does; `--sim` commands use the embedded simulator. */
export function aksDay2(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    // A guard against a hang, not a speed check: the demo takes minutes on a loaded machine.
    timeout: 900_000,
    env: { ...process.env, DAY2_SUBSCRIPTIONS: '' },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Runs `aks-day2` without blocking this process (so a simulator started by the test can answer it),
 * with exactly `env` plus PATH: nothing of the test process's settings leaks in.
 */
export function aksDay2Async(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}
