import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { parseCommand } from '../chatops/grammar';

/** One generated message: the raw body posted, and whether it is certainly not a command. */
interface FuzzMessage {
  body: string;
  /** The reply must be the usage (bad JSON, a non-verb first word, an oversized text). */
  mustBeUsage: boolean;
  kind: 'random-text' | 'mentions-unicode' | 'near-command' | 'huge' | 'bad-json' | 'not-an-activity';
}

export interface ChatFuzzReport {
  runs: number;
  byStatus: Record<string, number>;
  byKind: Record<string, number>;
  /** Requests sent again after the connection was reset before an answer. */
  connectionResets: number;
  /** Answers that broke a rule: a 5xx, no JSON reply, or a bad message not answered with the usage. */
  violations: string[];
}

const VERBS = [
  'help',
  'status',
  'plan',
  'versions',
  'runs',
  'stop',
  'start',
  'snooze',
  'node-image',
  'upgrade',
  'approve',
  'cancel',
];

function activity(id: string, text: string, aadObjectId: string): string {
  return JSON.stringify({
    type: 'message',
    id,
    text,
    from: { id: `29:${aadObjectId}`, name: 'Fuzz', aadObjectId },
    channelData: { teamsChannelId: '19:fuzz@thread.tacv2' },
  });
}

/** Messages near the grammar (verbs with hostile arguments) and far from it (unicode, markup, huge, not JSON). */
export function messageArbitrary(
  clusters: readonly string[],
  senders: readonly string[],
): fc.Arbitrary<(id: string) => FuzzMessage> {
  const sender = fc.constantFrom(...senders);
  const anyText = fc.string({ maxLength: 120, unit: 'binary' });
  const mention = fc.constantFrom(
    '<at>day2</at>',
    '<at>Day2 Bot</at>&nbsp;',
    '<at id="0">x</at>',
    '&lt;at&gt;',
    '<p>',
    '</div>',
    '&amp;',
    '&#x1F600;',
    '&#0;',
    '&nbsp;',
  );
  const word = fc.oneof(
    fc.constantFrom(
      ...VERBS,
      ...clusters,
      'for',
      'until',
      'to',
      'surge',
      'dry-run',
      '2h',
      '22:00',
      '33%',
      'patch',
      'next-minor',
      '1.33.5',
    ),
    fc.string({ maxLength: 12, unit: 'grapheme' }),
  );
  const random = fc.tuple(anyText, sender).map(([t, s]) => (id: string): FuzzMessage => {
    const body = activity(id, t, s);
    return { body, mustBeUsage: !parseCommand(t).ok, kind: 'random-text' };
  });
  const noisy = fc
    .tuple(
      fc.array(fc.oneof(mention, word, fc.string({ maxLength: 8, unit: 'grapheme-composite' })), {
        maxLength: 12,
      }),
      sender,
    )
    .map(([parts, s]) => (id: string): FuzzMessage => {
      const t = parts.join(' ');
      return { body: activity(id, t, s), mustBeUsage: !parseCommand(t).ok, kind: 'mentions-unicode' };
    });
  const near = fc
    .tuple(
      fc.constantFrom(...VERBS.map((v) => `zz${v}`), 'reboot', 'deploy', 'sudo', '¿help?'),
      fc.array(word, { maxLength: 6 }),
      sender,
    )
    .map(([v, rest, s]) => (id: string): FuzzMessage => ({
      body: activity(id, `<at>day2</at> ${[v, ...rest].join(' ')}`, s),
      mustBeUsage: true,
      kind: 'near-command',
    }));
  const huge = fc
    .tuple(
      fc.constantFrom('status ', 'upgrade aks-dev-weu-01 ', '', 'x'),
      fc.integer({ min: 9_000, max: 100_000 }),
      sender,
    )
    .map(([prefix, n, s]) => (id: string): FuzzMessage => ({
      body: activity(id, prefix + 'é'.repeat(n), s),
      mustBeUsage: true,
      kind: 'huge',
    }));
  const badJson = fc
    .oneof(
      fc.string({ maxLength: 200, unit: 'binary' }).filter((t) => {
        try {
          const v: unknown = JSON.parse(t);
          return typeof v !== 'object' || v === null || Array.isArray(v);
        } catch {
          return true;
        }
      }),
      fc.constantFrom('{', '{"type":"message","text":', 'null', '[]', '"help"', '{"text": "help"'),
    )
    .map((t) => (): FuzzMessage => ({ body: t, mustBeUsage: true, kind: 'bad-json' }));
  const notActivity = fc
    .tuple(fc.jsonValue({ maxDepth: 3 }), fc.constantFrom('text', 'from', 'type'))
    .map(([v, field]) => (id: string): FuzzMessage => ({
      body: JSON.stringify({ id, [field]: v, ...(field === 'text' ? {} : { text: 42 }) }),
      mustBeUsage: field !== 'text' || typeof v !== 'string' || !parseCommand(v).ok,
      kind: 'not-an-activity',
    }));
  return fc.oneof(
    { weight: 3, arbitrary: random },
    { weight: 3, arbitrary: noisy },
    { weight: 2, arbitrary: near },
    { weight: 1, arbitrary: huge },
    { weight: 1, arbitrary: badJson },
    { weight: 1, arbitrary: notActivity },
  );
}

