import type { ContainerServiceClient } from '@azure/arm-containerservice';
import type { SimHandle } from '../../shared/sim/server';
import { aksClient, call, sim, SUB } from './simClient';

const FAMILY = 'AKSUbuntu-2204gen2containerd';
const NEXT = `${FAMILY}-202611.01.0`;

/** Latest node image of every pool of the subscription, by `<region> <cluster>/<pool>`, through the SDK. */
async function latestByPool(
  client: ContainerServiceClient,
): Promise<Map<string, { family: string; latest?: string }>> {
  const out = new Map<string, { family: string; latest?: string }>();
  for await (const c of client.managedClusters.list()) {
    const rg = c.id!.split('/')[4]!;
    for (const p of c.agentPoolProfiles ?? []) {
      const profile = await client.agentPools.getUpgradeProfile(rg, c.name!, p.name);
      const image = p.nodeImageVersion ?? '';
      out.set(`${c.location} ${c.name}/${p.name}`, {
        family: image.slice(0, image.lastIndexOf('-')),
        latest: profile.latestNodeImageVersion,
      });
    }
  }
  return out;
}

describe('AKS releasing a node image (POST /admin/images)', () => {
  let s: SimHandle;
  beforeEach(async () => {
    s = await sim();
  });
  afterEach(async () => {
    await s.close();
  });

  it('makes the image the latest of its family in every region, and leaves the other families alone', async () => {
    const client = aksClient(s, SUB.dev);
    const before = await latestByPool(client);
    expect((await call(s, 'POST', '/admin/images', { image: NEXT })).status).toBe(200);
    const after = await latestByPool(client);
    expect([...before.values()].some((p) => p.family === FAMILY)).toBe(true);
    for (const [pool, p] of after) {
      if (p.family === FAMILY) expect({ pool, latest: p.latest }).toEqual({ pool, latest: NEXT });
      else expect({ pool, latest: p.latest }).toEqual({ pool, latest: before.get(pool)!.latest });
    }
  });

  it('releases in the regions named only', async () => {
    const client = aksClient(s, SUB.dev);
    expect((await call(s, 'POST', '/admin/images', { image: NEXT, locations: ['eastus'] })).status).toBe(200);
    const ubuntu = [...(await latestByPool(client))].filter(([, p]) => p.family === FAMILY);
    expect(ubuntu.some(([k]) => !k.startsWith('eastus '))).toBe(true);
    for (const [pool, p] of ubuntu)
      expect({ pool, isNext: p.latest === NEXT }).toEqual({ pool, isNext: pool.startsWith('eastus ') });
  });

  it('refuses an image with no family, an unknown region and an empty region list', async () => {
    expect((await call(s, 'POST', '/admin/images', { image: 'nofamily' })).status).toBe(400);
    expect((await call(s, 'POST', '/admin/images', { image: NEXT, locations: ['mars'] })).status).toBe(404);
    expect((await call(s, 'POST', '/admin/images', { image: NEXT, locations: [] })).status).toBe(400);
  });
});
