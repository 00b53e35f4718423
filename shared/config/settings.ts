import fs from 'node:fs';
import { z } from 'zod';
import { CronExpressionParser } from 'cron-parser';
import { IANAZone } from 'luxon';
import { Day2Error } from '../errors';
import { parseMaintenanceWindowSetting, type WindowSetting } from './maintenanceWindowSetting';

/** Settings (docs/settings.md), parsed and validated once at start-up. */
export interface Settings {
  /** Subscription ids in scope; empty = every subscription the identity can list. */
  subscriptions: string[];
  armEndpoint: string;
  /** `default`: DefaultAzureCredential. `local`: a fixed token, only against a loopback endpoint (the simulator). */
  auth: 'default' | 'local';
  /** PEM of an extra CA to trust for ARM, Teams and Logs endpoints (the simulator's). Never set in Azure. */
  localCaCert?: string;
  dryRun: boolean;
  teamsWebhookUrl?: string;
  /** Decoded bytes of the Teams outgoing-webhook security token (HMAC key). */
  teamsOutgoingSecret?: Buffer;
  logs?: { endpoint: string; ruleId: string; stream: string };
  logsWorkspaceId?: string;
  chatopsRoles: Record<string, 'reader' | 'operator' | 'approver'>;
  defaultTimezone: string;
  catchupMinutes: number;
  maintenanceWindow?: WindowSetting;
  supportWarnDays: number;
  ringSoakHours: number;
  crons: {
    power: string;
    nodeImage: string;
    version: string;
    sweep: string;
    upgrade: string;
    housekeeping: string;
  };
  /** How far clusters on an unsupported version are upgraded even without `day2-upgrade`. */
  upgradeUnsupported: 'notify' | 'patch' | 'minor';
  /** Days the app keeps its own state and run records. */
  retentionDays: number;
  /** Hours a card or row is retried on transient failures before it is parked. */
  deliveryRetryHours: number;
  /** `digest`: routine successes of unattended jobs fold into one daily card per job; `each`: a card per run. */
  teamsRoutine: 'digest' | 'each';
  /** A cluster listing younger than this is fresh enough to act on without a re-read (AKS's 409 still guards). */
  listingMaxAgeSeconds: number;
  storageConnectionString: string;
  /**
   * App Service authentication (Easy Auth) is on: the platform sets `WEBSITE_AUTH_ENABLED`. HTTP callers
   * are then identified by `x-ms-client-principal` and need an app role.
   */
  easyAuth: boolean;
}

export const SETTING_DEFAULTS = {
  DAY2_ARM_ENDPOINT: 'https://management.azure.com',
  DAY2_DEFAULT_TIMEZONE: 'UTC',
  DAY2_CATCHUP_MINUTES: '30',
  DAY2_SUPPORT_WARN_DAYS: '60',
  DAY2_RING_SOAK_HOURS: '24',
  DAY2_LOGS_STREAM: 'Custom-AksDay2Ops_CL',
  DAY2_POWER_CRON: '0 */5 * * * *',
  DAY2_NODE_IMAGE_CRON: '0 0 * * * *',
  DAY2_VERSION_CRON: '0 0 6 * * *',
  DAY2_SWEEP_CRON: '0 * * * * *',
  DAY2_UPGRADE_CRON: '0 30 * * * *',
  DAY2_HOUSEKEEPING_CRON: '0 15 3 * * *',
  DAY2_UPGRADE_UNSUPPORTED: 'notify',
  DAY2_RETENTION_DAYS: '90',
  DAY2_DELIVERY_RETRY_HOURS: '24',
  DAY2_TEAMS_ROUTINE: 'digest',
  DAY2_LISTING_MAX_AGE_SECONDS: '30',
} as const;

/** Every setting the app reads: the contract with infra/ (checked by a test). */
export const SETTING_NAMES = [
  'DAY2_SUBSCRIPTIONS',
  'DAY2_ARM_ENDPOINT',
  'DAY2_AUTH',
  'DAY2_LOCAL_CA_CERT',
  'DAY2_DRY_RUN',
  'DAY2_TEAMS_WEBHOOK_URL',
  'DAY2_TEAMS_OUTGOING_SECRET',
  'DAY2_LOGS_ENDPOINT',
  'DAY2_LOGS_RULE_ID',
  'DAY2_LOGS_STREAM',
  'DAY2_LOGS_WORKSPACE_ID',
  'DAY2_CHATOPS_ROLES',
  'DAY2_DEFAULT_TIMEZONE',
  'DAY2_CATCHUP_MINUTES',
  'DAY2_MAINTENANCE_WINDOW',
  'DAY2_SUPPORT_WARN_DAYS',
  'DAY2_RING_SOAK_HOURS',
  'DAY2_POWER_CRON',
  'DAY2_NODE_IMAGE_CRON',
  'DAY2_VERSION_CRON',
  'DAY2_SWEEP_CRON',
  'DAY2_UPGRADE_CRON',
  'DAY2_HOUSEKEEPING_CRON',
  'DAY2_UPGRADE_UNSUPPORTED',
  'DAY2_RETENTION_DAYS',
  'DAY2_DELIVERY_RETRY_HOURS',
  'DAY2_TEAMS_ROUTINE',
  'DAY2_LISTING_MAX_AGE_SECONDS',
  'AzureWebJobsStorage',
] as const;

