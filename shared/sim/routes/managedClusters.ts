/** Microsoft.ContainerService/managedClusters: list, get, PUT (upgrade/update/create), PATCH tags, start, stop, upgrade profile. */
import { badRequest, notRunning, stateConflict } from '../errors';
import type { SimContext } from '../context';
import { isRecord, route, type Route, type SimRequest, type SimResponse } from '../http';
import type { PoolChange } from '../operations';
import { assertIdle, assertRunning, clusterTarget, poolTarget } from '../rules';
import { clusterKey, etag, type ClusterState, type PoolState } from '../state';
import { clusterResource, clusterUpgradeProfile } from '../wire';
import { resolveVersion } from '../versions';
import { parseUpgradeSettings } from '../upgradeSettings';
import { surgeQuotaFailure } from '../capacity';
import {
  CL,
  checkClusterName,
  checkPoolName,
  deepMerge,
  isNonEmptyString,
  lroHeaders,
  page,
  requireCluster,
  requireResourceGroup,
  requireSubscription,
} from './common';

/** Cluster properties the simulator manages itself; everything else in a PUT is stored verbatim. */
const MANAGED = new Set([
  'provisioningState',
  'powerState',
  'kubernetesVersion',
  'currentKubernetesVersion',
  'agentPoolProfiles',
  'supportPlan',
  'fqdn',
  'azurePortalFQDN',
]);
const POOL_MANAGED = new Set([
  'name',
  'count',
  'vmSize',
  'osType',
  'osSKU',
  'mode',
  'orchestratorVersion',
  'currentOrchestratorVersion',
  'nodeImageVersion',
  'provisioningState',
  'powerState',
  'upgradeSettings',
  'eTag',
]);

function loc(ctx: SimContext, c: { location: string }) {
  const l = ctx.state.location(c.location);
  if (!l) {
    throw badRequest(
      'LocationNotAvailableForResourceType',
      `The provided location '${c.location}' is not available for resource type 'Microsoft.ContainerService/managedClusters'.`,
    );
  }
  return l;
}

function defaultImage(ctx: SimContext, location: string, osType: string): string {
  const images = ctx.state.location(location)?.latestNodeImages ?? [];
  const want = osType === 'Windows' ? 'AKSWindows' : 'AKSUbuntu';
  return (
    images.find((i) => i.startsWith(want)) ??
    (osType === 'Windows'
      ? 'AKSWindows-2022-containerd-20348.4294.251014'
      : 'AKSUbuntu-2204gen2containerd-202610.07.0')
  );
}

/** A pool from a request profile (cluster create, pool create). */
export function poolFromRequest(
  ctx: SimContext,
  location: string,
  name: string,
  props: Record<string, unknown>,
  version: string,
): PoolState {
  const osType = props.osType === 'Windows' ? 'Windows' : 'Linux';
  const extra: Record<string, unknown> = {};
  deepMerge(extra, props, POOL_MANAGED);
  return {
    name,
    count: typeof props.count === 'number' ? props.count : 3,
    vmSize: typeof props.vmSize === 'string' ? props.vmSize : 'Standard_D4ds_v5',
    osType,
    osSku: typeof props.osSKU === 'string' ? props.osSKU : undefined,
    mode: props.mode === 'System' ? 'System' : 'User',
    orchestratorVersion: version,
    currentOrchestratorVersion: version,
    nodeImageVersion: defaultImage(ctx, location, osType),
    provisioningState: 'Creating',
    powerState: 'Running',
    upgradeSettings: parseUpgradeSettings(props.upgradeSettings),
    eTag: etag(),
    extra,
  };
}

function applyAutoUpgrade(c: ClusterState, props: Record<string, unknown>): void {
  const au = props.autoUpgradeProfile;
  if (!isRecord(au)) return;
  if (typeof au.upgradeChannel === 'string') c.upgradeChannel = au.upgradeChannel;
  if (typeof au.nodeOSUpgradeChannel === 'string') c.nodeOSUpgradeChannel = au.nodeOSUpgradeChannel;
}

