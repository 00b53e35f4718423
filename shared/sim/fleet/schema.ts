/**
 * The fleet file: what the simulator serves (subscriptions, resource groups, clusters, pools,
 * maintenance configurations, PDBs, run-command outputs), the versions and node images each region
 * offers, timings, throttling and faults. Strict: a typo or a wrong type names its path.
 */
import { z } from 'zod';
import { DEFAULT_LAG_SECONDS } from '../resourceGraphIndex';

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const VERSION = /^\d+\.\d+\.\d+$/;
const MINOR = /^\d+\.\d+$/;
const CLUSTER_NAME = /^[a-zA-Z0-9]$|^[a-zA-Z0-9][-_a-zA-Z0-9]{0,61}[a-zA-Z0-9]$/;
const POOL_NAME = /^[a-z][a-z0-9]{0,11}$/;
const SURGE = /^\d+%?$/;

const guid = z.string().regex(GUID, 'expected a GUID like 00000000-0000-0000-0000-000000000000');
const version = z.string().regex(VERSION, 'expected a Kubernetes version major.minor.patch, e.g. 1.33.5');

export const UpgradeSettingsSchema = z.strictObject({
  maxSurge: z.string().regex(SURGE, 'expected an integer ("3") or a percentage ("33%")').optional(),
  maxUnavailable: z.string().regex(SURGE, 'expected an integer ("0") or a percentage ("10%")').optional(),
  drainTimeoutInMinutes: z.int().min(1).max(1440).optional(),
  nodeSoakDurationInMinutes: z.int().min(0).max(30).optional(),
  undrainableNodeBehavior: z.enum(['Cordon', 'Schedule']).optional(),
});

export const PoolSchema = z.strictObject({
  name: z.string().regex(POOL_NAME, 'expected a pool name: 1-12 characters a-z0-9, starting with a letter'),
  count: z.int().min(0).max(5000),
  vmSize: z.string().default('Standard_D4ds_v5'),
  osType: z.enum(['Linux', 'Windows']).default('Linux'),
  osSku: z.string().optional().describe('e.g. Ubuntu, AzureLinux, Windows2022'),
  mode: z.enum(['System', 'User']).default('User'),
  orchestratorVersion: version.optional().describe("defaults to the cluster's kubernetesVersion"),
  nodeImageVersion: z
    .string()
    .regex(/^.+-[^-]+$/, 'expected <image family>-<version>, e.g. AKSUbuntu-2204gen2containerd-202610.07.0'),
  latestNodeImageVersion: z
    .string()
    .regex(/^.+-[^-]+$/, 'expected <image family>-<version>')
    .optional()
    .describe(
      "what this pool's upgrade profile answers instead of its region's latest of its family (AKS moving one pool to another image)",
    ),
  powerState: z.enum(['Running', 'Stopped']).optional(),
  provisioningState: z.string().default('Succeeded'),
  upgradeSettings: UpgradeSettingsSchema.optional(),
  vnetSubnetId: z
    .string()
    .regex(
      /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/virtualNetworks\/[^/]+\/subnets\/[^/]+$/i,
      'expected a subnet resource id /subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.Network/virtualNetworks/<vnet>/subnets/<subnet>',
    )
    .optional()
    .describe('the subnet its nodes take IPs from (served as vnetSubnetID)'),
  properties: z.record(z.string(), z.unknown()).optional().describe('further ARM properties served verbatim'),
});

export const PdbSchema = z.strictObject({
  namespace: z.string().min(1),
  name: z.string().min(1),
  pod: z.string().min(1).optional().describe('a pod it protects (for the drain failure message)'),
  minAvailable: z.union([z.int(), z.string()]).optional(),
  maxUnavailable: z.union([z.int(), z.string()]).optional(),
  blocksDrain: z
    .boolean()
    .default(true)
    .describe('true: pool upgrades fail with UpgradeFailed after the drain timeout'),
  pools: z.array(z.string()).optional().describe('pools whose drain it blocks (default: all)'),
});

