/**
 * Unattended Kubernetes upgrade ground truth: every run ended (Succeeded, Failed, Halted), a Succeeded run
 * left the cluster and its pools on the target, and AKS accepted no more PUTs for a cluster than its runs
 * claimed steps for (the simulator's PUT counts): nothing sent twice. A cluster due without a run is held
 * back, with a reason as the app's last row about it.
 */
import type { Deps } from '../deps';
import { isTerminalRun, type UpgradeRun } from '../upgrades/model';
import { TO_VERSION } from './chaosFleet';
import type { GroundTruth } from './groundTruth';
import type { ChaosReport } from './report';

async function allRuns(deps: Deps): Promise<UpgradeRun[]> {
  const out: UpgradeRun[] = [];
  let token: string | undefined;
  do {
    const page = await deps.state.upgradeRuns.list({}, { maxPageSize: 1000, continuationToken: token });
    out.push(...page.runs);
    token = page.continuationToken;
  } while (token);
  return out;
}

/** Steps that were handed an operation id (claimed) per target: '' for the control plane, else the pool. */
function claimedSteps(runs: UpgradeRun[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const r of runs)
    for (const s of r.steps) {
      if ((s.kind !== 'control-plane' && s.kind !== 'pool') || s.operationId === undefined) continue;
      const k = s.kind === 'pool' ? (s.pool ?? '').toLowerCase() : '';
      m.set(k, (m.get(k) ?? 0) + 1);
    }
  return m;
}

export async function checkUpgrades(
  deps: Deps,
  truth: GroundTruth,
  upgraded: Array<{ name: string }>,
  report: ChaosReport,
): Promise<UpgradeRun[]> {
  const t = report.upgrades;
  const runs = await allRuns(deps);
  report.upgradeRuns = runs.length;
  for (const { name } of upgraded) {
    t.due++;
    const mine = runs.filter((r) => r.cluster.name === name);
    const puts = truth.puts.get(name) ?? { cluster: 0, pools: {} };
    const claimed = claimedSteps(mine);
    const accepted = new Map<string, number>([['', puts.cluster], ...Object.entries(puts.pools)]);
    for (const [k, n] of accepted) {
      const need = claimed.get(k) ?? 0;
      report.upgradePutsAccepted += n;
      report.upgradePutsNeeded += Math.min(n, need);
      if (n > need) {
        t.doubled += n - need;
        report.problems.push(
          `${name}${k ? `/${k}` : ''}: AKS accepted ${n} PUT(s) for ${need} step(s) claimed by upgrade runs`,
        );
      }
    }
    const c = truth.clusters.get(name);
    const onTarget =
      c?.currentKubernetesVersion === TO_VERSION &&
      c.pools.every((p) => p.currentOrchestratorVersion === TO_VERSION);
    const open = mine.filter((r) => !isTerminalRun(r.state));
    const rows = truth.rowsOf(name).filter((r) => r.Action === 'upgrade');
    if (open.length > 0) {
      t.lost++;
      report.problems.push(`${name}: upgrade run ${open[0]!.id} never ended (${open[0]!.state})`);
    } else if (mine.some((r) => r.state === 'Succeeded')) {
      if (onTarget) t.carriedOut++;
      else {
        t.lost++;
        report.problems.push(`${name}: a run ended Succeeded but the cluster is not on ${TO_VERSION}`);
      }
    } else if (mine.some((r) => (r.state === 'Failed' || r.state === 'Halted') && r.reason)) {
      t.failedRecorded++;
      const r = mine.find((x) => x.state === 'Failed' || x.state === 'Halted')!;
      report.notes.push(`${name} run ${r.state}: ${r.reason ?? ''}`);
    } else if (mine.length === 0 && rows.at(-1)?.Outcome === 'Failed' && rows.at(-1)?.Reason)
      t.failedRecorded++; // refused by its pre-checks: no run, a Failed row saying why
    else if (mine.length === 0 && !onTarget && rows.at(-1)?.Outcome === 'Skipped') {
      t.held++;
      report.notes.push(`${name} held: ${String(rows.at(-1)?.Reason)}`);
    } else {
      t.lost++;
      report.problems.push(
        `${name}: due to ${TO_VERSION}: ${mine.length} run(s) (${mine.map((r) => r.state).join(', ')}), last row ${rows.at(-1)?.Outcome ?? 'none'}`,
      );
    }
  }
  return runs;
}
