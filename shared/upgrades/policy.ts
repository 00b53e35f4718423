import type { Settings } from '../config/settings';
import type { ClusterSnapshot } from '../fleet/cluster';
import { parseClusterPolicy, type UpgradeMode } from '../policy/tags';
import type { VersionAssessment } from '../versions/support';
import { isTerminalRun, type UpgradeRun } from './model';

/** What the unattended policy decides for one cluster, as data (`kind`) with a sentence for people. */
export type UnattendedKind =
  | 'upgrade' // start a run to `to`
  | 'up-to-date'
  | 'report-only' // notify / untagged: only reported
  | 'off'
  | 'protected'
  | 'aks-channel' // AKS's auto-upgrade channel is set: left to AKS
  | 'run-in-flight'
  | 'ring-waits' // a lower ring has work left or is soaking
  | 'ring-halted' // a lower ring failed
  | 'no-target'
  | 'tag-invalid';

export interface UnattendedDecision {
  cluster: ClusterSnapshot;
  ring: number;
  kind: UnattendedKind;
  /** The effective level: the tag, or DAY2_UPGRADE_UNSUPPORTED for a cluster on an unsupported version. */
  level: UpgradeMode;
  from: string;
  to?: string;
  reason: string;
}

export interface UnattendedInput {
  now: Date;
  assessments: VersionAssessment[];
  clusters: Map<string, ClusterSnapshot>;
  /** Recent unattended runs (any state), newest first or in any order. */
  runs: UpgradeRun[];
  settings: Pick<Settings, 'upgradeUnsupported' | 'ringSoakHours' | 'defaultTimezone'>;
}

const LEVEL: Record<UpgradeMode, number> = { off: -1, notify: 0, patch: 1, minor: 2 };

function targetFor(level: UpgradeMode, a: VersionAssessment): string | undefined {
  if (level === 'minor' && (a.status === 'ending' || a.status === 'unsupported') && a.path[0])
    return a.path[0];
  if (level === 'patch' || level === 'minor') {
    if (a.latestPatchOfMinor && a.latestPatchOfMinor !== a.version) return a.latestPatchOfMinor;
    if (a.status === 'unsupported' && level === 'minor' && a.path[0]) return a.path[0];
  }
  return undefined;
}

/**
 * The unattended Kubernetes upgrade policy (pure). Clusters tagged `day2-upgrade=patch` go to the latest
 * patch of their minor; `minor` also to the next minor once theirs is `ending` or unsupported; `notify`
 * and untagged clusters are only reported, unless DAY2_UPGRADE_UNSUPPORTED (`patch` | `minor`) forces
 * clusters on an unsupported version forward. Ring by ring: a ring starts only when every lower ring has
 * nothing left to do and its last run ended DAY2_RING_SOAK_HOURS ago; a lower ring's failed run halts the
 * later rings.
 */
