import https from 'node:https';
import type { SimHandle } from '../sim/server';

/** Calls the simulator's admin API (`/admin/...`) over HTTPS, trusting its certificate. */
export function simAdmin<T = unknown>(
  sim: Pick<SimHandle, 'admin' | 'caCert'>,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise<T>((resolve, reject) => {
    const req = https.request(
      `${sim.admin}${path}`,
      { method, ca: sim.caCert, headers: payload ? { 'content-type': 'application/json' } : {} },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if ((res.statusCode ?? 500) >= 400)
            return reject(new Error(`simulator admin ${method} ${path}: ${res.statusCode} ${text}`));
          try {
            resolve((text ? JSON.parse(text) : undefined) as T);
          } catch (err) {
            reject(err instanceof Error ? err : new Error(String(err)));
          }
        });
      },
    );
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}
