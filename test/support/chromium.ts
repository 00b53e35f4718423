import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export const CHROMIUM = '/usr/bin/chromium';

/** Runs Debian's headless Chromium with the flags this closed network needs, in a throw-away profile. */
export async function chromium(args: string[]): Promise<{ stdout: string; stderr: string }> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: this test needs Debian's chromium package, which .ci/run installs (apt-get install -y chromium)`,
    );
  }
  const profile = await mkdtemp(path.join(os.tmpdir(), 'aks-day2-chromium-'));
  const flags = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    `--user-data-dir=${profile}`,
  ];
  try {
    return await new Promise((resolve, reject) => {
      execFile(
        CHROMIUM,
        [...flags, ...args],
        { timeout: 90_000, maxBuffer: 64 * 1024 * 1024 },
        (err, stdout, stderr) => {
          if (err) reject(new Error(`chromium failed: ${err.message}\n${stderr}`));
          else resolve({ stdout, stderr });
        },
      );
    });
  } finally {
    await rm(profile, { recursive: true, force: true });
  }
}

/** Loads a report page and returns its DOM after the cards rendered, failing on any renderer error. */
export async function renderedReport(file: string): Promise<{ dom: string; cardsRendered: number }> {
  const { pathToFileURL } = await import('node:url');
  const { stdout: dom } = await chromium([
    '--virtual-time-budget=5000',
    '--dump-dom',
    pathToFileURL(file).href,
  ]);
  const errors = /<pre id="render-errors" data-count="(\d+)">([\s\S]*?)<\/pre>/.exec(dom);
  if (!errors) throw new Error('the page has no #render-errors element: it did not load');
  if (errors[1] !== '0') throw new Error(`renderer errors:\n${errors[2] ?? ''}`);
  return { dom, cardsRendered: Number(/data-cards-rendered="(\d+)"/.exec(dom)?.[1] ?? -1) };
}