/** Variables the App Service platform sets itself (not app settings infra/ writes). */
export const PLATFORM_SETTING_NAMES = ['WEBSITE_AUTH_ENABLED'] as const;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const blankToUndefined = (v: unknown): unknown => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalString = z.preprocess(blankToUndefined, z.string().trim().optional());
const httpsUrl = (allowLoopbackHttp: boolean) =>
  z
    .url({ message: 'expected an absolute https:// URL' })
    .refine(
      (u) =>
        u.startsWith('https://') || (allowLoopbackHttp && /^http:\/\/(127\.0\.0\.1|localhost)[:/]/.test(u)),
      'expected an https:// URL',
    );
const intInRange = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, `expected a whole number from ${min} to ${max}`)
    .transform(Number)
    .refine((n) => n >= min && n <= max, `expected a whole number from ${min} to ${max}`);
const ncrontab = z
  .string()
  .trim()
  .refine((v) => {
    const f = v.split(/\s+/);
    if (f.length !== 6) return false;
    try {
      CronExpressionParser.parse(v);
      return true;
    } catch {
      return false;
    }
  }, 'expected a six-field NCRONTAB expression (sec min hour day month weekday), e.g. "0 */5 * * * *"');
const ianaZone = z
  .string()
  .trim()
  .refine((z) => IANAZone.isValidZone(z), 'expected an IANA time zone such as Europe/Paris');