export const RunCommandOutputSchema = z.strictObject({
  exitCode: z.int().default(0),
  logs: z.string().default(''),
  provisioningState: z.enum(['succeeded', 'failed']).default('succeeded'),
  reason: z.string().optional(),
});

export const AuditEventSchema = z.strictObject({
  hoursAgo: z
    .number()
    .min(0)
    .optional()
    .describe('when: hours before the virtual now at query time (default 1, so rows stay recent)'),
  time: z
    .string()
    .regex(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?Z$/,
      'expected an ISO UTC time, e.g. 2026-01-10T08:00:00Z',
    )
    .optional()
    .describe('when, as a fixed time (instead of hoursAgo)'),
  verb: z.string().min(1).default('list'),
  requestUri: z.string().min(1),
  userAgent: z.string().default('kubectl/v1.33.5 (linux/amd64) kubernetes/0a1b2c3'),
  user: z.string().default('system:serviceaccount:default:default'),
  objectRef: z
    .strictObject({
      apiGroup: z.string().optional(),
      apiVersion: z.string().min(1),
      resource: z.string().min(1),
      namespace: z.string().optional(),
      name: z.string().optional(),
    })
    .optional(),
  annotations: z
    .record(z.string(), z.string())
    .default({})
    .describe('audit annotations, e.g. {"k8s.io/deprecated": "true", "k8s.io/removed-release": "1.32"}'),
  responseCode: z.int().default(200),
  repeat: z
    .int()
    .min(1)
    .max(10000)
    .default(1)
    .describe('this many rows, one minute apart (older ones first)'),
});

export const AuditLogsSchema = z.strictObject({
  destination: z
    .enum(['resourceSpecific', 'azureDiagnostics'])
    .default('resourceSpecific')
    .describe(
      'resourceSpecific: AKSAudit / AKSAuditAdmin tables; azureDiagnostics: AzureDiagnostics (log_s)',
    ),
  categories: z
    .array(z.enum(['kube-audit', 'kube-audit-admin']))
    .default(['kube-audit-admin'])
    .describe('diagnostic categories sent (kube-audit-admin leaves out get, list and watch)'),
  events: z.array(AuditEventSchema).default([]),
});

export const ClusterSchema = z.strictObject({
  name: z.string().regex(CLUSTER_NAME, 'expected a cluster name: 1-63 characters a-zA-Z0-9, - and _'),
  location: z.string().min(1),
  kubernetesVersion: version,
  tags: z.record(z.string(), z.string()).default({}),
  powerState: z.enum(['Running', 'Stopped']).default('Running'),
  provisioningState: z.string().default('Succeeded'),
  upgradeChannel: z.enum(['none', 'patch', 'stable', 'rapid', 'node-image']).optional(),
  nodeOSUpgradeChannel: z.enum(['None', 'Unmanaged', 'SecurityPatch', 'NodeImage']).optional(),
  supportPlan: z.enum(['KubernetesOfficial', 'AKSLongTermSupport']).default('KubernetesOfficial'),
  skuTier: z.enum(['Free', 'Standard', 'Premium']).default('Standard'),
  pools: z.array(PoolSchema).min(1, 'expected at least one pool'),
  maintenanceConfigurations: z
    .record(z.string(), z.record(z.string(), z.unknown()))
    .default({})
    .describe('name -> ARM `properties` served verbatim (e.g. {"maintenanceWindow": {...}})'),
  podDisruptionBudgets: z.array(PdbSchema).default([]),
  runCommands: z
    .record(z.string(), RunCommandOutputSchema)
    .default({})
    .describe(
      'command -> output; `kubectl get pdb -A` is answered from podDisruptionBudgets unless given here',
    ),
  auditLogs: AuditLogsSchema.optional().describe('audit rows the Logs Query API serves for this cluster'),
  properties: z.record(z.string(), z.unknown()).optional().describe('further ARM properties served verbatim'),
  resource: z
    .record(z.string(), z.unknown())
    .optional()
    .describe('further top-level ARM fields served verbatim (identity, sku, eTag, systemData)'),
});

