import { createHmac } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { CHANNEL_MEMBERS } from '../sim/teamsChannel';
import { fuzzChatops, type ChatFuzzReport } from './chatopsFuzz';
import { percentile, withServedLocal } from './servedLocal';

/** Teams waits this long for an outgoing webhook's reply. */
export const TEAMS_REPLY_LIMIT_MS = 5_000;

export interface ChatLatency {
  command: string;
  concurrent: number;
  requests: number;
  byStatus: Record<string, number>;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

async function withServedDemo<T>(fn: (chatopsUrl: string, secret: string) => Promise<T>): Promise<T> {
  return withServedLocal({ startTime: '2026-01-12T06:00:00Z' }, { timers: false }, (url, local) =>
    fn(`${url}/api/chatops`, local.sim.teamsOutgoingSecret),
  );
}

/**
 * Reply latency of the `chatops` endpoint through `aks-day2 serve` on the demo fleet: for each command,
 * `concurrent` messages signed as Teams signs them, sent at once (`rounds` times); every reply timed
 * from sending to its last byte. Read commands read ARM and state; `snooze` is checked and queued.
 */
export async function benchChatops(concurrent = 50, rounds = 4): Promise<ChatLatency[]> {
  const members = Object.fromEntries(CHANNEL_MEMBERS.map((m) => [m.role, m.aadObjectId]));
  const commands: Array<[string, string]> = [
    ['help', members.reader!],
    ['status aks-dev-weu-01', members.reader!],
    ['status', members.reader!],
    ['versions aks-dev-weu-02', members.reader!],
    ['snooze aks-dev-weu-01 for 2h', members.operator!],
  ];
  return withServedDemo(async (url, secret) => {
    const key = Buffer.from(secret, 'base64');
    const results: ChatLatency[] = [];
    let n = 0;
    for (const [text, oid] of commands) {
      const latencies: number[] = [];
      const byStatus: Record<string, number> = {};
      for (let r = 0; r < rounds; r++)
        await Promise.all(
          Array.from({ length: concurrent }, async () => {
            const body = JSON.stringify({
              type: 'message',
              id: `bench-${n++}`,
              text: `<at>day2</at> ${text}`,
              from: { id: `29:${oid}`, name: 'bench', aadObjectId: oid },
            });
            const t0 = performance.now();
            const res = await fetch(url, {
              method: 'POST',
              headers: {
                'content-type': 'application/json',
                authorization: `HMAC ${createHmac('sha256', key).update(body).digest('base64')}`,
              },
              body,
            });
            await res.arrayBuffer();
            latencies.push(performance.now() - t0);
            byStatus[res.status] = (byStatus[res.status] ?? 0) + 1;
          }),
        );
      latencies.sort((a, b) => a - b);
      results.push({
        command: text,
        concurrent,
        requests: latencies.length,
        byStatus,
        p50Ms: percentile(latencies, 50),
        p99Ms: percentile(latencies, 99),
        maxMs: latencies.at(-1) ?? 0,
      });
    }
    return results;
  });
}

/** The chatops fuzz at full size (10,000 messages with a valid HMAC) through `aks-day2 serve`. */
export async function benchChatopsFuzz(runs = 10_000): Promise<ChatFuzzReport & { wallMs: number }> {
  return withServedDemo(async (url, secret) => {
    const t0 = performance.now();
    const r = await fuzzChatops(url, secret, {
      runs,
      concurrency: 16,
      clusters: ['aks-dev-weu-01', 'aks-dev-weu', 'aks-prod-weu-01', 'AKS-TEST-EUS-01'],
      senders: CHANNEL_MEMBERS.filter((m) => m.role === 'reader' || m.role === 'none').map(
        (m) => m.aadObjectId,
      ),
    });
    return { ...r, wallMs: performance.now() - t0 };
  });
}