const EnvSchema = z.object({
  DAY2_SUBSCRIPTIONS: z.preprocess(blankToUndefined, z.string().optional()).transform((v, ctx) => {
    const ids = (v ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    for (const id of ids)
      if (!GUID.test(id))
        ctx.addIssue({ code: 'custom', message: `"${id}" is not a subscription id (a GUID)` });
    return ids;
  }),
  DAY2_ARM_ENDPOINT: z.preprocess(
    blankToUndefined,
    httpsUrl(false).default(SETTING_DEFAULTS.DAY2_ARM_ENDPOINT),
  ),
  DAY2_AUTH: z.preprocess(
    blankToUndefined,
    z.enum(['default', 'local'], { message: 'expected "default" or "local"' }).default('default'),
  ),
  DAY2_LOCAL_CA_CERT: optionalString.transform((p, ctx) => {
    if (!p) return undefined;
    try {
      return fs.readFileSync(p, 'utf8');
    } catch (e) {
      ctx.addIssue({ code: 'custom', message: `cannot read PEM file ${p}: ${(e as Error).message}` });
      return z.NEVER;
    }
  }),
  DAY2_DRY_RUN: z
    .preprocess(
      blankToUndefined,
      z.enum(['true', 'false'], { message: 'expected "true" or "false"' }).default('false'),
    )
    .transform((v) => v === 'true'),
  DAY2_TEAMS_WEBHOOK_URL: z.preprocess(blankToUndefined, httpsUrl(false).optional()),
  DAY2_TEAMS_OUTGOING_SECRET: optionalString.transform((v, ctx) => {
    if (!v) return undefined;
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(v)) {
      ctx.addIssue({
        code: 'custom',
        message: 'expected the base64 security token Teams shows when the outgoing webhook is created',
      });
      return z.NEVER;
    }
    return Buffer.from(v, 'base64');
  }),
  DAY2_LOGS_ENDPOINT: z.preprocess(blankToUndefined, httpsUrl(false).optional()),
  DAY2_LOGS_RULE_ID: z.preprocess(
    blankToUndefined,
    z
      .string()
      .regex(/^dcr-[0-9a-f]{32}$/, 'expected a DCR immutable id such as dcr-0123456789abcdef0123456789abcdef')
      .optional(),
  ),
  DAY2_LOGS_STREAM: z.preprocess(
    blankToUndefined,
    z
      .string()
      .regex(/^Custom-[A-Za-z0-9_]+$/, 'expected a stream name such as Custom-AksDay2Ops_CL')
      .default(SETTING_DEFAULTS.DAY2_LOGS_STREAM),
  ),
  DAY2_LOGS_WORKSPACE_ID: z.preprocess(
    blankToUndefined,
    z.string().regex(GUID, 'expected a Log Analytics workspace id (a GUID)').optional(),
  ),
  DAY2_CHATOPS_ROLES: optionalString.transform((v, ctx) => {
    if (!v) return {};
    let parsed: unknown;
    try {
      parsed = JSON.parse(v);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'expected JSON such as {"<entra object id>":"operator"}' });
      return z.NEVER;
    }
    const r = z
      .record(
        z.string().regex(GUID, 'keys must be Entra object ids (GUIDs)'),
        z.enum(['reader', 'operator', 'approver'], { message: 'roles are reader, operator or approver' }),
      )
      .safeParse(parsed);
    if (!r.success) {
      ctx.addIssue({ code: 'custom', message: r.error.issues.map((i) => i.message).join('; ') });
      return z.NEVER;
    }
    return r.data;
  }),
  DAY2_DEFAULT_TIMEZONE: z.preprocess(
    blankToUndefined,
    ianaZone.default(SETTING_DEFAULTS.DAY2_DEFAULT_TIMEZONE),
  ),
  DAY2_CATCHUP_MINUTES: z.preprocess(
    blankToUndefined,
    intInRange(0, 1440).default(Number(SETTING_DEFAULTS.DAY2_CATCHUP_MINUTES)),
  ),
  DAY2_MAINTENANCE_WINDOW: optionalString.transform((v, ctx) => {
    if (!v) return undefined;
    const r = parseMaintenanceWindowSetting(v);
    if ('error' in r) {
      ctx.addIssue({ code: 'custom', message: r.error });
      return z.NEVER;
    }
    return r.window;
  }),
  DAY2_SUPPORT_WARN_DAYS: z.preprocess(
    blankToUndefined,
    intInRange(1, 730).default(Number(SETTING_DEFAULTS.DAY2_SUPPORT_WARN_DAYS)),
  ),
  DAY2_RING_SOAK_HOURS: z.preprocess(
    blankToUndefined,
    intInRange(0, 720).default(Number(SETTING_DEFAULTS.DAY2_RING_SOAK_HOURS)),
  ),
  DAY2_POWER_CRON: z.preprocess(blankToUndefined, ncrontab.default(SETTING_DEFAULTS.DAY2_POWER_CRON)),
  DAY2_NODE_IMAGE_CRON: z.preprocess(
    blankToUndefined,
    ncrontab.default(SETTING_DEFAULTS.DAY2_NODE_IMAGE_CRON),
  ),
  DAY2_VERSION_CRON: z.preprocess(blankToUndefined, ncrontab.default(SETTING_DEFAULTS.DAY2_VERSION_CRON)),
  DAY2_SWEEP_CRON: z.preprocess(blankToUndefined, ncrontab.default(SETTING_DEFAULTS.DAY2_SWEEP_CRON)),
  DAY2_UPGRADE_CRON: z.preprocess(blankToUndefined, ncrontab.default(SETTING_DEFAULTS.DAY2_UPGRADE_CRON)),
  DAY2_HOUSEKEEPING_CRON: z.preprocess(
    blankToUndefined,
    ncrontab.default(SETTING_DEFAULTS.DAY2_HOUSEKEEPING_CRON),
  ),
  DAY2_UPGRADE_UNSUPPORTED: z.preprocess(
    blankToUndefined,
    z
      .enum(['notify', 'patch', 'minor'], { message: 'expected "notify", "patch" or "minor"' })
      .default(SETTING_DEFAULTS.DAY2_UPGRADE_UNSUPPORTED),
  ),
  DAY2_RETENTION_DAYS: z.preprocess(
    blankToUndefined,
    intInRange(7, 3650).default(Number(SETTING_DEFAULTS.DAY2_RETENTION_DAYS)),
  ),
  DAY2_DELIVERY_RETRY_HOURS: z.preprocess(
    blankToUndefined,
    intInRange(1, 720).default(Number(SETTING_DEFAULTS.DAY2_DELIVERY_RETRY_HOURS)),
  ),
  DAY2_TEAMS_ROUTINE: z.preprocess(
    blankToUndefined,
    z
      .enum(['digest', 'each'], { message: 'expected "digest" or "each"' })
      .default(SETTING_DEFAULTS.DAY2_TEAMS_ROUTINE),
  ),
  DAY2_LISTING_MAX_AGE_SECONDS: z.preprocess(
    blankToUndefined,
    intInRange(0, 600).default(Number(SETTING_DEFAULTS.DAY2_LISTING_MAX_AGE_SECONDS)),
  ),
  WEBSITE_AUTH_ENABLED: z
    .preprocess(blankToUndefined, z.string().optional())
    .transform((v) => v?.trim().toLowerCase() === 'true'),
  AzureWebJobsStorage: z.preprocess(
    blankToUndefined,
    z
      .string({
        message: "required: a storage connection string (UseDevelopmentStorage=true or Azurite's locally)",
      })
      .refine(
        (v) => v === 'UseDevelopmentStorage=true' || /AccountName=|TableEndpoint=|BlobEndpoint=/.test(v),
        'expected a storage connection string',
      ),
  ),
});

