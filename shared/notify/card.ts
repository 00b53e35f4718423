/**
 * The Teams card of a job run (docs/records.md): ONE Adaptive Card 1.4 per run, as the payload a Teams
 * Workflows webhook takes. Failures first and in red, then findings, the changes as a table, the
 * skipped ones with their reasons; every cluster links to the Azure portal. The card stays under
 * MAX_CARD_BYTES for any fleet size: beyond that, sections are cut and say how many were left out.
 */
import { parseClusterId } from '../fleet/cluster';
import type { JobName, OutcomeRecord, RunRecord } from '../records/outcome';
import { LOG_TABLE } from './logRows';

export type CardElement = Record<string, unknown>;

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: string;
  version: '1.4';
  body: CardElement[];
  msteams?: { width: 'Full' };
  [key: string]: unknown;
}

/** The body a Teams Workflows webhook ("When a Teams webhook request is received") takes. */
export interface TeamsMessage {
  type: 'message';
  attachments: Array<{
    contentType: 'application/vnd.microsoft.card.adaptive';
    contentUrl?: null;
    content: AdaptiveCard;
  }>;
}

/** Teams takes about 28 KB a message; we stay below with room to spare. */
export const MAX_CARD_BYTES = 27_500;
const MAX_REASON_CHARS = 240;
/** Failures get more room: AKS's messages (drain, PDB) carry the cause near their end. */
const MAX_FAILURE_CHARS = 400;

const JOB_TITLES: Record<JobName, string> = {
  'power-schedule': 'Power schedule',
  'node-image': 'Node image upgrades',
  'version-support': 'Version support',
  upgrade: 'Upgrade',
  sweep: 'Upgrade sweeper',
  events: 'AKS events',
  chatops: 'ChatOps',
};

export function portalUrl(clusterId: string): string {
  return `https://portal.azure.com/#@/resource${clusterId}/overview`;
}

/**
 * A finding is something worth telling even though nothing changed: a tag that does not parse
 * (`action: 'tag-check'`) or any outcome whose job marks it `details.finding = true`.
 */
export function isFinding(o: OutcomeRecord): boolean {
  return o.action === 'tag-check' || o.details?.finding === true;
}

/**
 * Post a card for this run? Not when it changed nothing and found nothing (every outcome Skipped, none
 * a finding), unless the run is a scheduled report (`alwaysReport`, version support).
 */
export function shouldPost(run: RunRecord): boolean {
  if (run.alwaysReport) return true;
  return run.outcomes.some((o) => o.outcome !== 'Skipped' || isFinding(o));
}

interface Sections {
  failed: OutcomeRecord[];
  findings: OutcomeRecord[];
  changes: OutcomeRecord[];
  skipped: OutcomeRecord[];
}

function sections(run: RunRecord): Sections {
  const byCluster = (a: OutcomeRecord, b: OutcomeRecord): number =>
    a.cluster.name.localeCompare(b.cluster.name) || (a.nodePool ?? '').localeCompare(b.nodePool ?? '');
  const s: Sections = { failed: [], findings: [], changes: [], skipped: [] };
  for (const o of run.outcomes) {
    if (o.outcome === 'Failed') s.failed.push(o);
    else if (isFinding(o)) s.findings.push(o);
    else if (o.outcome === 'Skipped') s.skipped.push(o);
    else s.changes.push(o);
  }
  s.failed.sort(byCluster);
  // Findings keep the job's order: the version report lists them worst first.
  s.changes.sort(byCluster);
  s.skipped.sort((a, b) => a.reason.localeCompare(b.reason) || byCluster(a, b));
  return s;
}

type Limits = Record<keyof Sections, number>;

/** The card for a run. `maxBytes` bounds the serialized webhook payload (UTF-8). */
export function buildCard(run: RunRecord, opts: { maxBytes?: number } = {}): TeamsMessage {
  const maxBytes = opts.maxBytes ?? MAX_CARD_BYTES;
  const s = sections(run);
  const limits: Limits = { failed: 40, findings: 25, changes: 40, skipped: 25 };
  const fits = (): TeamsMessage | undefined => {
    const message = wrap(cardBody(run, s, limits));
    return Buffer.byteLength(JSON.stringify(message), 'utf8') <= maxBytes ? message : undefined;
  };
  // Cut the least important section first, by halves: first down to a few lines each, then to none.
  const steps: Array<[keyof Sections, number]> = [
    ['skipped', 8],
    ['findings', 10],
    ['changes', 15],
    ['failed', 20],
    ['skipped', 0],
    ['findings', 0],
    ['changes', 0],
    ['failed', 0],
  ];
  for (const [key, floor] of steps) {
    limits[key] = Math.min(limits[key], s[key].length);
    for (;;) {
      const message = fits();
      if (message) return message;
      if (limits[key] <= floor) break;
      limits[key] = Math.max(floor, Math.floor(limits[key] / 2));
    }
  }
  return wrap(cardBody(run, s, limits, true));
}