const CIDR = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\/([0-9]|[12]\d|3[0-2])$/;

export const SubnetSchema = z.strictObject({
  name: z.string().min(1).max(80),
  addressPrefix: z.string().regex(CIDR, 'expected an IPv4 CIDR, e.g. 10.224.0.0/24'),
  usedIps: z
    .int()
    .min(0)
    .optional()
    .describe(
      'IPs in use (default: from the pools on it: per node 1, or 1 + maxPods for Azure CNI without overlay)',
    ),
});

export const VirtualNetworkSchema = z.strictObject({
  name: z.string().min(1).max(64),
  location: z.string().min(1),
  addressPrefixes: z.array(z.string().regex(CIDR, 'expected an IPv4 CIDR')).min(1),
  subnets: z.array(SubnetSchema).default([]),
});

export const ResourceGroupSchema = z.strictObject({
  name: z.string().min(1).max(90),
  clusters: z.array(ClusterSchema).default([]),
  virtualNetworks: z.array(VirtualNetworkSchema).default([]),
});

export const QuotaSchema = z.strictObject({
  limit: z.int().min(0),
  currentValue: z
    .int()
    .min(0)
    .optional()
    .describe("in use (default: the fleet's pools in this subscription and region)"),
});

export const SubscriptionSchema = z.strictObject({
  id: guid,
  displayName: z.string().min(1),
  tenantId: guid.optional(),
  readable: z
    .boolean()
    .default(true)
    .describe(
      'false: the identity has no role on it: left out of the subscriptions list, 403 AuthorizationFailed on every ARM call, invisible to Resource Graph',
    ),
  resourceGroups: z.array(ResourceGroupSchema).default([]),
  quotas: z
    .record(z.string(), z.record(z.string(), QuotaSchema))
    .default({})
    .describe(
      'location -> usage name (cores, virtualMachines, standardDDSv5Family, ...) -> quota; unnamed ones default to a large limit',
    ),
});

export const MinorVersionSchema = z.strictObject({
  version: z.string().regex(MINOR, 'expected major.minor, e.g. 1.33'),
  patches: z.array(version).min(1),
  isPreview: z.boolean().optional(),
  isDefault: z.boolean().optional(),
  supportPlan: z
    .array(z.enum(['KubernetesOfficial', 'AKSLongTermSupport']))
    .default(['KubernetesOfficial'])
    .describe('["AKSLongTermSupport"] alone = LTS only'),
});

export const LocationSchema = z.strictObject({
  kubernetesVersions: z.array(MinorVersionSchema).min(1),
  calendarFrom: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD')
    .optional()
    .describe(
      'from this day (virtual clock) the region offers what the AKS support calendar gives for the day instead of kubernetesVersions',
    ),
  latestNodeImages: z
    .array(z.string().regex(/^.+-[^-]+$/, 'expected <image family>-<version>'))
    .default([])
    .describe('latest node image of each family (family = the part before the last "-")'),
});

export const TimingsSchema = z.strictObject({
  stopSeconds: z.number().min(0).default(120),
  startSeconds: z.number().min(0).default(180),
  controlPlaneUpgradeSeconds: z.number().min(0).default(300),
  perBatchSeconds: z.number().min(0).default(180).describe('one surge batch of a version upgrade'),
  nodeImagePerBatchSeconds: z
    .number()
    .min(0)
    .default(150)
    .describe('one surge batch of a node-image upgrade'),
  updateSeconds: z.number().min(0).default(30).describe('a PUT that changes no version'),
  createSeconds: z.number().min(0).default(300),
  runCommandSeconds: z.number().min(0).default(3),
});

const BucketSchema = z.strictObject({ bucket: z.number().min(0), refillPerSecond: z.number().min(0) });

export const ThrottlingSchema = z.strictObject({
  enabled: z.boolean().default(true),
  reads: BucketSchema.default({ bucket: 250, refillPerSecond: 25 }),
  writes: BucketSchema.default({ bucket: 200, refillPerSecond: 10 }),
  deletes: BucketSchema.default({ bucket: 200, refillPerSecond: 10 }),
});

