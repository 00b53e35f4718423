import { LogsIngestionClient } from '@azure/monitor-ingestion';
import type { SimHandle } from '../../shared/sim/server';
import { admin, call, credential, sim } from './simClient';

/** `expect.any(String)`, typed so that object literals holding it stay type-safe. */
const anyString = expect.any(String) as unknown as string;

describe('simulated Teams and Logs Ingestion receivers', () => {
  let s: SimHandle;
  beforeEach(async () => {
    s = await sim({ speed: 0 });
  });
  afterEach(async () => {
    await s.close();
  });

  const card = {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        content: { type: 'AdaptiveCard', version: '1.4', body: [] },
      },
    ],
  };

  it('records a Teams Workflows post with its headers and answers 202', async () => {
    const r = await call(s, 'POST', s.teamsWebhookUrl, card);
    expect(r.status).toBe(202);
    const { posts } = await admin<{
      posts: Array<{ body: unknown; headers: Record<string, string>; path: string }>;
    }>(s, 'GET', '/teams');
    expect(posts).toHaveLength(1);
    expect(posts[0]).toMatchObject({
      body: card,
      path: '/teams/webhook',
      headers: { 'content-type': 'application/json' },
    });
    await admin(s, 'DELETE', '/teams');
    expect((await admin<{ posts: unknown[] }>(s, 'GET', '/teams')).posts).toHaveLength(0);
  });

  it('fails the next Teams posts with an injected 429 and Retry-After, then accepts again', async () => {
    await admin(s, 'POST', '/teams/failures', { status: 429, count: 2, retryAfterSeconds: 7 });
    const a = await call(s, 'POST', s.teamsWebhookUrl, card);
    const b = await call(s, 'POST', s.teamsWebhookUrl, card);
    const c = await call(s, 'POST', s.teamsWebhookUrl, card);
    expect([a.status, b.status, c.status]).toEqual([429, 429, 202]);
    expect(a.headers['retry-after']).toBe('7');
    expect(await admin(s, 'GET', '/teams')).toMatchObject({ rejected: 2, posts: [{ body: card }] });
  });

  it('records rows uploaded by the real LogsIngestionClient (gzip, bearer token) with rule and stream', async () => {
    const client = new LogsIngestionClient(s.logsEndpoint, credential, { tlsOptions: { ca: s.caCert } });
    const rows = [
      { TimeGenerated: '2026-10-05T06:00:00Z', Action: 'stop', Outcome: 'Succeeded' },
      { TimeGenerated: '2026-10-05T06:00:01Z', Action: 'start', Outcome: 'Skipped' },
    ];
    await client.upload('dcr-00000000000000000000000000000000', 'Custom-AksDay2Ops_CL', rows);
    const got = await admin<{ rows: Array<{ ruleId: string; stream: string; row: unknown }> }>(
      s,
      'GET',
      '/logs',
    );
    expect(got.rows).toEqual([
      {
        at: anyString,
        ruleId: 'dcr-00000000000000000000000000000000',
        stream: 'Custom-AksDay2Ops_CL',
        row: rows[0],
      },
      {
        at: anyString,
        ruleId: 'dcr-00000000000000000000000000000000',
        stream: 'Custom-AksDay2Ops_CL',
        row: rows[1],
      },
    ]);
  });

  it('lets the LogsIngestionClient retry through an injected 503', async () => {
    await admin(s, 'POST', '/logs/failures', { status: 503, count: 1, retryAfterSeconds: 0 });
    const client = new LogsIngestionClient(s.logsEndpoint, credential, {
      tlsOptions: { ca: s.caCert },
      retryOptions: { retryDelayInMs: 20 },
    });
    await client.upload('dcr-1', 'Custom-AksDay2Ops_CL', [{ Action: 'x' }]);
    expect(await admin(s, 'GET', '/logs')).toMatchObject({
      rejected: 1,
      requests: 1,
      rows: [{ row: { Action: 'x' } }],
    });
  });
});
