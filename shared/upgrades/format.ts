import type { PreCheckResult, UpgradePlan, UpgradeRun, UpgradeStep } from './model';

const pad = (s: string, n: number): string => (s.length >= n ? s : s + ' '.repeat(n - s.length));

/** Every pre-check with its evidence, leg by leg: what `upgrade --dry-run` prints. */
export function formatPreChecks(checks: readonly PreCheckResult[]): string {
  const lines: string[] = [];
  let leg: string | undefined;
  for (const c of checks) {
    if (c.toVersion !== leg) {
      leg = c.toVersion;
      lines.push(`Pre-checks for ${leg ?? '?'}:`);
    }
    const mark = c.status === 'fail' ? (c.overridden ? 'FAIL*' : 'FAIL') : c.status.toUpperCase();
    const note =
      c.status === 'fail'
        ? c.overridden
          ? ' (overridden by --force)'
          : c.overridable
            ? ' (--force overrides)'
            : ' (cannot be forced)'
        : '';
    lines.push(`  ${pad(mark, 5)}  ${pad(c.check, 15)}  ${c.summary}${note}  [${c.kind}]`);
    for (const e of c.evidence) lines.push(`  ${' '.repeat(5)}  ${' '.repeat(15)}    · ${e}`);
  }
  return lines.join('\n');
}

export function describeStep(s: UpgradeStep): string {
  switch (s.kind) {
    case 'pool': {
      const surge = s.upgradeSettings?.maxSurge ?? 'AKS default';
      const extra = [
        s.upgradeSettings?.drainTimeoutInMinutes !== undefined
          ? `drain timeout ${s.upgradeSettings.drainTimeoutInMinutes} min`
          : '',
        s.upgradeSettings?.nodeSoakDurationInMinutes !== undefined
          ? `soak ${s.upgradeSettings.nodeSoakDurationInMinutes} min`
          : '',
        s.upgradeSettings?.undrainableNodeBehavior
          ? `undrainable: ${s.upgradeSettings.undrainableNodeBehavior}`
          : '',
      ].filter(Boolean);
      return `pool ${s.pool ?? '?'} → ${s.toVersion ?? '?'} (max surge ${surge}, from ${s.surgeSource ?? '?'}${extra.length ? `; ${extra.join(', ')}` : ''})`;
    }
    case 'node-image':
      return `pool ${s.pool ?? '?'}: latest node image`;
    case 'control-plane':
      return `control plane → ${s.toVersion ?? '?'}`;
    case 'pre-checks':
      return `pre-checks for ${s.toVersion ?? '?'}`;
    case 'approval':
      return 'approval by a second person';
    case 'post-checks':
      return 'post-checks';
    case 'wake':
      return 'start the stopped cluster';
    case 'sleep':
      return 'stop the cluster again';
  }
}

export function formatSteps(steps: readonly UpgradeStep[]): string {
  return steps
    .map((s, i) => {
      const progress =
        s.progress && s.status === 'Running'
          ? ` — nodes ${s.progress.nodesDone}/${s.progress.nodesTotal}`
          : '';
      return `  ${String(i + 1).padStart(2)}. ${pad(s.status, 9)} ${describeStep(s)}${progress}${s.reason && s.status !== 'Pending' ? `: ${s.reason}` : ''}`;
    })
    .join('\n');
}

export function formatPlan(p: UpgradePlan): string {
  return [
    `${p.cluster.name}: ${p.fromVersion} → ${p.toVersion}${p.legs.length > 1 ? ` in ${p.legs.length} legs (${p.legs.join(' → ')})` : ''}${p.approvalRequired ? '; needs approval by a second person' : ''}`,
    formatPreChecks(p.prechecks),
    p.steps.length ? `Steps:\n${formatSteps(p.steps)}` : '',
    p.wouldStart
      ? 'The upgrade would start.'
      : `The upgrade would be refused: ${p.blocking.map((c) => c.check).join(', ')}${
          p.blocking.some((c) => c.overridable)
            ? ` (--force ${p.blocking
                .filter((c) => c.overridable)
                .map((c) => c.check)
                .join(
                  ',',
                )} overrides ${p.blocking.every((c) => c.overridable) ? 'them' : 'the overridable ones'})`
            : ''
        }.`,
  ]
    .filter(Boolean)
    .join('\n');
}

/** One line of `--wait` progress: state, step, pool, nodes done / total. */
export function progressLine(r: UpgradeRun): string {
  const p = r.progress;
  const step = r.steps.find((s) => s.status === 'Running') ?? r.steps.find((s) => s.status === 'Pending');
  const nodes = p?.nodesTotal !== undefined ? `, nodes ${p.nodesDone ?? 0}/${p.nodesTotal}` : '';
  return `${r.id} ${r.state}${step ? ` — step ${(p?.step ?? 0) || r.steps.indexOf(step) + 1}/${r.steps.length}: ${describeStep(step)}${nodes}` : ''}`;
}

export function formatRun(r: UpgradeRun): string {
  return [
    `${r.id} on ${r.cluster.name}: ${r.fromVersion} → ${r.toVersion}, ${r.state}${r.reason ? ` — ${r.reason}` : ''}`,
    `requested by ${r.requestedBy}${r.approvedBy ? `, approved by ${r.approvedBy}` : ''}${r.cancelledBy ? `, cancelled by ${r.cancelledBy}` : ''}`,
    formatSteps(r.steps),
  ].join('\n');
}

/** What `plan --job upgrades` prints: what the unattended policy would start now, and why not for the others. */
export function formatUnattendedPlan(
  decisions: ReadonlyArray<{
    cluster: { name: string };
    ring: number;
    kind: string;
    level: string;
    from: string;
    to?: string;
    reason: string;
  }>,
): string {
  if (decisions.length === 0) return 'No clusters.';
  const rows = [...decisions].sort((a, b) => a.ring - b.ring || a.cluster.name.localeCompare(b.cluster.name));
  const w = Math.max(7, ...rows.map((d) => d.cluster.name.length));
  const header = `${pad('CLUSTER', w)}  RING  LEVEL   VERSION             DECISION       REASON`;
  const lines = rows.map(
    (d) =>
      `${pad(d.cluster.name, w)}  ${pad(String(d.ring), 4)}  ${pad(d.level, 6)}  ${pad(d.to ? `${d.from} → ${d.to}` : d.from, 18)}  ${pad(d.kind, 13)}  ${d.reason}`,
  );
  const starts = rows.filter((d) => d.kind === 'upgrade').length;
  return [
    header,
    ...lines,
    '',
    `${starts} run(s) would start now (each through its pre-checks and maintenance window).`,
  ].join('\n');
}
