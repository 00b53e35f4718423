import { DateTime, IANAZone } from 'luxon';
import { quoted } from '../util/visible';
import { parseCronSpec, type CronSpec } from './cron';

export type { CronSpec } from './cron';

/** Tag names (docs/tags.md). */
export const TAGS = {
  stop: 'day2-stop',
  start: 'day2-start',
  timezone: 'day2-timezone',
  skip: 'day2-skip',
  ring: 'day2-ring',
  nodeImage: 'day2-node-image',
  upgrade: 'day2-upgrade',
  protect: 'day2-protect',
} as const;

/** Tags the power schedule depends on (their errors are reported by that job). */
export const POWER_TAGS: readonly string[] = [TAGS.stop, TAGS.start, TAGS.timezone, TAGS.skip, TAGS.protect];

/** A tag value that does not parse: reported with the tag, the value and why (docs/tags.md). */
export interface TagError {
  tag: string;
  value: string;
  reason: string;
}

export type NodeImageMode = 'auto' | 'notify' | 'off';
export type UpgradeMode = 'patch' | 'minor' | 'notify' | 'off';

/** A cluster's policy from its tags. A feature whose tag does not parse is off, and the error is listed. */
export interface ClusterPolicy {
  stop?: CronSpec;
  start?: CronSpec;
  /** IANA zone of the crons (`day2-timezone`, else the default). */
  timezone: string;
  /** ISO dates (yyyy-mm-dd, local to `timezone`) with no scheduled start/stop. */
  skipDates: string[];
  ring: number;
  nodeImage: NodeImageMode;
  upgrade: UpgradeMode;
  protect: boolean;
  /** `environment`/`env` is `prod`/`production`: never stopped by a schedule. */
  prod: boolean;
  errors: TagError[];
}

export interface PolicyDefaults {
  defaultTimezone: string;
}

/** Exact key first, else a case-insensitive match (Azure tag keys are case-insensitive). */
export function tagValue(
  tags: Record<string, string>,
  key: string,
): { key: string; value: string } | undefined {
  const exact = tags[key];
  if (exact !== undefined) return { key, value: exact };
  const lower = key.toLowerCase();
  for (const [k, v] of Object.entries(tags)) if (k.toLowerCase() === lower) return { key: k, value: v };
  return undefined;
}

/** A valid zone as written, its case fixed when ICU knows it (`europe/paris` → `Europe/Paris`); undefined when not a zone. */
export function canonicalZone(zone: string): string | undefined {
  if (zones.has(zone)) return zones.get(zone);
  if (zones.size >= 1000) zones.clear();
  const z = resolveZone(zone);
  zones.set(zone, z);
  return z;
}

const zones = new Map<string, string | undefined>();

function resolveZone(zone: string): string | undefined {
  const z = zone.trim();
  if (!z || !IANAZone.isValidZone(z)) return undefined;
  // Fix only the case: ICU may also swap a name for an alias (Asia/Kolkata → Asia/Calcutta), which would confuse users.
  const resolved = new Intl.DateTimeFormat('en-US', { timeZone: z }).resolvedOptions().timeZone;
  return resolved.toLowerCase() === z.toLowerCase() ? resolved : z;
}

function parseSkipDates(value: string): { dates: string[]; bad: string[] } {
  const dates: string[] = [];
  const bad: string[] = [];
  for (const raw of value.split(',')) {
    const d = raw.trim();
    if (!d) continue;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(d)) bad.push(`${quoted(d, 40)} is not a date written yyyy-mm-dd`);
    else if (!DateTime.fromISO(d, { zone: 'UTC' }).isValid) bad.push(`${quoted(d)} is not a real date`);
    else dates.push(d);
  }
  return { dates: [...new Set(dates)].sort(), bad };
}

/** How a bad tag is quoted everywhere (reports, logs, plan tables): `day2-stop="0 25 * * *": why`, invisible characters shown. */
export function formatTagError(e: TagError): string {
  return `${e.tag}=${quoted(e.value)}: ${e.reason}`;
}

function oneOf<T extends string>(value: string, allowed: readonly T[]): T | undefined {
  const v = value.trim().toLowerCase();
  return allowed.find((a) => a === v);
}

/**
 * Reads every tag of docs/tags.md. Never throws: each tag that does not parse adds a TagError and leaves its
 * feature off (bad cron → that action off; bad zone → no start/stop at all; bad ring → ring 5 and no
 * automatic upgrades: node-image `auto` and upgrade `patch`/`minor` become `notify`; bad node-image or
 * upgrade → `off`; any bad skip date → no date is skipped).
 * `day2-protect`: `true` protects; `false` is accepted as "not protected"; any other value is an error and
 * the cluster is protected anyway (fail safe: a typo in a safety tag must not let changes through).
 */