function create(ctx: SimContext, req: SimRequest, body: Record<string, unknown>): SimResponse {
  const { subscriptionId, resourceGroupName, resourceName } = req.params as Record<
    'subscriptionId' | 'resourceGroupName' | 'resourceName',
    string
  >;
  if (!isNonEmptyString(body.location))
    throw badRequest(
      'InvalidParameter',
      'The value of parameter location is invalid: a location is required.',
    );
  const props = isRecord(body.properties) ? body.properties : {};
  const l = loc(ctx, { location: body.location });
  const requested = isNonEmptyString(props.kubernetesVersion)
    ? props.kubernetesVersion
    : (l.kubernetesVersions.find((v) => v.isDefault)?.version ?? l.kubernetesVersions[0]!.version);
  const version = resolveVersion(l, requested);
  if (!version)
    throw badRequest('K8sVersionNotSupported', `Version ${requested} is not supported in this region.`);
  const profiles = Array.isArray(props.agentPoolProfiles) ? props.agentPoolProfiles.filter(isRecord) : [];
  if (profiles.length === 0)
    throw badRequest(
      'InvalidParameter',
      'The value of parameter agentPoolProfiles is invalid: at least one agent pool is required.',
    );
  const pools = profiles.map((p) => {
    const name = typeof p.name === 'string' ? p.name : '';
    checkPoolName(name);
    return poolFromRequest(ctx, body.location as string, name, p, version);
  });
  const extra: Record<string, unknown> = {};
  deepMerge(extra, props, MANAGED);
  const resource: Record<string, unknown> = {};
  deepMerge(resource, body, new Set(['properties', 'id', 'name', 'type', 'location', 'tags']));
  const c: ClusterState = {
    subscriptionId: ctx.state.subscription(subscriptionId)!.id,
    resourceGroup: resourceGroupName,
    name: resourceName,
    location: body.location,
    tags: isRecord(body.tags)
      ? Object.fromEntries(Object.entries(body.tags).map(([k, v]) => [k, String(v)]))
      : {},
    kubernetesVersion: version,
    currentKubernetesVersion: version,
    provisioningState: 'Creating',
    powerState: 'Running',
    supportPlan: props.supportPlan === 'AKSLongTermSupport' ? 'AKSLongTermSupport' : 'KubernetesOfficial',
    skuTier: isRecord(body.sku) && typeof body.sku.tier === 'string' ? body.sku.tier : 'Free',
    pools,
    maintenance: new Map(),
    pdbs: [],
    runCommands: {},
    extra,
    resource,
    eTag: etag(),
  };
  applyAutoUpgrade(c, props);
  ctx.state.clusters.set(clusterKey(c.subscriptionId, c.resourceGroup, c.name), c);
  const op = ctx.engine.begin(c, {
    kind: 'clusterCreate',
    state: 'Creating',
    scope: 'cluster',
    waitSeconds: ctx.state.timings.createSeconds,
  });
  op.pools.push(...pools.map((p) => p.name));
  return { status: 201, body: clusterResource(c), headers: lroHeaders(req, op, false) };
}

function update(
  ctx: SimContext,
  req: SimRequest,
  c: ClusterState,
  body: Record<string, unknown>,
): SimResponse {
  assertIdle(ctx.engine, c, 'cluster');
  const props = isRecord(body.properties) ? body.properties : {};
  const asksVersion =
    isNonEmptyString(props.kubernetesVersion) && props.kubernetesVersion !== c.kubernetesVersion;
  assertRunning(c, asksVersion ? 'upgrading' : 'updating');
  const l = loc(ctx, c);
  const cpTarget = clusterTarget(c, l, props.kubernetesVersion);
  const controlPlane = cpTarget ?? c.currentKubernetesVersion;
  const poolChanges: PoolChange[] = [];
  const profiles = Array.isArray(props.agentPoolProfiles) ? props.agentPoolProfiles.filter(isRecord) : [];
  for (const prof of profiles) {
    const p = c.pools.find((x) => x.name === prof.name);
    if (!p) continue;
    const t = poolTarget(c, p, l, prof.orchestratorVersion, controlPlane);
    if (t) poolChanges.push({ pool: p.name, targetVersion: t });
  }
  const settings = new Map(profiles.map((prof) => [prof.name, parseUpgradeSettings(prof.upgradeSettings)]));

  if (isRecord(body.tags))
    c.tags = Object.fromEntries(Object.entries(body.tags).map(([k, v]) => [k, String(v)]));
  deepMerge(c.extra, props, MANAGED);
  deepMerge(c.resource, body, new Set(['properties', 'id', 'name', 'type', 'location', 'tags']));
  applyAutoUpgrade(c, props);
  for (const prof of profiles) {
    const p = c.pools.find((x) => x.name === prof.name);
    if (!p) continue;
    if (typeof prof.count === 'number') p.count = prof.count;
    const us = settings.get(prof.name);
    if (us) p.upgradeSettings = us;
    deepMerge(p.extra, prof, POOL_MANAGED);
  }
  if (cpTarget) c.kubernetesVersion = cpTarget;
  for (const ch of poolChanges) {
    const p = c.pools.find((x) => x.name === ch.pool);
    if (p && ch.targetVersion) p.orchestratorVersion = ch.targetVersion;
    if (p) ch.failWith = surgeQuotaFailure(ctx.state, c, p);
  }
  c.eTag = etag();
  const upgrading = Boolean(cpTarget) || poolChanges.length > 0;
  const op = ctx.engine.begin(c, {
    kind: 'clusterUpdate',
    state: upgrading ? 'Upgrading' : 'Updating',
    scope: 'cluster',
    controlPlaneTo: cpTarget,
    poolChanges,
    waitSeconds: upgrading ? undefined : ctx.state.timings.updateSeconds,
  });
  return { status: 200, body: clusterResource(c), headers: lroHeaders(req, op, false) };
}

