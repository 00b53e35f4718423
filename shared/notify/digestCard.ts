/**
 * The daily digest card of a job (docs/records.md): the day's routine successes of the power schedule
 * or of the node-image waves in one Adaptive Card 1.4, posted after the UTC day ends. Failures,
 * findings and what a person asked for were posted at once and are only counted here.
 */
import type { AdaptiveCard, CardElement, TeamsMessage } from './card';
import { MAX_CARD_BYTES } from './card';
import type { Digest, NodeImageDigest, PowerDigest } from './digest';
import { LOG_TABLE } from './logRows';

/** Names listed in full up to this many; beyond, the count and the first ones. */
const MAX_NAMES = 40;

const n = (x: number): string => x.toLocaleString('en-US');
const text = (t: string, extra: CardElement = {}): CardElement => ({
  type: 'TextBlock',
  text: t,
  wrap: true,
  ...extra,
});

function names(list: readonly string[], max = MAX_NAMES): string {
  const sorted = [...list].sort();
  return sorted.length <= max
    ? sorted.join(', ')
    : `${sorted.slice(0, max).join(', ')} … and ${n(sorted.length - max)} more`;
}

function facts(rows: Array<[string, string]>): CardElement {
  return { type: 'FactSet', facts: rows.map(([title, value]) => ({ title, value })) };
}

function powerBody(d: PowerDigest, max: number): CardElement[] {
  const body: CardElement[] = [
    text(
      `Power schedule, ${d.day}: ${n(d.stopped.length)} stopped · ${n(d.started.length)} started · ${n(d.nodeHoursSaved)} node-hours saved`,
      { size: 'Medium', weight: 'Bolder' },
    ),
  ];
  const rows: Array<[string, string]> = [];
  if (d.stopped.length) rows.push(['Stopped', names(d.stopped, max)]);
  if (d.started.length) rows.push(['Started', names(d.started, max)]);
  if (d.plannedStops.length) rows.push(['Would stop (dry run)', names(d.plannedStops, max)]);
  if (d.plannedStarts.length) rows.push(['Would start (dry run)', names(d.plannedStarts, max)]);
  if (d.stoppedAtMidnight.length)
    rows.push([
      'Stopped at midnight',
      names(
        d.stoppedAtMidnight.map((c) => c.cluster),
        max,
      ),
    ]);
  if (d.failed.length) rows.push(['Failed (posted at once)', names(d.failed, max)]);
  if (rows.length) body.push(facts(rows));
  body.push(
    text(
      'Node-hours saved: for each cluster, its nodes × the hours it stood stopped that day (UTC), from the stop to the start or midnight.',
      { isSubtle: true, size: 'Small' },
    ),
  );
  return body;
}

function nodeImageBody(d: NodeImageDigest, max: number): CardElement[] {
  const body: CardElement[] = [
    text(
      `Node image upgrades, ${d.day}: ${n(d.rolled.length)} pools rolled${d.started ? ` · ${n(d.started)} still rolling` : ''}${d.planned ? ` · ${n(d.planned)} planned (dry run)` : ''}${d.failed ? ` · ${n(d.failed)} failed (posted at once)` : ''}`,
      { size: 'Medium', weight: 'Bolder' },
    ),
  ];
  const shown = d.rolled.slice(0, max);
  if (shown.length)
    body.push(
      facts(
        shown.map((r) => [
          `${r.cluster}/${r.pool}`,
          r.from || r.to ? `${r.from ?? '?'} → ${r.to ?? '?'}` : 'rolled',
        ]),
      ),
    );
  if (d.rolled.length > shown.length)
    body.push(
      text(`… and ${n(d.rolled.length - shown.length)} more pools`, { isSubtle: true, size: 'Small' }),
    );
  return body;
}

function wrap(body: CardElement[]): TeamsMessage {
  const card: AdaptiveCard = {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.4',
    body,
    msteams: { width: 'Full' },
  };
  return {
    type: 'message',
    attachments: [
      { contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content: card },
    ],
  };
}

/** The digest card; lists are cut until the payload fits `maxBytes`. */
export function buildDigestCard(d: Digest, opts: { maxBytes?: number } = {}): TeamsMessage {
  const maxBytes = opts.maxBytes ?? MAX_CARD_BYTES;
  for (let max = MAX_NAMES; ; max = Math.floor(max / 2)) {
    const body = d.job === 'power-schedule' ? powerBody(d, max) : nodeImageBody(d, max);
    body.push(
      text(
        `Every outcome: ${LOG_TABLE} | where Job == "${d.job}" and startofday(TimeGenerated) == datetime(${d.day})`,
        { isSubtle: true, size: 'Small', fontType: 'Monospace' },
      ),
    );
    const message = wrap(body);
    if (max === 0 || Buffer.byteLength(JSON.stringify(message), 'utf8') <= maxBytes) return message;
  }
}
