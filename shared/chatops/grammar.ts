import { parseSnooze, parseSnoozeText, type SnoozeArgs } from '../power/snooze';

/**
 * The one parser of what people type after `@day2` (docs/chatops.md). Pure: text in, a command or a
 * one-line usage reply out. Words are case-insensitive; cluster names and run ids are kept as typed
 * (cluster names are resolved later, case-insensitively).
 */
export type ChatCommand =
  | { verb: 'help' }
  | { verb: 'status'; cluster?: string }
  | { verb: 'plan' }
  | { verb: 'versions'; cluster?: string }
  | { verb: 'runs'; cluster?: string }
  | { verb: 'stop'; cluster: string }
  | { verb: 'start'; cluster: string }
  | { verb: 'snooze'; cluster: string; snooze: SnoozeArgs }
  | { verb: 'node-image'; cluster: string; pool?: string }
  | {
      verb: 'upgrade';
      cluster: string;
      /** `x.y.z`, `latest-patch` or `next-minor` (absent: latest patch). */
      to?: string;
      /** `N` or `N%`. */
      surge?: string;
      dryRun: boolean;
    }
  | { verb: 'approve'; run: string }
  | { verb: 'cancel'; run: string };

export type Verb = ChatCommand['verb'];

/** Read commands change nothing; the others are changes (queued for `commandWorker`). */
export const READ_VERBS: ReadonlySet<Verb> = new Set(['help', 'status', 'plan', 'versions', 'runs']);

export const USAGE: Record<Verb, string> = {
  help: 'help',
  status: 'status [CLUSTER]',
  plan: 'plan',
  versions: 'versions [CLUSTER]',
  runs: 'runs [CLUSTER]',
  stop: 'stop CLUSTER',
  start: 'start CLUSTER',
  snooze: 'snooze CLUSTER for 2h|until 22:00',
  'node-image': 'node-image CLUSTER [POOL]',
  upgrade: 'upgrade CLUSTER [to VERSION|patch|next-minor] [surge N|N%] [dry-run]',
  approve: 'approve RUN',
  cancel: 'cancel RUN',
};

const VERBS = Object.keys(USAGE) as Verb[];

/** The one-line reply to an unknown command. */
export const GENERAL_USAGE = `usage: @day2 ${VERBS.join(' | ')}`;

export type ParseResult = { ok: true; command: ChatCommand } | { ok: false; usage: string };

/** Longest message text considered (a Teams message is far shorter; anything longer is not a command). */
export const MAX_TEXT = 2_000;

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;
/** An AKS resource id, as `status` and the API accept it. */
const RESOURCE_ID =
  /^\/subscriptions\/[^/\s]{1,64}\/resourcegroups\/[^/\s]{1,90}\/providers\/microsoft\.containerservice\/managedclusters\/[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/i;
const FORM_CHECK_INSTANT = new Date(Date.UTC(2026, 0, 1));
const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const VERSION = /^\d{1,3}\.\d{1,3}(\.\d{1,4})?$/;
const SURGE = /^([1-9]\d{0,2}|[1-9]\d?%|100%)$/;

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  '#39': "'",
};

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,8}|#39);/gi, (all, name: string) => {
    const n = name.toLowerCase();
    if (n.startsWith('#x') || n.startsWith('#')) {
      const code = n.startsWith('#x') ? parseInt(n.slice(2), 16) : parseInt(n.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : ' ';
    }
    return ENTITIES[n] ?? all;
  });
}

/**
 * What the person typed, without mentions (`<at>day2</at>`), HTML markup and entities, with runs of
 * white space (including the non-breaking space Teams puts after a mention) made one space.
 */
export function cleanText(raw: string): string {
  return decodeEntities(
    raw
      .slice(0, MAX_TEXT * 4)
      .replace(/<at\b[^>]*>[\s\S]*?<\/at>/gi, ' ')
      .replace(/<br\s*\/?>/gi, ' ')
      .replace(/<\/?[a-z][^>]*>/gi, ' '),
  )
    .replace(/[\s\u00a0\u200b\ufeff]+/g, ' ')
    .trim();
}

const usage = (verb: Verb, why: string): ParseResult => ({
  ok: false,
  usage: `${why}; usage: @day2 ${USAGE[verb]}`,
});

function shown(word: string): string {
  const w = word.length > 40 ? `${word.slice(0, 40)}…` : word;
  return `"${w}"`;
}

function clusterArg(verb: Verb, word: string | undefined, required: true): string | ParseResult;
function clusterArg(verb: Verb, word: string | undefined, required: false): string | undefined | ParseResult;
function clusterArg(
  verb: Verb,
  word: string | undefined,
  required: boolean,
): string | undefined | ParseResult {
  if (word === undefined) return required ? usage(verb, `${verb} needs a cluster name`) : undefined;
  if (NAME.test(word) || RESOURCE_ID.test(word)) return word;
  return usage(verb, `${shown(word)} is not a cluster name`);
}

const isResult = (v: unknown): v is ParseResult => typeof v === 'object' && v !== null && 'ok' in v;