function wrap(card: AdaptiveCard): TeamsMessage {
  return {
    type: 'message',
    attachments: [
      { contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content: card },
    ],
  };
}

const oneLine = (text: string, max = MAX_REASON_CHARS): string => {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
};
/** The cluster's name linked to its portal page; fleet-wide outcomes (no cluster id) are not linked. */
const link = (o: OutcomeRecord): string =>
  parseClusterId(o.cluster.id) ? `[${o.cluster.name}](${portalUrl(o.cluster.id)})` : o.cluster.name;
const what = (o: OutcomeRecord): string => `${o.action}${o.nodePool ? ` (pool ${o.nodePool})` : ''}`;
/** `1.33.4 → 1.33.5`; node images of one family show the family once: `202609.16.0 → 202610.07.0 (AKSUbuntu-2204gen2containerd)`. */
const versions = (o: OutcomeRecord): string => {
  if (!o.fromVersion && !o.toVersion) return '';
  const family = (v?: string): string | undefined =>
    v && /-\d{6}\.\d+\.\d+$/.test(v) ? v.slice(0, v.lastIndexOf('-')) : undefined;
  const f = family(o.fromVersion);
  if (f && f === family(o.toVersion)) {
    return `${o.fromVersion!.slice(f.length + 1)} → ${o.toVersion!.slice(f.length + 1)} (${f})`;
  }
  return `${o.fromVersion ?? '?'} → ${o.toVersion ?? '?'}`;
};
const n = (x: number): string => x.toLocaleString('en-US');

function text(textValue: string, extra: CardElement = {}): CardElement {
  return { type: 'TextBlock', text: textValue, wrap: true, ...extra };
}

function leftOut(count: number, label: string, runId: string): CardElement {
  return text(`… and ${n(count)} more ${label}: see Log Analytics ${LOG_TABLE} RunId=${runId}`, {
    isSubtle: true,
    size: 'Small',
    spacing: 'Small',
  });
}

