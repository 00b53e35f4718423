import type { SimHandle } from '../../shared/sim/server';
import type { FleetFile } from '../../shared/sim/fleet/schema';
import { admin, call, sim } from './simClient';

const ARG = '/providers/Microsoft.ResourceGraph/resources?api-version=2024-04-01';
const SUB_A = '0a0a0a0a-0000-4000-8000-00000000000a';
const SUB_B = '0b0b0b0b-0000-4000-8000-00000000000b';
const IMAGE = 'AKSUbuntu-2204gen2containerd-202602.04.0';
const CLUSTERS =
  "resources | where type =~ 'microsoft.containerservice/managedclusters' | project id, name, subscriptionId, properties";
const SUBSCRIPTIONS =
  "resourcecontainers | where type =~ 'microsoft.resources/subscriptions' | project id, subscriptionId";

function fleet(opts: { lagSeconds?: number; bReadable?: boolean } = {}): FleetFile {
  const sub = (id: string, name: string, readable = true) => ({
    id,
    displayName: name,
    readable,
    resourceGroups: [
      {
        name: 'rg-lag',
        clusters: [
          {
            name,
            location: 'westeurope',
            kubernetesVersion: '1.33.5',
            powerState: 'Running' as const,
            pools: [{ name: 'system', count: 1, mode: 'System' as const, nodeImageVersion: IMAGE }],
          },
        ],
      },
    ],
  });
  return {
    subscriptions: [sub(SUB_A, 'aks-lag-a'), sub(SUB_B, 'aks-lag-b', opts.bReadable ?? true)],
    locations: {
      westeurope: {
        kubernetesVersions: [{ version: '1.33', patches: ['1.33.5'], isDefault: true }],
        latestNodeImages: [IMAGE],
      },
    },
    ...(opts.lagSeconds !== undefined ? { resourceGraph: { lagSeconds: opts.lagSeconds } } : {}),
  };
}

interface Row {
  id: string;
  name: string;
  subscriptionId: string;
  properties: { provisioningState: string; powerState: { code: string } };
}

const clusterPath = (sub: string, name: string) =>
  `/subscriptions/${sub}/resourceGroups/rg-lag/providers/Microsoft.ContainerService/managedClusters/${name}`;

describe('the simulated Resource Graph index follows ARM after a lag', () => {
  let s: SimHandle;
  afterEach(async () => s?.close());

  const query = async (q: string, subscriptions = [SUB_A, SUB_B]) => {
    const r = await call(
      s,
      'POST',
      ARG,
      { query: q, subscriptions, options: { $top: 1000 } },
      { auth: true },
    );
    expect(r.status).toBe(200);
    return (r.body as { data: Row[] }).data;
  };
  const stateOf = async (name: string): Promise<string> => {
    const row = (await query(CLUSTERS)).find((r) => r.name === name);
    return row ? `${row.properties.powerState.code}/${row.properties.provisioningState}` : 'absent';
  };

  it('answers each cluster as ARM showed it lag seconds ago on the virtual clock', async () => {
    s = await sim({ speed: 0, startTime: '2026-03-02T10:00:00Z', fleet: fleet() });
    expect(await admin(s, 'GET', '/resource-graph')).toEqual({ lagSeconds: 5 });
    await admin(s, 'POST', '/resource-graph', { lagSeconds: 60 });
    const stop = await call(
      s,
      'POST',
      `${clusterPath(SUB_A, 'aks-lag-a')}/stop?api-version=2025-10-01`,
      undefined,
      {
        auth: true,
      },
    );
    expect(stop.status).toBe(202);
    expect(await stateOf('aks-lag-a')).toBe('Running/Succeeded');
    s.clock.advance(59_000);
    expect(await stateOf('aks-lag-a')).toBe('Running/Succeeded');
    s.clock.advance(1_000);
    expect(await stateOf('aks-lag-a')).toBe('Running/Stopping');
    // The stop ends at 120 s (ARM shows Stopped from then); the index shows it 60 s later.
    s.clock.advance(119_000);
    expect(await stateOf('aks-lag-a')).toBe('Running/Stopping');
    s.clock.advance(1_000);
    expect(await stateOf('aks-lag-a')).toBe('Stopped/Succeeded');
    expect(await stateOf('aks-lag-b')).toBe('Running/Succeeded');
  });

  it('is ARM itself with a lag of 0 (fleet resourceGraph.lagSeconds)', async () => {
    s = await sim({ speed: 0, fleet: fleet({ lagSeconds: 0 }) });
    await call(s, 'POST', `${clusterPath(SUB_A, 'aks-lag-a')}/stop?api-version=2025-10-01`, undefined, {
      auth: true,
    });
    expect(await stateOf('aks-lag-a')).toBe('Running/Stopping');
  });

  it('shows a tag change after the lag, and the row before it until then', async () => {
    s = await sim({ speed: 0, fleet: fleet({ lagSeconds: 30 }) });
    const patch = await call(
      s,
      'PATCH',
      `${clusterPath(SUB_A, 'aks-lag-a')}?api-version=2025-10-01`,
      { tags: { 'day2-stop': '0 19 * * *' } },
      { auth: true },
    );
    expect(patch.status).toBe(200);
    const tagsOf = async () =>
      (await query('resources | project id, name, tags')).find((r) => r.name === 'aks-lag-a') as unknown as {
        tags: Record<string, string>;
      };
    expect((await tagsOf()).tags).toEqual({});
    s.clock.advance(30_000);
    expect((await tagsOf()).tags).toEqual({ 'day2-stop': '0 19 * * *' });
  });
});

