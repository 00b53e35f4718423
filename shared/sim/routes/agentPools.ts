/** Agent pools: list, get, PUT (version upgrade, upgradeSettings, count, create), node-image upgrade, upgrade profile, available versions. */
import { badRequest } from '../errors';
import type { SimContext } from '../context';
import { isRecord, route, type Route, type SimRequest } from '../http';
import { assertIdle, assertRunning, poolTarget } from '../rules';
import { etag, type ClusterState, type PoolState } from '../state';
import { availablePoolVersions, poolResource, poolUpgradeProfile } from '../wire';
import { CL, checkPoolName, deepMerge, lroHeaders, page, requireCluster, requirePool } from './common';
import { poolFromRequest } from './managedClusters';
import { parseUpgradeSettings } from '../upgradeSettings';
import { surgeQuotaFailure } from '../capacity';

const POOL_MANAGED = new Set([
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

function location(ctx: SimContext, c: ClusterState) {
  const l = ctx.state.location(c.location);
  if (!l)
    throw badRequest(
      'LocationNotAvailableForResourceType',
      `The provided location '${c.location}' is not available.`,
    );
  return l;
}

function putPool(ctx: SimContext, req: SimRequest) {
  const name = req.params.agentPoolName ?? '';
  checkPoolName(name);
  const c = requireCluster(ctx, req);
  if (!isRecord(req.body))
    throw badRequest(
      'InvalidRequestContent',
      'The request content was invalid: an AgentPool object is required.',
    );
  const props = isRecord(req.body.properties) ? req.body.properties : {};
  assertIdle(ctx.engine, c, 'pool');
  const existing = c.pools.find((p) => p.name === name);
  const asksVersion =
    typeof props.orchestratorVersion === 'string' &&
    props.orchestratorVersion !== '' &&
    props.orchestratorVersion !== existing?.orchestratorVersion;
  assertRunning(c, asksVersion ? 'upgrading' : 'updating');
  const l = location(ctx, c);

  if (!existing) {
    const fresh = poolFromRequest(ctx, c.location, name, props, c.currentKubernetesVersion);
    const t = poolTarget(
      c,
      { ...fresh, currentOrchestratorVersion: '0.0.0' },
      l,
      props.orchestratorVersion,
      c.currentKubernetesVersion,
    );
    if (t) fresh.orchestratorVersion = fresh.currentOrchestratorVersion = t;
    c.pools.push(fresh);
    const op = ctx.engine.begin(c, {
      kind: 'poolCreate',
      state: 'Creating',
      scope: 'pool',
      pool: name,
      waitSeconds: ctx.state.timings.createSeconds,
    });
    return { status: 201, body: poolResource(c, fresh), headers: lroHeaders(req, op, false) };
  }

  const p: PoolState = existing;
  const target = poolTarget(c, p, l, props.orchestratorVersion, c.currentKubernetesVersion);
  const settings = parseUpgradeSettings(props.upgradeSettings);
  if (typeof props.count === 'number') p.count = props.count;
  if (typeof props.vmSize === 'string') p.vmSize = props.vmSize;
  if (settings) p.upgradeSettings = settings;
  if (
    isRecord(props.powerState) &&
    (props.powerState.code === 'Stopped' || props.powerState.code === 'Running')
  )
    p.powerState = props.powerState.code;
  deepMerge(p.extra, props, POOL_MANAGED);
  if (target) p.orchestratorVersion = target;
  p.eTag = etag();
  const op = ctx.engine.begin(c, {
    kind: 'poolUpdate',
    state: target ? 'Upgrading' : 'Updating',
    scope: 'pool',
    pool: p.name,
    poolChanges: target
      ? [{ pool: p.name, targetVersion: target, failWith: surgeQuotaFailure(ctx.state, c, p) }]
      : [],
    waitSeconds: target ? undefined : ctx.state.timings.updateSeconds,
  });
  return { status: 200, body: poolResource(c, p), headers: lroHeaders(req, op, false) };
}

export function agentPoolRoutes(ctx: SimContext): Route[] {
  return [
    route('GET', `${CL}/agentPools`, 'AgentPools_List', (req) => {
      const c = requireCluster(ctx, req);
      return {
        status: 200,
        body: page(
          req,
          c.pools.map((p) => poolResource(c, p)),
          ctx.state.pageSize,
        ),
      };
    }),
    route('GET', `${CL}/agentPools/{agentPoolName}`, 'AgentPools_Get', (req) => {
      const { cluster, pool } = requirePool(ctx, req);
      return { status: 200, body: poolResource(cluster, pool) };
    }),
    route('PUT', `${CL}/agentPools/{agentPoolName}`, 'AgentPools_CreateOrUpdate', (req) => putPool(ctx, req)),
    route(
      'POST',
      `${CL}/agentPools/{agentPoolName}/upgradeNodeImageVersion`,
      'AgentPools_UpgradeNodeImageVersion',
      (req) => {
        const { cluster, pool } = requirePool(ctx, req);
        assertIdle(ctx.engine, cluster, 'pool');
        assertRunning(cluster, 'upgrading node image');
        const op = ctx.engine.begin(cluster, {
          kind: 'nodeImageUpgrade',
          state: 'UpgradingNodeImageVersion',
          scope: 'pool',
          pool: pool.name,
          poolChanges: [
            { pool: pool.name, nodeImage: true, failWith: surgeQuotaFailure(ctx.state, cluster, pool) },
          ],
        });
        return { status: 202, body: poolResource(cluster, pool), headers: lroHeaders(req, op, true) };
      },
    ),
    route(
      'GET',
      `${CL}/agentPools/{agentPoolName}/upgradeProfiles/default`,
      'AgentPools_GetUpgradeProfile',
      (req) => {
        const { cluster, pool } = requirePool(ctx, req);
        return { status: 200, body: poolUpgradeProfile(cluster, pool, location(ctx, cluster)) };
      },
    ),
    route('GET', `${CL}/availableAgentPoolVersions`, 'AgentPools_GetAvailableAgentPoolVersions', (req) => {
      const c = requireCluster(ctx, req);
      return { status: 200, body: availablePoolVersions(c, location(ctx, c)) };
    }),
  ];
}
