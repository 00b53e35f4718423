import { z } from 'zod';
import { parseClusterId } from '../fleet/cluster';
import type { RunState } from '../upgrades/api';

/** A cluster: its ARM resource id, or its name (unique in the subscriptions in scope). */
export const ClusterField = z
  .string({ message: 'expected a string: the cluster name or its resource id' })
  .trim()
  .min(1, 'expected the cluster name or its resource id')
  .max(400, 'at most 400 characters')
  .refine(
    (v) => parseClusterId(v) !== undefined || /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/.test(v),
    'expected an AKS cluster name (letters, digits, - and _, at most 63) or a managed cluster resource id',
  );

export const TargetField = z
  .string({ message: 'expected a string' })
  .regex(
    /^(\d{1,3}\.\d{1,3}\.\d{1,3}|latest-patch|next-minor)$/,
    'expected a Kubernetes version x.y.z, "latest-patch" or "next-minor"',
  );

export const MaxSurgeField = z
  .string({ message: 'expected a string such as "1", "3" or "33%"' })
  .regex(/^\d{1,4}%?$/, 'expected a node count ("3") or a percentage of the pool ("33%")')
  .refine((v) => {
    const n = Number(v.replace('%', ''));
    return v.endsWith('%') ? n >= 1 && n <= 100 : n >= 1 && n <= 1000;
  }, 'a node count from 1 to 1000, or a percentage from 1% to 100%');

const PoolName = z
  .string({ message: 'expected a node pool name' })
  .regex(/^[a-z][a-z0-9]{0,11}$/, 'expected a node pool name (lower-case letters and digits, at most 12)');

/** The `POST /api/upgrades` body, plus the pools subset and `wake` the command line also has. */
export const UpgradeRequestSchema = z
  .object(
    {
      cluster: ClusterField,
      to: TargetField.optional(),
      nodeImageOnly: z.boolean({ message: 'expected true or false' }).optional(),
      maxSurge: MaxSurgeField.optional(),
      dryRun: z.boolean({ message: 'expected true or false' }).optional(),
      force: z.boolean({ message: 'expected true or false' }).optional(),
      pools: z
        .array(PoolName, { message: 'expected an array of node pool names' })
        .min(1, 'name at least one pool, or leave pools out for all')
        .max(100, 'at most 100 pools')
        .optional(),
      wake: z.boolean({ message: 'expected true or false' }).optional(),
    },
    { message: 'expected a JSON object such as {"cluster":"aks-dev-weu-01","to":"latest-patch"}' },
  )
  .strict();

export type UpgradeRequest = z.infer<typeof UpgradeRequestSchema>;

/** Run states a list may be filtered by (the engine's, matched case-insensitively). */
export const RUN_STATES = [
  'Planned',
  'PreChecks',
  'AwaitingApproval',
  'Starting',
  'ControlPlane',
  'NodePools',
  'PostChecks',
  'Stopping',
  'Succeeded',
  'Failed',
  'Halted',
  'Cancelled',
] as const satisfies readonly RunState[];

// Every engine state is listed (a state added to the engine fails to compile here until it is).
type Missing = Exclude<RunState, (typeof RUN_STATES)[number]>;
export const EVERY_STATE_LISTED: Missing extends never ? true : Missing = true;

export const RunIdField = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'expected a run id (letters, digits, - and _, at most 64)');

export const ListQuerySchema = z.object({
  cluster: ClusterField.optional(),
  state: z
    .string()
    .refine(
      (v) => RUN_STATES.some((s) => s.toLowerCase() === v.toLowerCase()),
      `expected one of ${RUN_STATES.join(', ')}`,
    )
    .optional(),
  limit: z
    .string()
    .regex(/^\d{1,3}$/, 'expected a whole number from 1 to 100')
    .transform(Number)
    .refine((n) => n >= 1 && n <= 100, 'expected a whole number from 1 to 100')
    .optional(),
  cursor: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,200}$/, 'expected the cursor of a previous page (its "next" link)')
    .optional(),
});

/** Idempotency-Key header: 1 to 255 visible ASCII characters. */
export const IdempotencyKeyField = z
  .string()
  .regex(/^[\x21-\x7e]{1,255}$/, 'expected 1 to 255 visible ASCII characters (a UUID is a good key)');

/** A stable JSON text of a value (keys sorted): two bodies that mean the same hash the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}