function upgradeArgs(cluster: string, rest: string[]): ParseResult {
  let to: string | undefined;
  let surge: string | undefined;
  let dryRun = false;
  for (let i = 0; i < rest.length; i++) {
    const w = rest[i]!.toLowerCase();
    if (w === 'to') {
      const v = rest[++i]?.toLowerCase();
      if (v === undefined) return usage('upgrade', '"to" needs a version, patch or next-minor');
      if (to !== undefined) return usage('upgrade', '"to" is given twice');
      if (v === 'patch' || v === 'latest-patch') to = 'latest-patch';
      else if (v === 'next-minor' || v === 'minor') to = 'next-minor';
      else if (VERSION.test(v.replace(/^v/, ''))) to = v.replace(/^v/, '');
      else return usage('upgrade', `${shown(rest[i]!)} is not a version (e.g. 1.33.5), patch or next-minor`);
    } else if (w === 'patch' || w === 'next-minor') {
      if (to !== undefined) return usage('upgrade', 'the target is given twice');
      to = w === 'patch' ? 'latest-patch' : 'next-minor';
    } else if (w === 'surge') {
      const v = rest[++i];
      if (v === undefined) return usage('upgrade', '"surge" needs N or N%');
      if (!SURGE.test(v)) return usage('upgrade', `surge ${shown(v)}: expected N (1-999) or N% (1-100%)`);
      surge = v;
    } else if (w === 'dry-run' || w === 'dryrun' || w === '--dry-run') {
      dryRun = true;
    } else {
      return usage('upgrade', `${shown(rest[i]!)} is not understood`);
    }
  }
  return {
    ok: true,
    command: {
      verb: 'upgrade',
      cluster,
      ...(to !== undefined ? { to } : {}),
      ...(surge !== undefined ? { surge } : {}),
      dryRun,
    },
  };
}

/** Parses one message (its raw `text`, mentions and markup included). */
export function parseCommand(raw: string): ParseResult {
  if (raw.length > MAX_TEXT * 4) return { ok: false, usage: `the message is too long; ${GENERAL_USAGE}` };
  const text = cleanText(raw);
  if (text.length > MAX_TEXT) return { ok: false, usage: `the message is too long; ${GENERAL_USAGE}` };
  const words = text.split(' ').filter((w) => w !== '');
  const first = words[0]?.toLowerCase();
  if (first === undefined) return { ok: false, usage: GENERAL_USAGE };
  const verb = (first === 'nodeimage' ? 'node-image' : first) as Verb;
  if (!VERBS.includes(verb))
    return { ok: false, usage: `unknown command ${shown(words[0]!)}; ${GENERAL_USAGE}` };
  const args = words.slice(1);
  const tooMany = (max: number): ParseResult | undefined =>
    args.length > max ? usage(verb, `${shown(args[max]!)} is not understood`) : undefined;

  switch (verb) {
    case 'help':
    case 'plan':
      return tooMany(0) ?? { ok: true, command: { verb } };
    case 'status':
    case 'versions':
    case 'runs': {
      const c = clusterArg(verb, args[0], false);
      if (isResult(c)) return c;
      return tooMany(1) ?? { ok: true, command: { verb, ...(c !== undefined ? { cluster: c } : {}) } };
    }
    case 'stop':
    case 'start': {
      const c = clusterArg(verb, args[0], true);
      if (isResult(c)) return c;
      return tooMany(1) ?? { ok: true, command: { verb, cluster: c } };
    }
    case 'snooze': {
      const c = clusterArg(verb, args[0], true);
      if (isResult(c)) return c;
      const s = parseSnoozeText(args.slice(1).join(' '));
      if ('error' in s) return usage(verb, args.length > 1 ? 'expected "for" or "until"' : 'for how long?');
      // The form is checked here (any instant and zone will do); the cluster's zone decides the instant later.
      const form = parseSnooze(s, FORM_CHECK_INSTANT, 'UTC');
      if ('error' in form) return usage(verb, form.error.replace(/"([^"]{40})[^"]*"/, '"$1…"'));
      return { ok: true, command: { verb, cluster: c, snooze: s } };
    }
    case 'node-image': {
      const c = clusterArg(verb, args[0], true);
      if (isResult(c)) return c;
      const pool = args[1];
      if (pool !== undefined && !/^[a-z][a-z0-9]{0,11}$/i.test(pool))
        return usage(verb, `${shown(pool)} is not a node pool name`);
      return tooMany(2) ?? { ok: true, command: { verb, cluster: c, ...(pool ? { pool } : {}) } };
    }
    case 'upgrade': {
      const c = clusterArg(verb, args[0], true);
      if (isResult(c)) return c;
      return upgradeArgs(c, args.slice(1));
    }
    case 'approve':
    case 'cancel': {
      const r = args[0];
      if (r === undefined) return usage(verb, `${verb} needs a run id`);
      if (!RUN_ID.test(r)) return usage(verb, `${shown(r)} is not a run id`);
      return tooMany(1) ?? { ok: true, command: { verb, run: r } };
    }
  }
}
