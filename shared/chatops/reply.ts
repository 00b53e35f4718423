/**
 * What the `chatops` function answers Teams: a message with text, or with one small Adaptive Card
 * (version 1.4, no actions but `Action.OpenUrl`, which outgoing webhooks allow).
 */
export interface ChatReply {
  type: 'message';
  text: string;
  attachments?: Array<{ contentType: 'application/vnd.microsoft.card.adaptive'; content: AdaptiveCard }>;
}

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: string;
  version: '1.4';
  body: unknown[];
}

/** Rows of a card at most (a reply stays small; the rest is summarised). */
export const MAX_ROWS = 25;
const MAX_CELL = 200;

const cell = (s: string): string => (s.length > MAX_CELL ? `${s.slice(0, MAX_CELL - 1)}…` : s);

/** Characters of a text reply at most (one line; Teams wraps it). */
export const MAX_TEXT_REPLY = 500;

export function textReply(text: string): ChatReply {
  const one = text.replace(/\s+/g, ' ');
  return {
    type: 'message',
    text: one.length > MAX_TEXT_REPLY ? `${one.slice(0, MAX_TEXT_REPLY - 1)}…` : one,
  };
}

export interface CardSection {
  /** `name: value` facts. */
  facts?: Array<[string, string]>;
  /** Lines of text. */
  lines?: string[];
}

/** A small card: a title, a subtitle, then facts and lines; `text` is what clients without cards show. */
export function cardReply(
  text: string,
  title: string,
  sections: CardSection[],
  subtitle?: string,
): ChatReply {
  const body: unknown[] = [
    { type: 'TextBlock', text: cell(title), weight: 'Bolder', size: 'Medium', wrap: true },
    ...(subtitle
      ? [{ type: 'TextBlock', text: cell(subtitle), isSubtle: true, spacing: 'None', wrap: true }]
      : []),
  ];
  let rows = 0;
  let left = 0;
  for (const s of sections) {
    const facts = (s.facts ?? []).filter(() => rows++ < MAX_ROWS || (left++, false));
    if (facts.length)
      body.push({ type: 'FactSet', facts: facts.map(([t, v]) => ({ title: cell(t), value: cell(v) })) });
    for (const line of s.lines ?? [])
      if (rows++ < MAX_ROWS) body.push({ type: 'TextBlock', text: cell(line), wrap: true, spacing: 'Small' });
      else left++;
  }
  if (left > 0) body.push({ type: 'TextBlock', text: `… and ${left} more`, isSubtle: true, wrap: true });
  return {
    type: 'message',
    text: cell(text),
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        content: {
          type: 'AdaptiveCard',
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          version: '1.4',
          body,
        },
      },
    ],
  };
}