export const FaultMatchSchema = z.strictObject({
  method: z.string().optional(),
  operation: z
    .string()
    .optional()
    .describe('operationId, e.g. ManagedClusters_Get, AgentPools_CreateOrUpdate'),
  path: z
    .string()
    .optional()
    .describe('regular expression tested against the request path (case-insensitive)'),
  subscription: z.string().optional(),
  cluster: z.string().optional(),
});

export const FaultSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('httpStatus'),
    id: z.string().optional(),
    match: FaultMatchSchema.default({}),
    status: z.int().min(400).max(599),
    code: z.string().optional(),
    message: z.string().optional(),
    retryAfterSeconds: z.int().min(0).optional(),
    times: z
      .int()
      .min(1)
      .optional()
      .describe('answer this many matching requests, then stop (default: always)'),
    rate: z.number().min(0).max(1).optional().describe('probability per matching request (default 1)'),
  }),
  z.strictObject({
    type: z.literal('latency'),
    id: z.string().optional(),
    match: FaultMatchSchema.default({}),
    ms: z.int().min(0),
    afterHandling: z
      .boolean()
      .optional()
      .describe(
        'delay the answer after the request was carried out (ARM has accepted the change; the caller still waits): a crash window',
      ),
    times: z.int().min(1).optional(),
    rate: z.number().min(0).max(1).optional(),
  }),
  z.strictObject({
    type: z.literal('dropResponse'),
    id: z.string().optional(),
    match: FaultMatchSchema.default({}),
    times: z
      .int()
      .min(1)
      .optional()
      .describe('drop the answer to this many accepted requests, then stop (default: always)'),
    rate: z.number().min(0).max(1).optional(),
  }),
  z.strictObject({
    type: z.literal('operationFailure'),
    id: z.string().optional(),
    cluster: z.string().min(1).describe('cluster name or resource id'),
    pool: z.string().optional(),
    operation: z.enum(['upgrade', 'nodeImageUpgrade', 'stop', 'start', 'update', 'any']).default('any'),
    code: z.string().default('UpgradeFailed'),
    message: z.string().optional(),
    afterSeconds: z
      .number()
      .min(0)
      .optional()
      .describe('virtual seconds into the operation (default: half way)'),
    times: z.int().min(1).default(1),
  }),
]);

export const FleetFileSchema = z.strictObject({
  $schema: z.string().optional(),
  tenantId: guid.default('d2d2d2d2-0000-4000-8000-000000000001'),
  subscriptions: z.array(SubscriptionSchema).min(1),
  locations: z.record(z.string(), LocationSchema),
  timings: TimingsSchema.default(TimingsSchema.parse({})),
  throttling: ThrottlingSchema.default(ThrottlingSchema.parse({})),
  paging: z.strictObject({ pageSize: z.int().min(1).max(1000).default(100) }).default({ pageSize: 100 }),
  resourceGraph: z
    .strictObject({
      lagSeconds: z
        .number()
        .min(0)
        .default(DEFAULT_LAG_SECONDS)
        .describe('virtual seconds the Resource Graph index follows ARM behind; 0 = always current'),
    })
    .default({ lagSeconds: DEFAULT_LAG_SECONDS }),
  faults: z.array(FaultSchema).default([]),
  vmSizes: z
    .record(z.string(), z.strictObject({ family: z.string().min(1), vCPUs: z.int().min(1) }))
    .default({})
    .describe('VM sizes beyond the built-in table: name -> quota family and vCPUs'),
  logAnalytics: z
    .strictObject({
      workspaceIds: z
        .array(guid)
        .min(1)
        .default(['d2d2d2d2-0000-4000-8000-0000000000aa'])
        .describe('workspaces the Logs Query API answers for; each holds the audit rows of every cluster'),
    })
    .default({ workspaceIds: ['d2d2d2d2-0000-4000-8000-0000000000aa'] }),
});

