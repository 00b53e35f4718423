import type { SimHandle } from '../../shared/sim/server';
import { aksClient, sim } from './simClient';
import { UP_RG, UP_SUB, upgradeFleet } from './upgradeFleet';

interface K8sList<T> {
  kind: string;
  items: T[];
}
interface Pdb {
  metadata: { namespace: string; name: string; generation: number };
  spec: { minAvailable?: number; selector: { matchLabels: Record<string, string> } };
  status: {
    disruptionsAllowed: number;
    expectedPods: number;
    currentHealthy: number;
    desiredHealthy: number;
    observedGeneration: number;
  };
}
interface Pod {
  metadata: { namespace: string; name: string; labels: Record<string, string> };
  spec: { nodeName: string };
}
interface Node {
  metadata: { name: string; labels: Record<string, string> };
}

describe('simulated run command for the PodDisruptionBudget pre-check', () => {
  let s: SimHandle;
  beforeAll(async () => {
    s = await sim({ speed: 0, fleet: upgradeFleet() });
  });
  afterAll(async () => {
    await s.close();
  });

  async function run(command: string): Promise<{ exitCode?: number; logs?: string }> {
    const poller = aksClient(s, UP_SUB).managedClusters.runCommand(
      UP_RG,
      'aks-pdb',
      { command },
      { updateIntervalInMs: 10 },
    );
    await poller.submitted();
    s.clock.advance(10_000);
    return await poller;
  }

  it('prints the PDBs as `kubectl get pdb -A -o json` does, with allowed disruptions from the fleet file', async () => {
    const r = await run('kubectl get pdb -A -o json');
    expect(r.exitCode).toBe(0);
    const pdbs = JSON.parse(r.logs!) as K8sList<Pdb>;
    expect(pdbs.kind).toBe('List');
    expect(
      pdbs.items.map((p) => [
        p.metadata.namespace,
        p.metadata.name,
        p.status.disruptionsAllowed,
        p.status.expectedPods,
      ]),
    ).toEqual([
      ['shop', 'cart-pdb', 0, 2],
      ['kube-system', 'coredns-pdb', 1, 2],
    ]);
    expect(pdbs.items[0]).toMatchObject({
      spec: { minAvailable: 2, selector: { matchLabels: { app: 'cart' } } },
      status: { currentHealthy: 2, desiredHealthy: 2, observedGeneration: 1 },
      metadata: { generation: 1 },
    });
  });

  it('places the pods each PDB selects on the nodes of its pools, and labels nodes with their pool', async () => {
    const pods = JSON.parse((await run('kubectl  get pods -A -o json')).logs!) as K8sList<Pod>;
    const nodes = JSON.parse((await run('kubectl get nodes -o json')).logs!) as K8sList<Node>;
    const poolOf = new Map(
      nodes.items.map((n) => [n.metadata.name, n.metadata.labels['kubernetes.azure.com/agentpool']]),
    );
    expect(nodes.items).toHaveLength(5);
    const cart = pods.items.filter((p) => p.metadata.labels.app === 'cart');
    expect(cart.map((p) => p.metadata.name)).toContain('cart-5c7d9f8b6-k2m4p');
    expect(cart.map((p) => poolOf.get(p.spec.nodeName))).toEqual(['apps', 'apps']);
    const dns = pods.items.filter((p) => p.metadata.labels.app === 'coredns');
    expect(dns.map((p) => poolOf.get(p.spec.nodeName))).toEqual(['system', 'system']);
  });

  it('answers any other command with an error instead of pretending to run it', async () => {
    const r = await run('rm -rf /');
    expect(r.exitCode).toBe(1);
    expect(r.logs).toContain('the simulator has no output for command "rm -rf /"');
  });
});
