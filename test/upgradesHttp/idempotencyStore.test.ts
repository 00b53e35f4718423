import { loadSettings } from '../../shared/config/settings';
import { Tables } from '../../shared/storage/tables';
import { IdempotencyStore } from '../../shared/upgradesHttp/idempotencyStore';
import { azuriteConnectionString, uniqueName } from '../support/storage';

describe('the Idempotency-Key store (Azurite)', () => {
  let now = new Date('2026-01-12T06:00:00Z');
  const store = (opts = {}) =>
    new IdempotencyStore(new Tables(azuriteConnectionString(), uniqueName('t')), () => now, {
      waitMs: 300,
      ...opts,
    });

  it('gives the first request the key and answers a repeat with the same body with its response', async () => {
    const s = store();
    const first = await s.claim('alice', 'k', 'h1');
    expect(first.kind).toBe('owner');
    if (first.kind === 'owner')
      await first.release({ status: 202, runId: 'R-1', location: '/api/upgrades/R-1' });
    expect(await s.claim('alice', 'k', 'h1')).toEqual({
      kind: 'done',
      response: { status: 202, runId: 'R-1', location: '/api/upgrades/R-1' },
    });
    expect((await s.claim('alice', 'k', 'h2')).kind).toBe('other-body');
    expect((await s.claim('bob', 'k', 'h2')).kind).toBe('owner'); // keys belong to their caller
  });

  it('keeps a large dry-run answer whole', async () => {
    const s = store();
    const body = JSON.stringify({ prechecks: 'x'.repeat(100_000) });
    const c = await s.claim('alice', 'dry', 'h');
    if (c.kind === 'owner') await c.release({ status: 200, body });
    const again = await s.claim('alice', 'dry', 'h');
    expect(again.kind === 'done' && again.response.body).toBe(body);
  });

  it('makes a repeat wait for the first request and says it is still in progress when it takes too long; the key of a crashed holder is taken over', async () => {
    const s = store({ staleMs: 60_000 });
    const first = await s.claim('alice', 'slow', 'h');
    expect(first.kind).toBe('owner');
    expect((await s.claim('alice', 'slow', 'h')).kind).toBe('in-progress');
    now = new Date(now.getTime() + 61_000); // the holder died without answering
    expect((await s.claim('alice', 'slow', 'h')).kind).toBe('owner');
  });

  it('forgets a key after 24 hours and a key whose request failed at once', async () => {
    const s = store();
    const a = await s.claim('alice', 'old', 'h1');
    if (a.kind === 'owner') await a.release({ status: 202, runId: 'R-2' });
    now = new Date(now.getTime() + 25 * 3_600_000);
    expect((await s.claim('alice', 'old', 'h2')).kind).toBe('owner');
    const b = await s.claim('alice', 'failed', 'h1');
    if (b.kind === 'owner') await b.release(undefined);
    expect((await s.claim('alice', 'failed', 'h1')).kind).toBe('owner');
  });
});

describe('App Service authentication in the settings', () => {
  it('is on when the platform sets WEBSITE_AUTH_ENABLED=True, off otherwise', () => {
    const base = { AzureWebJobsStorage: 'UseDevelopmentStorage=true' };
    expect(loadSettings({ ...base, WEBSITE_AUTH_ENABLED: 'True' }).easyAuth).toBe(true);
    expect(loadSettings(base).easyAuth).toBe(false);
  });
});