describe('a subscription the identity cannot read, in the simulator', () => {
  let s: SimHandle;
  afterEach(async () => s?.close());

  it('is left out of the subscriptions list and of Resource Graph, and ARM refuses its calls with 403', async () => {
    s = await sim({ speed: 0, fleet: fleet({ bReadable: false }) });
    const subs = await call(s, 'GET', '/subscriptions?api-version=2022-12-01', undefined, { auth: true });
    expect(
      (subs.body as { value: Array<{ subscriptionId: string }> }).value.map((x) => x.subscriptionId),
    ).toEqual([SUB_A]);
    const list = await call(
      s,
      'GET',
      `/subscriptions/${SUB_B}/providers/Microsoft.ContainerService/managedClusters?api-version=2025-10-01`,
      undefined,
      { auth: true },
    );
    expect(list.status).toBe(403);
    expect(list.body).toMatchObject({
      error: {
        code: 'AuthorizationFailed',
        message: expect.stringContaining(
          `'Microsoft.ContainerService/managedClusters/read' over scope '/subscriptions/${SUB_B}'`,
        ) as unknown,
      },
    });
    const r = await call(s, 'POST', ARG, { query: CLUSTERS, subscriptions: [SUB_A, SUB_B] }, { auth: true });
    expect(r.status).toBe(200);
    expect((r.body as { data: Row[] }).data.map((x) => x.name)).toEqual(['aks-lag-a']);
  });

  it('answers the resourcecontainers table with the readable subscriptions of the scope only', async () => {
    s = await sim({ speed: 0, fleet: fleet() });
    const seen = async () => {
      const r = await call(
        s,
        'POST',
        ARG,
        { query: SUBSCRIPTIONS, subscriptions: [SUB_A, SUB_B] },
        { auth: true },
      );
      expect(r.status).toBe(200);
      return (r.body as { data: Array<{ id: string; subscriptionId: string }> }).data;
    };
    expect(await seen()).toEqual([
      { id: `/subscriptions/${SUB_A}`, subscriptionId: SUB_A },
      { id: `/subscriptions/${SUB_B}`, subscriptionId: SUB_B },
    ]);
    await admin(s, 'POST', `/subscriptions/${SUB_B}/access`, { readable: false });
    expect((await seen()).map((x) => x.subscriptionId)).toEqual([SUB_A]);
    await admin(s, 'POST', `/subscriptions/${SUB_B}/access`, { readable: true });
    expect((await seen()).map((x) => x.subscriptionId)).toEqual([SUB_A, SUB_B]);
  });
});
