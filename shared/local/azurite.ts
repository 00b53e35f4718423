import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

/** A running Azurite (the real Azure Storage emulator, from node_modules): in memory, telemetry off. */
export interface AzuriteHandle {
  connectionString: string;
  ports: { blob: number; queue: number; table: number };
  /** Azurite's process id (it exits with the process that started it). */
  pid: number;
  close(): Promise<void>;
}

/** Preloaded into Azurite so that it exits when its starter is gone (a killed bench, demo or test run). */
const EXIT_WITH_PARENT = path.join(__dirname, '..', '..', 'scripts', 'exit-with-parent.js');

const ACCOUNT = 'devstoreaccount1';
// Azurite's well-known development key (public, documented by Microsoft; not a secret).
const KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export function azuriteConnectionString(ports: { blob: number; queue: number; table: number }): string {
  const ep = (p: number): string => `http://127.0.0.1:${p}/${ACCOUNT}`;
  return (
    `DefaultEndpointsProtocol=http;AccountName=${ACCOUNT};AccountKey=${KEY};` +
    `BlobEndpoint=${ep(ports.blob)};QueueEndpoint=${ep(ports.queue)};TableEndpoint=${ep(ports.table)};`
  );
}

/**
 * Starts Azurite on free ports (port 0, read back from its output) and resolves once all three
 * services listen. Rejects with Azurite's own output when it does not come up within `timeoutMs`.
 */
export function startAzurite(timeoutMs = 30_000): Promise<AzuriteHandle> {
  const entry = path.join(require.resolve('azurite/package.json'), '..', 'dist', 'src', 'azurite.js');
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '--require',
      EXIT_WITH_PARENT,
      entry,
      '--inMemoryPersistence',
      '--disableTelemetry',
      '--skipApiVersionCheck',
      '--loose',
      '--silent', // no access log: a line per request, read by no one
      '--blobPort',
      '0',
      '--queuePort',
      '0',
      '--tablePort',
      '0',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const ports: Partial<Record<'blob' | 'queue' | 'table', number>> = {};
  return new Promise<AzuriteHandle>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`Azurite did not start within ${timeoutMs} ms. Output:\n${output}`));
    }, timeoutMs);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      for (const m of output.matchAll(
        /Azurite (Blob|Queue|Table) service is successfully listening at http:\/\/127\.0\.0\.1:(\d+)/g,
      )) {
        ports[m[1]!.toLowerCase() as 'blob' | 'queue' | 'table'] = Number(m[2]);
      }
      if (ports.blob && ports.queue && ports.table) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        child.stderr?.resume();
        const p = { blob: ports.blob, queue: ports.queue, table: ports.table };
        resolve({
          connectionString: azuriteConnectionString(p),
          ports: p,
          pid: child.pid!,
          close: () =>
            new Promise<void>((done) => {
              if (child.exitCode !== null) return done();
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
        });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Azurite exited with code ${String(code)} before it listened. Output:\n${output}`));
    });
  });
}