export function parseClusterPolicy(tags: Record<string, string>, defaults: PolicyDefaults): ClusterPolicy {
  const errors: TagError[] = [];
  const fail = (tag: { key: string; value: string }, reason: string): void => {
    errors.push({ tag: tag.key, value: tag.value, reason });
  };

  let timezone = canonicalZone(defaults.defaultTimezone) ?? 'UTC';
  let zoneOk = true;
  const tz = tagValue(tags, TAGS.timezone);
  if (tz) {
    const z = canonicalZone(tz.value);
    if (z) timezone = z;
    else {
      zoneOk = false;
      fail(
        tz,
        `${quoted(tz.value, 60)} is not an IANA time zone (e.g. Europe/Paris); no scheduled start/stop until it is fixed`,
      );
    }
  }

  const cron = (name: string): CronSpec | undefined => {
    const t = tagValue(tags, name);
    if (!t) return undefined;
    const r = parseCronSpec(t.value);
    if ('error' in r) {
      fail(t, r.error);
      return undefined;
    }
    return zoneOk ? r.spec : undefined;
  };
  const stop = cron(TAGS.stop);
  const start = cron(TAGS.start);

  let skipDates: string[] = [];
  const skip = tagValue(tags, TAGS.skip);
  if (skip) {
    const r = parseSkipDates(skip.value);
    skipDates = r.dates;
    // A tag that does not parse (docs/tags.md) turns its feature off; a half-read skip list could let a
    // start or stop through on a date the owner meant to skip, so the whole list is off.
    if (r.bad.length > 0) {
      skipDates = [];
      fail(
        skip,
        `${r.bad.slice(0, 3).join('; ')}${r.bad.length > 3 ? `; and ${r.bad.length - 3} more` : ''}; the skip list is off (no date is skipped) until it is fixed`,
      );
    }
  }

  let ring = 5;
  let ringOk = true;
  const ringTag = tagValue(tags, TAGS.ring);
  if (ringTag) {
    if (/^\s*\d\s*$/.test(ringTag.value)) ring = Number(ringTag.value.trim());
    else {
      ringOk = false;
      fail(
        ringTag,
        'expected a whole number from 0 to 9; no automatic node-image or Kubernetes upgrades (reported only) until it is fixed',
      );
    }
  }

  let nodeImage: NodeImageMode = 'notify';
  const ni = tagValue(tags, TAGS.nodeImage);
  if (ni) {
    const v = oneOf(ni.value, ['auto', 'notify', 'off'] as const);
    if (v) nodeImage = v;
    else {
      nodeImage = 'off';
      fail(ni, 'expected auto, notify or off; node-image upgrades are off until it is fixed');
    }
  }

  let upgrade: UpgradeMode = 'notify';
  const up = tagValue(tags, TAGS.upgrade);
  if (up) {
    const v = oneOf(up.value, ['patch', 'minor', 'notify', 'off'] as const);
    if (v) upgrade = v;
    else {
      upgrade = 'off';
      fail(up, 'expected patch, minor, notify or off; Kubernetes upgrades are off until it is fixed');
    }
  }

  // Without a ring the cluster cannot take its place in the rollout order: not opted in to automatic upgrades.
  if (!ringOk) {
    if (nodeImage === 'auto') nodeImage = 'notify';
    if (upgrade === 'patch' || upgrade === 'minor') upgrade = 'notify';
  }

  let protect = false;
  const pr = tagValue(tags, TAGS.protect);
  if (pr) {
    const v = pr.value.trim().toLowerCase();
    if (v === 'true') protect = true;
    else if (v !== 'false') {
      protect = true;
      fail(pr, 'expected true; treated as protected until it is fixed');
    }
  }

  const prod = ['environment', 'env'].some((k) => {
    const v = tagValue(tags, k)?.value.trim().toLowerCase();
    return v === 'prod' || v === 'production';
  });

  return { stop, start, timezone, skipDates, ring, nodeImage, upgrade, protect, prod, errors };
}

/** One line for the `plan` table, e.g. `stop 0 19 * * 1-5 / start 30 7 * * 1-5 Europe/Paris; ring 1; node-image auto; upgrade notify`. */
export function describePolicy(p: ClusterPolicy): string {
  const power = [p.stop && `stop ${p.stop.expression}`, p.start && `start ${p.start.expression}`]
    .filter(Boolean)
    .join(' / ');
  const parts = [power ? `${power} ${p.timezone}` : 'no power schedule'];
  if (power && p.skipDates.length > 0) parts.push(`skip ${p.skipDates.join(',')}`);
  parts.push(`ring ${p.ring}`, `node-image ${p.nodeImage}`, `upgrade ${p.upgrade}`);
  if (p.prod) parts.push('prod');
  if (p.protect) parts.push('protected');
  if (p.errors.length > 0) parts.push(`${p.errors.length} tag error${p.errors.length === 1 ? '' : 's'}`);
  return parts.join('; ');
}
