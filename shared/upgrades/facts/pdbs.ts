import type { Deps } from '../../deps';
import { Day2Error } from '../../errors';
import type { ClusterSnapshot } from '../../fleet/cluster';

/**
 * The one command the PDB pre-check runs on a cluster through AKS run-command. Fixed text: nothing a
 * user or a payload controls ever becomes part of it. Prints every PDB with its status as a kubectl
 * JSON list (run-command keeps at most 512 kB of output; a longer list fails to parse and the check warns).
 */
export const PDB_COMMAND = 'kubectl get pdb -A -o json';

export interface PdbStatus {
  namespace: string;
  name: string;
  /** `status.disruptionsAllowed`. */
  allowed: number;
  expectedPods?: number;
  currentHealthy?: number;
  desiredHealthy?: number;
  /** False when `status.observedGeneration` lags `metadata.generation` (the status may be stale). */
  current: boolean;
}

export interface PdbFacts {
  pdbs: PdbStatus[];
}

/** Run-command waits at most this long for its pod (AKS gives the pod 60 s to schedule). */
const RUN_COMMAND_TIMEOUT_MS = 180_000;

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/**
 * Parses the command's output: kubectl's JSON list, a compact JSON array of the same fields, or the
 * table of `kubectl get pdb -A`. Throws on anything else.
 */
export function parsePdbOutput(logs: string): PdbStatus[] {
  const text = logs.trim();
  if (text.startsWith('{')) {
    const list = JSON.parse(text) as { items?: Array<Record<string, Record<string, unknown> | undefined>> };
    return (list.items ?? []).map((item) => {
      const meta = item.metadata ?? {};
      const st = item.status ?? {};
      return {
        namespace: str(meta.namespace).slice(0, 100),
        name: str(meta.name).slice(0, 100),
        allowed: num(st.disruptionsAllowed) ?? 0,
        ...(num(st.expectedPods) !== undefined ? { expectedPods: num(st.expectedPods) } : {}),
        ...(num(st.currentHealthy) !== undefined ? { currentHealthy: num(st.currentHealthy) } : {}),
        ...(num(st.desiredHealthy) !== undefined ? { desiredHealthy: num(st.desiredHealthy) } : {}),
        current:
          num(st.observedGeneration) === undefined ||
          num(meta.generation) === undefined ||
          num(st.observedGeneration)! >= num(meta.generation)!,
      };
    });
  }
  if (text.startsWith('[')) {
    const rows = JSON.parse(text) as Array<Record<string, unknown>>;
    return rows.map((r) => ({
      namespace: str(r.ns).slice(0, 100),
      name: str(r.name).slice(0, 100),
      allowed: num(r.allowed) ?? 0,
      ...(num(r.exp) !== undefined ? { expectedPods: num(r.exp) } : {}),
      ...(num(r.cur) !== undefined ? { currentHealthy: num(r.cur) } : {}),
      ...(num(r.des) !== undefined ? { desiredHealthy: num(r.des) } : {}),
      current: num(r.og) === undefined || num(r.gen) === undefined || num(r.og)! >= num(r.gen)!,
    }));
  }
  if (text === '' || /^No resources found/.test(text)) return [];
  const [header, ...lines] = text.split('\n');
  const cols = (header ?? '').split(/\s{2,}/).map((c) => c.trim().toUpperCase());
  const at = (n: string) => cols.indexOf(n);
  if (at('NAMESPACE') < 0 || at('NAME') < 0 || at('ALLOWED DISRUPTIONS') < 0)
    throw new Error('unexpected run-command output: neither the JSON array nor the kubectl table');
  return lines
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const f = l.split(/\s{2,}/).map((c) => c.trim());
      return {
        namespace: (f[at('NAMESPACE')] ?? '').slice(0, 100),
        name: (f[at('NAME')] ?? '').slice(0, 100),
        allowed: Number(f[at('ALLOWED DISRUPTIONS')] ?? '0') || 0,
        current: true,
      };
    });
}

/** Lists the cluster's PodDisruptionBudgets and their status through AKS run-command (works for private clusters). */
export async function readPdbs(
  deps: Pick<Deps, 'azure'>,
  cluster: Pick<ClusterSnapshot, 'subscriptionId' | 'resourceGroup' | 'name'>,
): Promise<PdbFacts> {
  const poller = deps.azure
    .aks(cluster.subscriptionId)
    .managedClusters.runCommand(
      cluster.resourceGroup,
      cluster.name,
      { command: PDB_COMMAND },
      { updateIntervalInMs: 1_000 },
    );
  const result = await poller.pollUntilDone({ abortSignal: AbortSignal.timeout(RUN_COMMAND_TIMEOUT_MS) });
  if (result.provisioningState?.toLowerCase() !== 'succeeded' || (result.exitCode ?? 0) !== 0) {
    throw new Day2Error(
      'OperationFailed',
      `run-command ended ${result.provisioningState ?? 'unknown'} (exit code ${String(result.exitCode ?? '?')}): ${(result.reason ?? result.logs ?? '').slice(0, 300)}`,
      { cluster: cluster.name, operation: 'list PodDisruptionBudgets' },
    );
  }
  return { pdbs: parsePdbOutput(result.logs ?? '') };
}
