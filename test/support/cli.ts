import { spawnSync } from 'node:child_process';
import path from 'node:path';

export const BIN = path.resolve(__dirname, '../../bin/aks-day2.js');

/** Runs the real `aks-day2` command (bin + tsx) the way a user does; `--sim` commands use the embedded simulator. */
export function aksDay2(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    timeout: 300_000, // an upper bound only: the demo runs minutes on a loaded 2-core machine
    env: { ...process.env, DAY2_SUBSCRIPTIONS: '' },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
