import type { SimHandle } from '../../shared/sim/server';
import { QUOTA_PER_WINDOW } from '../../shared/sim/routes/resourceGraph';
import { generatedFleet } from '../../shared/sim/fleet/generate';
import { shapeMismatches } from '../conformance/shape';
import { fixtureJson } from '../support/fixtures';
import { call, sim } from './simClient';

const ARG = '/providers/Microsoft.ResourceGraph/resources?api-version=2024-04-01';

interface Example {
  parameters: { query: Record<string, unknown> };
  responses: { '200': { body: Record<string, unknown> } };
}
const example = (name: string): Example => fixtureJson<Example>('resource-graph', name);

interface Page {
  totalRecords: number;
  count: number;
  resultTruncated: string;
  $skipToken?: string;
  data: Array<Record<string, unknown>>;
}

describe('the simulated Resource Graph', () => {
  let s: SimHandle;
  beforeEach(async () => {
    s = await sim({ speed: 0, fleet: generatedFleet({ clusters: 25, subscriptions: 3, seed: 5 }) });
  });
  afterEach(async () => s.close());

  const post = (body: unknown) => call(s, 'POST', ARG, body, { auth: true });

  it('answers a first page and the next page in the shape of the official paging examples', async () => {
    const first = example('ResourcesFirstPageQuery.json');
    const query =
      "Resources | where type =~ 'microsoft.containerservice/managedclusters' | project id, name, type, location";
    const r1 = await post({ ...first.parameters.query, subscriptions: s.subscriptions, query });
    expect(r1.status).toBe(200);
    expect(shapeMismatches(first.responses['200'].body, r1.body)).toEqual([]);
    const p1 = r1.body as Page;
    expect(p1).toMatchObject({ totalRecords: 25, count: 3, resultTruncated: 'false' });

    const next = example('ResourcesNextPageQuery.json');
    const r2 = await post({ subscriptions: s.subscriptions, query, options: { $skipToken: p1.$skipToken } });
    expect(shapeMismatches(next.responses['200'].body, r2.body)).toEqual([]);
    const p2 = r2.body as Page;
    expect(p2.count).toBe(3);
    expect(p2.data.map((r) => r.id)).not.toContain(p1.data[0]!.id);
  });

  it('pages through every cluster once and stops giving a token on the last page', async () => {
    const query = "resources | where type =~ 'microsoft.containerservice/managedclusters' | project id, name";
    const ids: unknown[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const r = await post({
        subscriptions: s.subscriptions,
        query,
        options: { $top: 10, ...(token ? { $skipToken: token } : {}) },
      });
      const p = r.body as Page;
      ids.push(...p.data.map((x) => x.id));
      token = p.$skipToken;
      pages++;
    } while (token);
    expect(pages).toBe(3);
    expect(ids).toHaveLength(25);
    expect(new Set(ids).size).toBe(25);
  });

  it('answers a basic projection in the shape of the basic example, limited as asked', async () => {
    const basic = example('ResourcesBasicQuery.json');
    const r = await post({ ...basic.parameters.query, subscriptions: s.subscriptions });
    expect(r.status).toBe(200);
    expect(shapeMismatches(basic.responses['200'].body, r.body)).toEqual([]);
    expect((r.body as Page).count).toBe(3);
  });

  it('cuts an answer without the id column at one page and says it is truncated', async () => {
    const r = await post({
      subscriptions: s.subscriptions,
      query: 'resources | project name',
      options: { $top: 5 },
    });
    expect(r.body).toMatchObject({ count: 5, resultTruncated: 'true' });
    expect((r.body as Page).$skipToken).toBeUndefined();
  });

  it('scopes the answer to the subscriptions asked for', async () => {
    const r = await post({
      subscriptions: [s.subscriptions[0]],
      query: 'resources | project id, subscriptionId',
      options: { $top: 1000 },
    });
    const p = r.body as Page;
    expect(p.count).toBeGreaterThan(0);
    expect(p.data.every((x) => x.subscriptionId === s.subscriptions[0])).toBe(true);
  });

  it('refuses a query outside its KQL subset with an error body naming the problem', async () => {
    const r = await post({ query: 'resources | summarize count() by location' });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ error: { code: 'BadRequest', details: [{ code: 'InvalidQuery' }] } });
  });

  it('sends the user quota headers and refuses queries past the quota with 429', async () => {
    const statuses: number[] = [];
    const remaining: string[] = [];
    for (let i = 0; i <= QUOTA_PER_WINDOW; i++) {
      const r = await post({ query: 'resources | project id | limit 1' });
      statuses.push(r.status);
      remaining.push(String(r.headers['x-ms-user-quota-remaining']));
      expect(String(r.headers['x-ms-user-quota-resets-after'])).toMatch(/^\d\d:\d\d:\d\d$/);
    }
    expect(remaining.slice(0, 2)).toEqual([String(QUOTA_PER_WINDOW - 1), String(QUOTA_PER_WINDOW - 2)]);
    expect(statuses.at(-1)).toBe(429);
  });
});