/**
 * Posts `runs` generated messages, each signed with a valid HMAC, to a chatops endpoint, `concurrency` at
 * a time, and checks every answer: never 5xx, always a JSON message reply, and the usage reply for each
 * message that is not a command.
 */
export async function fuzzChatops(
  chatopsUrl: string,
  secretBase64: string,
  opts: {
    runs: number;
    seed?: number;
    concurrency?: number;
    clusters: readonly string[];
    senders: readonly string[];
  },
): Promise<ChatFuzzReport> {
  const key = Buffer.from(secretBase64, 'base64');
  const gens = fc.sample(messageArbitrary(opts.clusters, opts.senders), {
    numRuns: opts.runs,
    ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
  });
  const report: ChatFuzzReport = {
    runs: gens.length,
    byStatus: {},
    byKind: {},
    connectionResets: 0,
    violations: [],
  };
  let next = 0;
  await Promise.all(
    Array.from({ length: opts.concurrency ?? 16 }, async () => {
      while (next < gens.length) {
        const i = next++;
        const m = gens[i]!(`fuzz-${opts.seed ?? 0}-${i}`);
        report.byKind[m.kind] = (report.byKind[m.kind] ?? 0) + 1;
        const send = (): Promise<Response> =>
          fetch(chatopsUrl, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              authorization: `HMAC ${createHmac('sha256', key).update(m.body).digest('base64')}`,
            },
            body: m.body,
          });
        let res: Response;
        try {
          res = await send();
        } catch {
          // A kept-alive connection the server closed as it was reused (the request never reached it):
          // counted, and sent once more on a new connection.
          report.connectionResets++;
          try {
            res = await send();
          } catch (err) {
            report.violations.push(
              `no answer for ${m.kind}: ${err instanceof Error ? err.message : String(err)}`,
            );
            continue;
          }
        }
        const text = await res.text();
        report.byStatus[res.status] = (report.byStatus[res.status] ?? 0) + 1;
        const what = `${m.kind} ${JSON.stringify(m.body.slice(0, 80))}`;
        if (res.status >= 500) {
          report.violations.push(`${res.status} for ${what}`);
          continue;
        }
        let reply: { type?: unknown; text?: unknown };
        try {
          reply = JSON.parse(text) as typeof reply;
        } catch {
          report.violations.push(`not JSON (${res.status}) for ${what}`);
          continue;
        }
        if (reply.type !== 'message' || typeof reply.text !== 'string')
          report.violations.push(`not a message reply for ${what}`);
        else if (m.mustBeUsage && !reply.text.includes('usage: @day2'))
          report.violations.push(`no usage reply for ${what}: ${reply.text.slice(0, 120)}`);
      }
    }),
  );
  return report;
}
