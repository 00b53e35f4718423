/**
 * What kubectl prints, in a simulated cluster, for the fixed read-only commands a PodDisruptionBudget
 * pre-check sends through run command (docs/simulator.md): PDBs, the pods they select and the nodes
 * of each pool, as `-o json` lists built from the fleet file's `podDisruptionBudgets`.
 */
import { createHash } from 'node:crypto';
import type { ClusterState, PdbState } from './state';

/** The command texts answered from the fleet file (whitespace-normalised). */
export const KUBECTL_COMMANDS = {
  pdbs: 'kubectl get pdb -A -o json',
  pods: 'kubectl get pods -A -o json',
  nodes: 'kubectl get nodes -o json',
} as const;

const CREATED = '2025-10-17T09:12:44Z';

function uid(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function list(items: unknown[]): string {
  return `${JSON.stringify({ apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } }, null, 4)}\n`;
}

function appOf(p: PdbState): string {
  return p.name.replace(/-pdb$/, '');
}

/** Healthy pods a PDB expects: its minAvailable when a number, else 2; one more when it allows a disruption. */
function podCount(p: PdbState): { expected: number; desired: number } {
  const desired = typeof p.minAvailable === 'number' ? Math.max(1, p.minAvailable) : 2;
  return { expected: p.blocksDrain ? desired : desired + 1, desired };
}

export function nodeName(c: ClusterState, pool: string, index: number): string {
  const id = createHash('sha256').update(`${c.name}/${pool}`).digest('hex').slice(0, 8);
  return `aks-${pool}-${parseInt(id, 16) % 100_000_000}-vmss${String(index).padStart(6, '0')}`;
}

function poolsOf(c: ClusterState, p: PdbState): string[] {
  if (p.pools?.length) return p.pools.filter((n) => c.pools.some((x) => x.name === n));
  const user = c.pools.filter((x) => x.mode === 'User' && x.count > 0).map((x) => x.name);
  return user.length ? user : c.pools.filter((x) => x.count > 0).map((x) => x.name);
}

export function pdbListJson(c: ClusterState): string {
  return list(
    c.pdbs.map((p) => {
      const { expected, desired } = podCount(p);
      const allowed = p.blocksDrain ? 0 : expected - desired;
      return {
        apiVersion: 'policy/v1',
        kind: 'PodDisruptionBudget',
        metadata: {
          creationTimestamp: CREATED,
          generation: 1,
          name: p.name,
          namespace: p.namespace,
          resourceVersion: '41873',
          uid: uid(`${c.name}/pdb/${p.namespace}/${p.name}`),
        },
        spec: {
          ...(p.minAvailable !== undefined ? { minAvailable: p.minAvailable } : {}),
          ...(p.maxUnavailable !== undefined ? { maxUnavailable: p.maxUnavailable } : {}),
          selector: { matchLabels: { app: appOf(p) } },
        },
        status: {
          conditions: [
            {
              lastTransitionTime: CREATED,
              message: '',
              observedGeneration: 1,
              reason: allowed > 0 ? 'SufficientPods' : 'InsufficientPods',
              status: allowed > 0 ? 'True' : 'False',
              type: 'DisruptionAllowed',
            },
          ],
          currentHealthy: expected,
          desiredHealthy: desired,
          disruptionsAllowed: allowed,
          expectedPods: expected,
          observedGeneration: 1,
        },
      };
    }),
  );
}

export function podListJson(c: ClusterState): string {
  const items: unknown[] = [];
  for (const p of c.pdbs) {
    const pools = poolsOf(c, p);
    if (pools.length === 0) continue;
    const app = appOf(p);
    const { expected } = podCount(p);
    for (let i = 0; i < expected; i++) {
      const poolName = pools[i % pools.length]!;
      const pool = c.pools.find((x) => x.name === poolName)!;
      const name = i === 0 && p.pod ? p.pod : `${app}-7d9c5b6f4-${uid(`${app}/${i}`).slice(0, 5)}`;
      items.push({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          creationTimestamp: CREATED,
          labels: { app },
          name,
          namespace: p.namespace,
          ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `${app}-7d9c5b6f4` }],
          uid: uid(`${c.name}/pod/${p.namespace}/${name}`),
        },
        spec: { nodeName: nodeName(c, poolName, Math.floor(i / pools.length) % Math.max(1, pool.count)) },
        status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
      });
    }
  }
  return list(items);
}

export function nodeListJson(c: ClusterState): string {
  const items: unknown[] = [];
  for (const p of c.pools) {
    for (let i = 0; i < p.count; i++) {
      const name = nodeName(c, p.name, i);
      items.push({
        apiVersion: 'v1',
        kind: 'Node',
        metadata: {
          creationTimestamp: CREATED,
          labels: {
            'kubernetes.azure.com/agentpool': p.name,
            'kubernetes.azure.com/mode': p.mode.toLowerCase(),
            'kubernetes.io/hostname': name,
            'kubernetes.io/os': p.osType.toLowerCase(),
            'node.kubernetes.io/instance-type': p.vmSize,
          },
          name,
          uid: uid(`${c.name}/node/${name}`),
        },
        spec: {},
        status: {
          nodeInfo: { kubeletVersion: `v${p.currentOrchestratorVersion}` },
          conditions: [{ type: 'Ready', status: p.powerState === 'Running' ? 'True' : 'Unknown' }],
        },
      });
    }
  }
  return list(items);
}

/** kubectl's answer to one of KUBECTL_COMMANDS, or undefined for any other text. */
export function kubectlJson(c: ClusterState, command: string): string | undefined {
  const text = command.trim().replace(/\s+/g, ' ');
  if (text === KUBECTL_COMMANDS.pdbs) return pdbListJson(c);
  if (text === KUBECTL_COMMANDS.pods) return podListJson(c);
  if (text === KUBECTL_COMMANDS.nodes) return nodeListJson(c);
  return undefined;
}
