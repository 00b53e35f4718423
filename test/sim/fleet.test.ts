import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { demoFleet } from '../../shared/sim/fleet/demoFleet';
import { generatedFleet } from '../../shared/sim/fleet/generate';
import { fleetJsonSchema, FleetFileError, parseFleet } from '../../shared/sim/fleet/schema';
import { startSimulator } from '../../shared/sim/server';
import { admin } from './simClient';

const SCHEMA_FILE = path.resolve(__dirname, '../../shared/sim/fleet/fleet.schema.json');

describe('the fleet file', () => {
  it('has a committed JSON Schema that matches the zod schema (UPDATE_FLEET_SCHEMA=1 rewrites it)', () => {
    const generated = `${JSON.stringify(fleetJsonSchema(), null, 2)}\n`;
    if (process.env.UPDATE_FLEET_SCHEMA === '1') writeFileSync(SCHEMA_FILE, generated);
    expect(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8'))).toEqual(JSON.parse(generated));
  });

  it('names the path and what was expected for every problem in a bad fleet file', () => {
    const bad = {
      subscriptions: [
        {
          id: 'not-a-guid',
          displayName: 'x',
          resourceGroups: [
            {
              name: 'rg',
              clusters: [
                {
                  name: 'c1',
                  location: 'mars',
                  kubernetesVersion: '1.33',
                  pools: [
                    {
                      name: 'Pool_1',
                      count: 1,
                      nodeImageVersion: 'AKSUbuntu-2204gen2containerd-202610.07.0',
                    },
                  ],
                  colour: 'blue',
                },
              ],
            },
          ],
        },
      ],
      locations: {},
    };
    let err: unknown;
    try {
      parseFleet(bad, 'bad.json');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FleetFileError);
    const message = (err as Error).message;
    expect(message).toContain('fleet file bad.json is invalid');
    expect(message).toContain('subscriptions[0].id: expected a GUID');
    expect(message).toContain(
      'subscriptions[0].resourceGroups[0].clusters[0].kubernetesVersion: expected a Kubernetes version major.minor.patch',
    );
    expect(message).toContain(
      'subscriptions[0].resourceGroups[0].clusters[0].pools[0].name: expected a pool name',
    );
    expect(message).toContain('Unrecognized key: "colour"');
  });

  it('reports cross-field problems: an unknown location, a pool newer than its control plane, no system pool', () => {
    const f = demoFleet();
    const c = f.subscriptions[0]!.resourceGroups![0]!.clusters![0]!;
    c.location = 'mars';
    c.pools[1]!.orchestratorVersion = '1.34.1';
    c.pools[0]!.mode = 'User';
    expect(() => parseFleet(f, 'demo')).toThrow(
      /clusters\[0\]\.location: "mars" is not described in "locations"[\s\S]*pools\[1\]\.orchestratorVersion: 1\.34\.1 is newer than the control plane 1\.33\.5[\s\S]*at least one pool with mode "System"/,
    );
  });

  it('ships a demo fleet with every situation the jobs handle', () => {
    const f = parseFleet(demoFleet(), 'demo');
    const clusters = f.subscriptions.flatMap((s) => s.resourceGroups.flatMap((g) => g.clusters));
    expect(f.subscriptions.length).toBeGreaterThanOrEqual(3);
    expect(clusters.length).toBeGreaterThanOrEqual(12);
    expect(new Set(clusters.map((c) => c.location)).size).toBeGreaterThanOrEqual(3);
    expect(new Set(clusters.map((c) => c.tags['day2-timezone']))).toEqual(
      new Set(['Europe/Paris', 'America/New_York', 'Asia/Kolkata', 'Pacific/Auckland', undefined]),
    );
    expect(clusters.some((c) => c.kubernetesVersion.startsWith('1.30.'))).toBe(true);
    expect(clusters.some((c) => c.tags.environment === 'prod')).toBe(true);
    expect(clusters.some((c) => c.tags['day2-protect'] === 'true')).toBe(true);
    expect(
      clusters.some(
        (c) =>
          c.maintenanceConfigurations.aksManagedNodeOSUpgradeSchedule && c.maintenanceConfigurations.default,
      ),
    ).toBe(true);
    expect(clusters.some((c) => c.podDisruptionBudgets.some((p) => p.blocksDrain))).toBe(true);
    expect(clusters.some((c) => c.powerState === 'Stopped')).toBe(true);
    expect(clusters.some((c) => c.nodeOSUpgradeChannel === 'NodeImage')).toBe(true);
    expect(clusters.some((c) => c.upgradeChannel === 'stable')).toBe(true);
    expect(clusters.some((c) => c.tags['day2-stop'] === '0 25 * * *')).toBe(true);
    expect(clusters.some((c) => c.pools.some((p) => p.osType === 'Windows'))).toBe(true);
    expect(new Set(clusters.map((c) => c.tags['day2-node-image']))).toEqual(
      new Set(['auto', 'notify', 'off', undefined]),
    );
  });

  it('generates large fleets deterministically for benchmarks', () => {
    const a = generatedFleet({ clusters: 500, subscriptions: 7, seed: 1 });
    const b = generatedFleet({ clusters: 500, subscriptions: 7, seed: 1 });
    expect(a).toEqual(b);
    const parsed = parseFleet(a, 'generated');
    expect(parsed.subscriptions).toHaveLength(7);
    expect(parsed.subscriptions.flatMap((s) => s.resourceGroups.flatMap((g) => g.clusters))).toHaveLength(
      500,
    );
  });

  it('starts from a fleet file path and serves a 5,000-cluster fleet', async () => {
    const sim = await startSimulator({
      fleet: generatedFleet({ clusters: 5000, subscriptions: 10 }),
      speed: 0,
    });
    try {
      const state = await admin<{ clusters: unknown[] }>(sim, 'GET', '/state');
      expect(state.clusters).toHaveLength(5000);
    } finally {
      await sim.close();
    }
    await expect(startSimulator({ fleet: '/nonexistent/fleet.json' })).rejects.toThrow(
      'cannot read fleet file /nonexistent/fleet.json',
    );
  });
});