export function managedClusterRoutes(ctx: SimContext): Route[] {
  const list = (req: SimRequest, rg?: string): SimResponse => {
    const sub = req.params.subscriptionId!;
    requireSubscription(ctx, sub);
    if (rg) requireResourceGroup(ctx, sub, rg);
    const items = ctx.state.clustersOf(sub, rg).map(clusterResource);
    return { status: 200, body: page(req, items, ctx.state.pageSize) };
  };

  return [
    route(
      'GET',
      '/subscriptions/{subscriptionId}/providers/Microsoft.ContainerService/managedClusters',
      'ManagedClusters_List',
      (req) => list(req),
    ),
    route(
      'GET',
      '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.ContainerService/managedClusters',
      'ManagedClusters_ListByResourceGroup',
      (req) => list(req, req.params.resourceGroupName),
    ),
    route('GET', CL, 'ManagedClusters_Get', (req) => ({
      status: 200,
      body: clusterResource(requireCluster(ctx, req)),
    })),
    route('PUT', CL, 'ManagedClusters_CreateOrUpdate', (req) => {
      const { subscriptionId, resourceGroupName, resourceName } = req.params as Record<
        'subscriptionId' | 'resourceGroupName' | 'resourceName',
        string
      >;
      checkClusterName(resourceName);
      requireResourceGroup(ctx, subscriptionId, resourceGroupName);
      if (!isRecord(req.body))
        throw badRequest(
          'InvalidRequestContent',
          'The request content was invalid: a ManagedCluster object is required.',
        );
      const c = ctx.state.cluster(subscriptionId, resourceGroupName, resourceName);
      return c ? update(ctx, req, c, req.body) : create(ctx, req, req.body);
    }),
    route('PATCH', CL, 'ManagedClusters_UpdateTags', (req) => {
      const c = requireCluster(ctx, req);
      assertIdle(ctx.engine, c, 'cluster');
      if (isRecord(req.body) && isRecord(req.body.tags)) {
        c.tags = Object.fromEntries(Object.entries(req.body.tags).map(([k, v]) => [k, String(v)]));
      }
      return { status: 200, body: clusterResource(c) };
    }),
    route('POST', `${CL}/stop`, 'ManagedClusters_Stop', (req) => {
      const c = requireCluster(ctx, req);
      assertIdle(ctx.engine, c, 'cluster');
      if (c.powerState === 'Stopped') {
        const last =
          c.lastOperation?.name === 'Stopping'
            ? { startedAt: c.lastOperation.startedAt, now: ctx.clock.nowMs() }
            : undefined;
        throw notRunning(last);
      }
      const op = ctx.engine.begin(c, {
        kind: 'stop',
        state: 'Stopping',
        scope: 'cluster',
        waitSeconds: ctx.state.timings.stopSeconds,
        finalPowerState: 'Stopped',
      });
      return { status: 202, headers: lroHeaders(req, op, true) };
    }),
    route('POST', `${CL}/start`, 'ManagedClusters_Start', (req) => {
      const c = requireCluster(ctx, req);
      const running = ctx.engine.activeOn(c);
      if (running) {
        throw stateConflict(c.provisioningState, c.powerState, 'starting', {
          startedAt: running.startMs,
          now: ctx.clock.nowMs(),
        });
      }
      if (c.powerState === 'Running') throw stateConflict(c.provisioningState, c.powerState, 'starting');
      const op = ctx.engine.begin(c, {
        kind: 'start',
        state: 'Starting',
        scope: 'cluster',
        waitSeconds: ctx.state.timings.startSeconds,
        finalPowerState: 'Running',
      });
      return { status: 202, headers: lroHeaders(req, op, true) };
    }),
    route('GET', `${CL}/upgradeProfiles/default`, 'ManagedClusters_GetUpgradeProfile', (req) => {
      const c = requireCluster(ctx, req);
      return { status: 200, body: clusterUpgradeProfile(c, loc(ctx, c)) };
    }),
  ];
}