export type FleetFile = z.input<typeof FleetFileSchema>;
export type Fleet = z.output<typeof FleetFileSchema>;
export type FleetCluster = z.output<typeof ClusterSchema>;
export type FleetPool = z.output<typeof PoolSchema>;
export type FleetAuditLogs = z.output<typeof AuditLogsSchema>;
export type FleetLocation = z.output<typeof LocationSchema>;
export type Timings = z.output<typeof TimingsSchema>;
export type Fault = z.output<typeof FaultSchema>;
export type FaultInput = z.input<typeof FaultSchema>;

/** The JSON Schema of the fleet file (committed as fleet.schema.json). */
export function fleetJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(FleetFileSchema, { io: 'input', target: 'draft-2020-12' });
}

export class FleetFileError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`fleet file ${source} is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'FleetFileError';
  }
}

function pathText(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out || '(root)';
}

function majorMinor(v: string): string {
  return v.split('.').slice(0, 2).join('.');
}

function cmp(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** Cross-field checks zod cannot express per field: locations exist, names unique, pool <= control plane. */
function crossCheck(f: Fleet): string[] {
  const problems: string[] = [];
  const subs = new Set<string>();
  f.subscriptions.forEach((s, si) => {
    if (subs.has(s.id.toLowerCase()))
      problems.push(`subscriptions[${si}].id: duplicate subscription ${s.id}`);
    subs.add(s.id.toLowerCase());
    const rgs = new Set<string>();
    s.resourceGroups.forEach((rg, gi) => {
      if (rgs.has(rg.name.toLowerCase()))
        problems.push(`subscriptions[${si}].resourceGroups[${gi}].name: duplicate resource group ${rg.name}`);
      rgs.add(rg.name.toLowerCase());
      const names = new Set<string>();
      rg.clusters.forEach((c, ci) => {
        const at = `subscriptions[${si}].resourceGroups[${gi}].clusters[${ci}]`;
        if (names.has(c.name.toLowerCase()))
          problems.push(`${at}.name: duplicate cluster ${c.name} in resource group ${rg.name}`);
        names.add(c.name.toLowerCase());
        if (!f.locations[c.location]) {
          problems.push(
            `${at}.location: "${c.location}" is not described in "locations" (known: ${Object.keys(f.locations).join(', ') || 'none'})`,
          );
        }
        const pools = new Set<string>();
        c.pools.forEach((p, pi) => {
          if (pools.has(p.name)) problems.push(`${at}.pools[${pi}].name: duplicate pool ${p.name}`);
          pools.add(p.name);
          if (p.orchestratorVersion && cmp(p.orchestratorVersion, c.kubernetesVersion) > 0) {
            problems.push(
              `${at}.pools[${pi}].orchestratorVersion: ${p.orchestratorVersion} is newer than the control plane ${c.kubernetesVersion}`,
            );
          }
        });
        if (!c.pools.some((p) => p.mode === 'System'))
          problems.push(`${at}.pools: expected at least one pool with mode "System"`);
      });
    });
  });
  for (const [loc, l] of Object.entries(f.locations)) {
    l.kubernetesVersions.forEach((mv, i) => {
      mv.patches.forEach((p, j) => {
        if (majorMinor(p) !== mv.version)
          problems.push(
            `locations.${loc}.kubernetesVersions[${i}].patches[${j}]: ${p} is not a patch of ${mv.version}`,
          );
      });
    });
  }
  return problems;
}

/** Parses and checks a fleet file; throws FleetFileError listing every problem with its path. */
export function parseFleet(input: unknown, source = '(inline)'): Fleet {
  const r = FleetFileSchema.safeParse(input);
  if (!r.success) {
    throw new FleetFileError(
      source,
      r.error.issues.map((i) => `${pathText(i.path)}: ${i.message}`),
    );
  }
  const problems = crossCheck(r.data);
  if (problems.length) throw new FleetFileError(source, problems);
  return r.data;
}