function cardBody(run: RunRecord, s: Sections, limits: Limits, headlineOnly = false): AdaptiveCard {
  const changed = s.changes.filter((o) => o.outcome !== 'Planned').length;
  const planned = s.changes.length - changed;
  const counts = [
    `${n(changed)} changed`,
    ...(planned > 0 ? [`${n(planned)} planned`] : []),
    `${n(s.skipped.length)} skipped`,
    `${n(s.failed.length)} failed`,
    ...(s.findings.length > 0
      ? [`${n(s.findings.length)} finding${s.findings.length === 1 ? '' : 's'}`]
      : []),
  ].join(' · ');
  const took = run.endedAt ? ` · took ${duration(run.endedAt.getTime() - run.startedAt.getTime())}` : '';
  const body: CardElement[] = [
    text(`${JOB_TITLES[run.job]}: ${counts}`, {
      size: 'Medium',
      weight: 'Bolder',
      ...(s.failed.length > 0 ? { color: 'Attention' } : {}),
    }),
  ];
  if (run.dryRun) {
    body.push(
      text('DRY RUN: nothing was changed. "Planned" is what would have been done.', {
        color: 'Warning',
        weight: 'Bolder',
        spacing: 'Small',
      }),
    );
  }
  body.push(
    text(
      `Run ${run.runId} · by ${run.actor} · started ${run.startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC${took}`,
      {
        isSubtle: true,
        size: 'Small',
        spacing: 'None',
      },
    ),
  );

  if (!headlineOnly) {
    if (s.failed.length > 0) {
      const shown = s.failed.slice(0, limits.failed);
      body.push({
        type: 'Container',
        style: 'attention',
        spacing: 'Medium',
        items: [
          text(`Failed (${n(s.failed.length)})`, { weight: 'Bolder', color: 'Attention' }),
          ...shown.map((o) =>
            text(
              `**${link(o)}** · ${what(o)}${versions(o) ? ` · ${versions(o)}` : ''}: ${oneLine(o.reason, MAX_FAILURE_CHARS)}`,
              { color: 'Attention', spacing: 'Small' },
            ),
          ),
          ...(s.failed.length > shown.length
            ? [leftOut(s.failed.length - shown.length, 'failed', run.runId)]
            : []),
        ],
      });
    }
    if (s.findings.length > 0) {
      const shown = s.findings.slice(0, limits.findings);
      body.push(
        text(`Findings (${n(s.findings.length)})`, {
          weight: 'Bolder',
          color: 'Warning',
          spacing: 'Medium',
          separator: true,
        }),
        ...shown.map((o) => text(`${link(o)} · ${what(o)}: ${oneLine(o.reason)}`, { spacing: 'Small' })),
        ...(s.findings.length > shown.length
          ? [leftOut(s.findings.length - shown.length, 'findings', run.runId)]
          : []),
      );
    }
    if (s.changes.length > 0) {
      const shown = s.changes.slice(0, limits.changes);
      body.push(
        text(`Changes (${n(s.changes.length)})`, { weight: 'Bolder', spacing: 'Medium', separator: true }),
        row(['Cluster', 'Action', 'Version', 'Outcome'], { header: true }),
        ...shown.map((o) => row([link(o), what(o), versions(o) || '–', o.outcome], { outcome: o.outcome })),
        ...(s.changes.length > shown.length
          ? [leftOut(s.changes.length - shown.length, 'changes', run.runId)]
          : []),
      );
    }
    if (s.skipped.length > 0) {
      const shown = s.skipped.slice(0, limits.skipped);
      body.push(
        text(`Skipped (${n(s.skipped.length)})`, { weight: 'Bolder', spacing: 'Medium', separator: true }),
        ...(s.skipped.length > shown.length ? [reasonCounts(s.skipped)] : []),
        ...shown.map((o) =>
          text(`${link(o)} · ${what(o)}: ${oneLine(o.reason)}`, {
            isSubtle: true,
            spacing: 'None',
            size: 'Small',
          }),
        ),
        ...(s.skipped.length > shown.length
          ? [leftOut(s.skipped.length - shown.length, 'skipped', run.runId)]
          : []),
      );
    }
  } else if (run.outcomes.length > 0) {
    body.push(leftOut(run.outcomes.length, 'outcomes', run.runId));
  }
  if (run.outcomes.length === 0) {
    body.push(text('No clusters in scope for this run.', { isSubtle: true }));
  }
  body.push(
    text(`Every outcome: ${LOG_TABLE} | where RunId == "${run.runId}"`, {
      isSubtle: true,
      size: 'Small',
      spacing: 'Medium',
      separator: true,
    }),
  );
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.4',
    msteams: { width: 'Full' },
    body,
  };
}

/** The most common skip reasons with their counts (a FactSet: compact, 1.0). */
function reasonCounts(skipped: readonly OutcomeRecord[], top = 6): CardElement {
  const counts = new Map<string, number>();
  for (const o of skipped) {
    const r = oneLine(o.reason, 100);
    counts.set(r, (counts.get(r) ?? 0) + 1);
  }
  const sorted = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const rest = sorted.slice(top).reduce((sum, [, c]) => sum + c, 0);
  const facts = sorted.slice(0, top).map(([reason, c]) => ({ title: n(c), value: reason }));
  if (rest > 0) facts.push({ title: n(rest), value: `${sorted.length - top} other reason(s)` });
  return { type: 'FactSet', spacing: 'Small', facts };
}

const OUTCOME_COLORS: Record<string, string> = {
  Succeeded: 'Good',
  InProgress: 'Accent',
  Planned: 'Warning',
  Failed: 'Attention',
};

function row(
  cells: [string, string, string, string],
  opts: { header?: boolean; outcome?: string },
): CardElement {
  const widths = [3, 3, 4, 2];
  return {
    type: 'ColumnSet',
    spacing: opts.header ? 'Small' : 'None',
    columns: cells.map((c, i) => ({
      type: 'Column',
      width: widths[i],
      items: [
        text(c, {
          size: 'Small',
          ...(opts.header ? { weight: 'Bolder', isSubtle: true } : {}),
          ...(i === 3 && opts.outcome && OUTCOME_COLORS[opts.outcome]
            ? { color: OUTCOME_COLORS[opts.outcome] }
            : {}),
        }),
      ],
    })),
  };
}

function duration(ms: number): string {
  const sec = Math.max(0, Math.round(ms / 1000));
  if (sec < 60) return `${sec}s`;
  const m = Math.floor(sec / 60);
  return m < 60 ? `${m}m ${sec % 60}s` : `${Math.floor(m / 60)}h ${m % 60}m`;
}
