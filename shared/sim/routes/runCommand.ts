/** Run command (`POST CL/runCommand`, 202 + Location) and command results; outputs come from the fleet file. */
import { randomBytes } from 'node:crypto';
import { badRequest, notFound, stateConflict } from '../errors';
import type { CommandRecord, SimContext } from '../context';
import { isRecord, route, type Route } from '../http';
import { clusterKey, type ClusterState, type RunCommandOutput } from '../state';
import { apiVersion, CL, requireCluster } from './common';
import { KUBECTL_COMMANDS, kubectlJson } from '../kubectl';

const PDB_QUERY = /^\s*kubectl\s+get\s+(pdb|poddisruptionbudgets?)\b.*(\s-A\b|--all-namespaces)/;

function pad(cols: string[][]): string {
  const widths = cols[0]!.map((_, i) => Math.max(...cols.map((r) => (r[i] ?? '').length)));
  return (
    cols
      .map((r) =>
        r
          .map((v, i) => (i === r.length - 1 ? v : v.padEnd(widths[i]! + 3)))
          .join('')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}

/** What `kubectl get pdb -A` prints for the cluster's configured PDBs. */
export function pdbTable(c: ClusterState): string {
  if (c.pdbs.length === 0) return 'No resources found\n';
  const rows = [['NAMESPACE', 'NAME', 'MIN AVAILABLE', 'MAX UNAVAILABLE', 'ALLOWED DISRUPTIONS', 'AGE']];
  for (const p of c.pdbs) {
    rows.push([
      p.namespace,
      p.name,
      p.minAvailable === undefined ? 'N/A' : String(p.minAvailable),
      p.maxUnavailable === undefined ? 'N/A' : String(p.maxUnavailable),
      p.blocksDrain ? '0' : '1',
      '41d',
    ]);
  }
  return pad(rows);
}

export function commandOutput(c: ClusterState, command: string): RunCommandOutput {
  const configured = c.runCommands[command] ?? c.runCommands[command.trim()];
  if (configured) return { ...configured };
  const json = kubectlJson(c, command);
  if (json !== undefined) return { exitCode: 0, logs: json, provisioningState: 'succeeded' };
  if (PDB_QUERY.test(command)) return { exitCode: 0, logs: pdbTable(c), provisioningState: 'succeeded' };
  // The simulator cannot run arbitrary commands: it says so, with kubectl's exit code for an error.
  return {
    exitCode: 1,
    logs: `error: the simulator has no output for command "${command.trim().slice(0, 80)}": it answers ${Object.values(KUBECTL_COMMANDS).join(', ')}, "kubectl get pdb -A" and the commands its fleet file configures\n`,
    provisioningState: 'succeeded',
  };
}

function resultBody(r: CommandRecord): Record<string, unknown> {
  return {
    id: r.id,
    properties: {
      provisioningState: r.output.provisioningState,
      exitCode: r.output.exitCode,
      startedAt: new Date(r.startedMs).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      finishedAt: new Date(r.readyMs).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      logs: r.output.logs,
      ...(r.output.reason ? { reason: r.output.reason } : {}),
    },
  };
}

export function runCommandRoutes(ctx: SimContext): Route[] {
  return [
    route('POST', `${CL}/runCommand`, 'ManagedClusters_RunCommand', (req) => {
      const c = requireCluster(ctx, req);
      if (!isRecord(req.body) || typeof req.body.command !== 'string' || req.body.command.trim() === '') {
        throw badRequest(
          'InvalidParameter',
          'The value of parameter command is invalid: a command is required.',
        );
      }
      if (c.powerState === 'Stopped')
        throw stateConflict(c.provisioningState, c.powerState, 'running command');
      const now = ctx.clock.nowMs();
      const rec: CommandRecord = {
        id: randomBytes(16).toString('hex'),
        clusterKey: clusterKey(c.subscriptionId, c.resourceGroup, c.name),
        command: req.body.command,
        startedMs: now,
        readyMs: now + ctx.state.timings.runCommandSeconds * 1000,
        output: commandOutput(c, req.body.command),
      };
      ctx.commands.set(rec.id, rec);
      const location = `${req.origin}${req.path.replace(/\/runCommand\/?$/i, '')}/commandResults/${rec.id}?api-version=${apiVersion(req)}`;
      return { status: 202, headers: { location } };
    }),
    route('GET', `${CL}/commandResults/{commandId}`, 'ManagedClusters_GetCommandResult', (req) => {
      const c = requireCluster(ctx, req);
      const rec = ctx.commands.get(req.params.commandId ?? '');
      if (!rec || rec.clusterKey !== clusterKey(c.subscriptionId, c.resourceGroup, c.name)) {
        throw notFound(`Command result '${req.params.commandId}' not found for managed cluster '${c.name}'.`);
      }
      if (ctx.clock.nowMs() < rec.readyMs)
        return {
          status: 202,
          headers: { location: `${req.origin}${req.path}?api-version=${apiVersion(req)}` },
        };
      return { status: 200, body: resultBody(rec) };
    }),
  ];
}
