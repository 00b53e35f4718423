import fs from 'node:fs';
import path from 'node:path';

/** The parts of host.json a local host honours, with the Functions host's defaults. */
export interface HostConfig {
  routePrefix: string;
  queues: {
    maxDequeueCount: number;
    /** Gap before a failed message is tried again. */
    visibilityTimeoutMs: number;
    batchSize: number;
    messageEncoding: 'base64' | 'none';
  };
}

const ROOT = path.join(__dirname, '..', '..', '..');

/** `hh:mm:ss` → milliseconds. */
function timeSpanMs(v: unknown, fallback: number): number {
  if (typeof v !== 'string') return fallback;
  const m = /^(\d+):(\d{2}):(\d{2})(?:\.(\d+))?$/.exec(v.trim());
  if (!m) return fallback;
  return ((Number(m[1]) * 60 + Number(m[2])) * 60 + Number(m[3])) * 1000;
}

export function readHostConfig(file = path.join(ROOT, 'host.json')): HostConfig {
  const json = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    extensions?: { http?: { routePrefix?: string }; queues?: Record<string, unknown> };
  };
  const q = json.extensions?.queues ?? {};
  return {
    routePrefix: json.extensions?.http?.routePrefix ?? 'api',
    queues: {
      maxDequeueCount: typeof q.maxDequeueCount === 'number' ? q.maxDequeueCount : 5,
      visibilityTimeoutMs: timeSpanMs(q.visibilityTimeout, 0),
      batchSize: typeof q.batchSize === 'number' ? q.batchSize : 16,
      messageEncoding: q.messageEncoding === 'none' ? 'none' : 'base64',
    },
  };
}

/** Loads every function file of `functions/`, as the Functions host loads `dist/functions/*.js`. */
export function loadFunctionFiles(dir = path.join(ROOT, 'functions')): string[] {
  const files = fs
    .readdirSync(dir)
    .filter((f) => (f.endsWith('.ts') && !f.endsWith('.d.ts')) || f.endsWith('.js'))
    .sort();
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loading function files by name, as the Functions host does
  for (const f of files) require(path.join(dir, f));
  return files;
}