/**
 * Reads and validates every setting from `env`. Throws one Day2Error('ConfigInvalid') naming every bad
 * setting and what was expected, so a deployment is fixed in one go.
 */
export function loadSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const r = EnvSchema.safeParse(env);
  const problems: string[] = [];
  if (!r.success) {
    for (const issue of r.error.issues) problems.push(`${String(issue.path[0] ?? '?')}: ${issue.message}`);
  } else {
    const e = r.data;
    const logsSet = [e.DAY2_LOGS_ENDPOINT, e.DAY2_LOGS_RULE_ID].filter(Boolean).length;
    if (logsSet === 1)
      problems.push(
        'DAY2_LOGS_ENDPOINT, DAY2_LOGS_RULE_ID: set both (Logs Ingestion endpoint and DCR immutable id) or neither',
      );
    if (e.DAY2_AUTH === 'local' && !/^https:\/\/(127\.0\.0\.1|localhost)[:/]/.test(e.DAY2_ARM_ENDPOINT)) {
      problems.push(
        'DAY2_AUTH: "local" is only allowed with a loopback DAY2_ARM_ENDPOINT (the simulator); use "default" against Azure',
      );
    }
  }
  if (problems.length > 0 || !r.success) {
    throw new Day2Error('ConfigInvalid', `Invalid settings:\n  - ${problems.join('\n  - ')}`, {
      operation: 'load settings',
    });
  }
  const e = r.data;
  return {
    subscriptions: e.DAY2_SUBSCRIPTIONS,
    armEndpoint: e.DAY2_ARM_ENDPOINT.replace(/\/+$/, ''),
    auth: e.DAY2_AUTH,
    localCaCert: e.DAY2_LOCAL_CA_CERT,
    dryRun: e.DAY2_DRY_RUN,
    teamsWebhookUrl: e.DAY2_TEAMS_WEBHOOK_URL,
    teamsOutgoingSecret: e.DAY2_TEAMS_OUTGOING_SECRET,
    logs:
      e.DAY2_LOGS_ENDPOINT && e.DAY2_LOGS_RULE_ID
        ? { endpoint: e.DAY2_LOGS_ENDPOINT, ruleId: e.DAY2_LOGS_RULE_ID, stream: e.DAY2_LOGS_STREAM }
        : undefined,
    logsWorkspaceId: e.DAY2_LOGS_WORKSPACE_ID,
    chatopsRoles: e.DAY2_CHATOPS_ROLES,
    defaultTimezone: e.DAY2_DEFAULT_TIMEZONE,
    catchupMinutes: e.DAY2_CATCHUP_MINUTES,
    maintenanceWindow: e.DAY2_MAINTENANCE_WINDOW,
    supportWarnDays: e.DAY2_SUPPORT_WARN_DAYS,
    ringSoakHours: e.DAY2_RING_SOAK_HOURS,
    crons: {
      power: e.DAY2_POWER_CRON,
      nodeImage: e.DAY2_NODE_IMAGE_CRON,
      version: e.DAY2_VERSION_CRON,
      sweep: e.DAY2_SWEEP_CRON,
      upgrade: e.DAY2_UPGRADE_CRON,
      housekeeping: e.DAY2_HOUSEKEEPING_CRON,
    },
    upgradeUnsupported: e.DAY2_UPGRADE_UNSUPPORTED,
    retentionDays: e.DAY2_RETENTION_DAYS,
    deliveryRetryHours: e.DAY2_DELIVERY_RETRY_HOURS,
    teamsRoutine: e.DAY2_TEAMS_ROUTINE,
    listingMaxAgeSeconds: e.DAY2_LISTING_MAX_AGE_SECONDS,
    storageConnectionString: e.AzureWebJobsStorage,
    easyAuth: e.WEBSITE_AUTH_ENABLED,
  };
}