export function planUnattendedUpgrades(input: UnattendedInput): UnattendedDecision[] {
  const soakMs = input.settings.ringSoakHours * 3_600_000;
  const latestRun = new Map<string, UpgradeRun>();
  for (const r of input.runs) {
    const k = r.cluster.id.toLowerCase();
    const cur = latestRun.get(k);
    if (!cur || cur.createdAt < r.createdAt) latestRun.set(k, r);
  }
  const first: UnattendedDecision[] = [];
  for (const a of input.assessments) {
    const cluster = input.clusters.get(a.cluster.id.toLowerCase());
    if (!cluster) continue;
    const policy = parseClusterPolicy(cluster.tags, { defaultTimezone: input.settings.defaultTimezone });
    const base = { cluster, ring: policy.ring, from: a.version };
    const tagError = policy.errors.find((e) => e.tag === 'day2-upgrade' || e.tag === 'day2-ring');
    let level = policy.upgrade;
    const forced =
      a.status === 'unsupported' &&
      level === 'notify' &&
      LEVEL[input.settings.upgradeUnsupported] > LEVEL[level];
    if (forced) level = input.settings.upgradeUnsupported;
    const d = (kind: UnattendedKind, reason: string, to?: string): UnattendedDecision => ({
      ...base,
      level,
      kind,
      reason,
      ...(to ? { to } : {}),
    });
    if (tagError) {
      first.push(
        d(
          'tag-invalid',
          `tag ${tagError.tag}="${tagError.value}" does not parse (${tagError.reason}): not upgraded automatically`,
        ),
      );
      continue;
    }
    if (level === 'off') {
      first.push(d('off', 'day2-upgrade=off'));
      continue;
    }
    const target = targetFor(level === 'notify' ? 'minor' : level, a);
    if (!target) {
      first.push(d('up-to-date', `${a.version}: ${a.reason}`));
      continue;
    }
    if (level === 'notify') {
      first.push(
        d(
          'report-only',
          `${a.version} → ${target} available; day2-upgrade is notify (or not set): only reported`,
          target,
        ),
      );
      continue;
    }
    if (policy.protect) {
      first.push(d('protected', `day2-protect=true: ${a.version} → ${target} only reported`, target));
      continue;
    }
    const channel = (cluster.upgradeChannel ?? 'none').toLowerCase();
    if (channel !== 'none' && channel !== 'node-image') {
      first.push(d('aks-channel', `AKS auto-upgrade channel "${channel}" is set: left to AKS`, target));
      continue;
    }
    const last = latestRun.get(cluster.id.toLowerCase());
    if (last && !isTerminalRun(last.state)) {
      first.push(d('run-in-flight', `run ${last.id} is ${last.state}`, target));
      continue;
    }
    if (
      last?.request.unattended &&
      (last.state === 'Failed' || last.state === 'Halted') &&
      last.toVersion === target
    ) {
      first.push(
        d(
          'ring-halted',
          `the last unattended run ${last.id} to ${target} ended ${last.state}${last.reason ? ` (${last.reason})` : ''}; not retried unattended: fix it and upgrade by hand`,
          target,
        ),
      );
      continue;
    }
    first.push(
      d(
        'upgrade',
        `${a.version} → ${target} (day2-upgrade=${forced ? `notify, DAY2_UPGRADE_UNSUPPORTED=${level}: the version is unsupported` : level})`,
        target,
      ),
    );
  }
  return gateRings(first, latestRun, input.now, soakMs);
}

/** Holds back rings above one that has work left, is soaking, or failed. */
function gateRings(
  decisions: UnattendedDecision[],
  latestRun: Map<string, UpgradeRun>,
  now: Date,
  soakMs: number,
): UnattendedDecision[] {
  const rings = [...new Set(decisions.map((d) => d.ring))].sort((a, b) => a - b);
  let hold: { kind: 'ring-waits' | 'ring-halted'; reason: string } | undefined;
  const out: UnattendedDecision[] = [];
  for (const ring of rings) {
    const inRing = decisions.filter((d) => d.ring === ring);
    for (const d of inRing) {
      if (hold && (d.kind === 'upgrade' || d.kind === 'run-in-flight'))
        out.push({
          ...d,
          kind: d.kind === 'upgrade' ? hold.kind : d.kind,
          reason: d.kind === 'upgrade' ? hold.reason : d.reason,
        });
      else out.push(d);
    }
    if (hold?.kind === 'ring-halted') continue;
    // What this ring leaves for the rings above it.
    const runs = inRing
      .map((d) => latestRun.get(d.cluster.id.toLowerCase()))
      .filter((r): r is UpgradeRun => r !== undefined && r.request.unattended === true);
    const failed = runs.find((r) => r.state === 'Failed' || r.state === 'Halted');
    if (failed) {
      hold = {
        kind: 'ring-halted',
        reason: `ring ${ring} failed: run ${failed.id} on ${failed.cluster.name} ended ${failed.state}${failed.reason ? ` (${failed.reason})` : ''}; later rings are halted until it is fixed`,
      };
      continue;
    }
    const pending = inRing.filter((d) => d.kind === 'upgrade' || d.kind === 'run-in-flight');
    if (pending.length > 0) {
      hold ??= {
        kind: 'ring-waits',
        reason: `ring ${ring} goes first (${pending.length} cluster(s) to upgrade: ${pending
          .slice(0, 3)
          .map((d) => d.cluster.name)
          .join(', ')})`,
      };
      continue;
    }
    const lastEnd = runs
      .filter((r) => r.state === 'Succeeded' && r.finishedAt)
      .map((r) => new Date(r.finishedAt!).getTime())
      .sort((a, b) => b - a)[0];
    if (lastEnd !== undefined && now.getTime() - lastEnd < soakMs)
      hold ??= {
        kind: 'ring-waits',
        reason: `ring ${ring} soaks until ${new Date(lastEnd + soakMs).toISOString()} (DAY2_RING_SOAK_HOURS)`,
      };
  }
  return out;
}
