/**
 * The admin API under `/admin` (JSON, no auth): clock, faults, receivers, Event Grid, request
 * counters, throttling, paging and a snapshot of the whole state. Every route is in docs/simulator.md.
 */
import type { SimClock } from './clock';
import type { SimContext } from './context';
import type { RequestCounters } from './counters';
import { ArmError, badRequest, notFound } from './errors';
import type { EventGridEmitter, EventSchema } from './eventGrid';
import { isRecord, route, type Route, type SimRequest } from './http';
import { AKS_EVENT_TYPES } from '../events/parse';
import type { AksEventType } from './operations';
import type { LogsReceiver, TeamsReceiver } from './receivers';
import type { ClusterState } from './state';
import type { Throttle } from './throttle';
import { clusterResource } from './wire';
import { compareVersions, imageFamily, offeredPatches } from './versions';

export interface AdminDeps {
  ctx: SimContext;
  clock: SimClock;
  counters: RequestCounters;
  throttle: Throttle;
  eventGrid: EventGridEmitter;
  teams: TeamsReceiver;
  logs: LogsReceiver;
}

function obj(req: SimRequest): Record<string, unknown> {
  if (req.body === undefined) return {};
  if (!isRecord(req.body)) throw badRequest('InvalidRequestContent', 'expected a JSON object body');
  return req.body;
}

function num(v: unknown, name: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw badRequest('InvalidRequestContent', `"${name}" must be a number`);
  return v;
}

function clockBody(clock: SimClock): Record<string, unknown> {
  return { now: clock.now().toISOString(), speed: clock.speed };
}

/** Default data of an admin-emitted event, from the cluster and its region's versions. */
export function defaultEventData(
  ctx: SimContext,
  type: AksEventType,
  c: ClusterState,
): Record<string, string> {
  if (type === 'ClusterSupportEnding' || type === 'ClusterSupportEnded')
    return { kubernetesVersion: c.currentKubernetesVersion };
  if (type.startsWith('NodePool')) return { nodePoolName: c.pools[0]?.name ?? 'nodepool1' };
  const loc = ctx.state.location(c.location);
  const all = loc ? offeredPatches(loc) : [];
  const ga = all
    .filter((p) => !p.isPreview && !p.ltsOnly)
    .sort((a, b) => compareVersions(a.version, b.version));
  const preview = all.filter((p) => p.isPreview);
  const defMinor = loc?.kubernetesVersions.find((v) => v.isDefault)?.version;
  const latest = ga.at(-1)?.version ?? c.currentKubernetesVersion;
  const lowestMinor = ga[0]?.minor;
  return {
    latestSupportedKubernetesVersion: latest,
    latestStableKubernetesVersion: ga.filter((p) => p.minor === defMinor).at(-1)?.version ?? latest,
    lowestMinorKubernetesVersion: ga.filter((p) => p.minor === lowestMinor).at(-1)?.version ?? latest,
    latestPreviewKubernetesVersion: preview.at(-1)?.version ?? latest,
  };
}

export function adminRoutes(d: AdminDeps): Route[] {
  const { ctx, clock } = d;
  const failureArgs = (b: Record<string, unknown>): [number, number, number | undefined] => [
    num(b.status, 'status'),
    b.count === undefined ? 1 : num(b.count, 'count'),
    b.retryAfterSeconds === undefined ? undefined : num(b.retryAfterSeconds, 'retryAfterSeconds'),
  ];
  const guard = <T>(fn: () => T): T => {
    try {
      return fn();
    } catch (err) {
      if (err instanceof ArmError) throw err;
      throw badRequest('InvalidRequestContent', err instanceof Error ? err.message : String(err));
    }
  };

  return [
    // clock
    route('GET', '/admin/clock', 'Admin_Clock', () => ({ status: 200, body: clockBody(clock) })),
    route('POST', '/admin/clock/set', 'Admin_ClockSet', (req) => {
      const b = obj(req);
      guard(() => clock.set(String(b.time ?? b.now)));
      ctx.engine.evaluate();
      return { status: 200, body: clockBody(clock) };
    }),
    route('POST', '/admin/clock/advance', 'Admin_ClockAdvance', (req) => {
      const b = obj(req);
      const ms =
        (typeof b.ms === 'number' ? b.ms : 0) +
        (typeof b.seconds === 'number' ? b.seconds * 1000 : 0) +
        (typeof b.minutes === 'number' ? b.minutes * 60_000 : 0) +
        (typeof b.hours === 'number' ? b.hours * 3_600_000 : 0);
      guard(() => clock.advance(ms));
      ctx.engine.evaluate();
      return { status: 200, body: clockBody(clock) };
    }),
    route('POST', '/admin/clock/speed', 'Admin_ClockSpeed', (req) => {
      guard(() => clock.setSpeed(num(obj(req).speed, 'speed')));
      return { status: 200, body: clockBody(clock) };
    }),

    // faults
    route('GET', '/admin/faults', 'Admin_Faults', () => ({
      status: 200,
      body: { faults: ctx.faults.list() },
    })),
    route('POST', '/admin/faults', 'Admin_FaultsAdd', (req) => {
      const input = Array.isArray(req.body) ? req.body : [req.body];
      const ids = input.map((f) => guard(() => ctx.faults.add(f as never)));
      return { status: 201, body: { ids } };
    }),
    route('DELETE', '/admin/faults', 'Admin_FaultsClear', () => {
      ctx.faults.clear();
      return { status: 204 };
    }),
    route('DELETE', '/admin/faults/{id}', 'Admin_FaultsRemove', (req) => {
      if (!ctx.faults.remove(req.params.id!)) throw notFound(`no fault with id ${req.params.id}`);
      return { status: 204 };
    }),

    // receivers
    route('GET', '/admin/teams', 'Admin_Teams', () => ({
      status: 200,
      body: {
        posts: d.teams.posts,
        rejected: d.teams.failures.rejected,
        pendingFailures: d.teams.failures.list(),
        ...d.teams.availability.describe(),
      },
    })),
    route('DELETE', '/admin/teams', 'Admin_TeamsClear', () => {
      d.teams.clear();
      d.teams.failures.clear();
      d.teams.availability.clear();
      return { status: 204 };
    }),
    route('POST', '/admin/teams/failures', 'Admin_TeamsFail', (req) => {
      guard(() => d.teams.failures.inject(...failureArgs(obj(req))));
      return { status: 201, body: { pendingFailures: d.teams.failures.list() } };
    }),
    route('POST', '/admin/teams/outage', 'Admin_TeamsOutage', (req) => {
      const b = obj(req);
      guard(() =>
        d.teams.availability.setOutage(
          clock.nowMs(),
          num(b.minutes, 'minutes'),
          b.status === 'reset' ? 'reset' : b.status === undefined ? 503 : num(b.status, 'status'),
        ),
      );
      return { status: 200, body: d.teams.availability.describe() };
    }),
    route('POST', '/admin/teams/delay', 'Admin_TeamsDelay', (req) => {
      guard(() => d.teams.availability.setDelay(num(obj(req).ms, 'ms')));
      return { status: 200, body: d.teams.availability.describe() };
    }),
    route('GET', '/admin/logs', 'Admin_Logs', () => ({
      status: 200,
      body: {
        rows: d.logs.rows,
        requests: d.logs.requests,
        rejected: d.logs.failures.rejected,
        pendingFailures: d.logs.failures.list(),
        ...d.logs.availability.describe(),
      },
    })),
    route('DELETE', '/admin/logs', 'Admin_LogsClear', () => {
      d.logs.clear();
      d.logs.failures.clear();
      d.logs.availability.clear();
      return { status: 204 };
    }),
    route('POST', '/admin/logs/failures', 'Admin_LogsFail', (req) => {
      guard(() => d.logs.failures.inject(...failureArgs(obj(req))));
      return { status: 201, body: { pendingFailures: d.logs.failures.list() } };
    }),
    route('POST', '/admin/logs/outage', 'Admin_LogsOutage', (req) => {
      const b = obj(req);
      guard(() =>
        d.logs.availability.setOutage(
          clock.nowMs(),
          num(b.minutes, 'minutes'),
          b.status === 'reset' ? 'reset' : b.status === undefined ? 503 : num(b.status, 'status'),
        ),
      );
      return { status: 200, body: d.logs.availability.describe() };
    }),
    route('POST', '/admin/logs/delay', 'Admin_LogsDelay', (req) => {
      guard(() => d.logs.availability.setDelay(num(obj(req).ms, 'ms')));
      return { status: 200, body: d.logs.availability.describe() };
    }),

    // Event Grid
    route('GET', '/admin/eventgrid', 'Admin_EventGrid', () => ({
      status: 200,
      body: {
        target: d.eventGrid.target ?? null,
        duplicate: d.eventGrid.duplicate,
        reorder: d.eventGrid.reorder,
        events: d.eventGrid.emitted,
      },
    })),
    route('POST', '/admin/eventgrid', 'Admin_EventGridConfigure', (req) => {
      const b = obj(req);
      if ('url' in b) {
        const schema = (b.schema ?? 'EventGridSchema') as EventSchema;
        if (schema !== 'EventGridSchema' && schema !== 'CloudEventSchema')
          throw badRequest('InvalidRequestContent', 'schema must be EventGridSchema or CloudEventSchema');
        if (b.url !== null && typeof b.url !== 'string')
          throw badRequest('InvalidRequestContent', 'url must be a string or null');
        guard(() => d.eventGrid.setTarget(b.url === null ? undefined : (b.url as string), schema));
      }
      if (typeof b.duplicate === 'boolean') d.eventGrid.duplicate = b.duplicate;
      if (typeof b.reorder === 'boolean') d.eventGrid.reorder = b.reorder;
      if (typeof b.maxAttempts === 'number') d.eventGrid.maxAttempts = Math.max(1, Math.floor(b.maxAttempts));
      return {
        status: 200,
        body: {
          target: d.eventGrid.target ?? null,
          duplicate: d.eventGrid.duplicate,
          reorder: d.eventGrid.reorder,
        },
      };
    }),
    route('POST', '/admin/eventgrid/emit', 'Admin_EventGridEmit', (req) => {
      const b = obj(req);
      const type = (typeof b.type === 'string' ? b.type : '').replace(
        /^Microsoft\.ContainerService\./,
        '',
      ) as AksEventType;
      if (!AKS_EVENT_TYPES.includes(type))
        throw badRequest('InvalidRequestContent', `type must be one of ${AKS_EVENT_TYPES.join(', ')}`);
      const name = typeof b.cluster === 'string' ? b.cluster : '';
      const c = ctx.state.findCluster(name);
      if (!c) throw notFound(`no cluster ${name}`);
      const data = {
        ...defaultEventData(ctx, type, c),
        ...(isRecord(b.data) ? (b.data as Record<string, string>) : {}),
      };
      const ev = d.eventGrid.emit(type, c, data, clock.nowMs());
      return { status: 201, body: ev };
    }),
    route('POST', '/admin/eventgrid/flush', 'Admin_EventGridFlush', async () => {
      await d.eventGrid.idle();
      return { status: 200, body: { events: d.eventGrid.emitted.length } };
    }),
    route('DELETE', '/admin/eventgrid/events', 'Admin_EventGridClear', () => {
      d.eventGrid.clear();
      return { status: 204 };
    }),

    // counters, throttling, paging
    route('GET', '/admin/counters', 'Admin_Counters', () => ({ status: 200, body: d.counters.get() })),
    route('DELETE', '/admin/counters', 'Admin_CountersReset', () => {
      d.counters.reset();
      return { status: 204 };
    }),
    route('GET', '/admin/throttling', 'Admin_Throttling', () => ({ status: 200, body: d.throttle.settings })),
    route('POST', '/admin/throttling', 'Admin_ThrottlingSet', (req) => ({
      status: 200,
      body: d.throttle.configure(obj(req)),
    })),
    route('POST', '/admin/paging', 'Admin_Paging', (req) => {
      const n = num(obj(req).pageSize, 'pageSize');
      if (!Number.isInteger(n) || n < 1)
        throw badRequest('InvalidRequestContent', 'pageSize must be an integer >= 1');
      ctx.state.pageSize = n;
      return { status: 200, body: { pageSize: n } };
    }),
    route('POST', '/admin/timings', 'Admin_Timings', (req) => {
      const b = obj(req);
      for (const [k, v] of Object.entries(b)) {
        if (!(k in ctx.state.timings))
          throw badRequest(
            'InvalidRequestContent',
            `unknown timing "${k}" (known: ${Object.keys(ctx.state.timings).join(', ')})`,
          );
        (ctx.state.timings as Record<string, number>)[k] = num(v, k);
      }
      return { status: 200, body: ctx.state.timings };
    }),
    // AKS releases a node image: it becomes the latest of its family in the regions given (default: every region).
    route('POST', '/admin/images', 'Admin_ImagesRelease', (req) => {
      const b = obj(req);
      const image = b.image;
      if (typeof image !== 'string' || !/^.+-[^-]+$/.test(image))
        throw badRequest('InvalidRequestContent', '"image" must be "<image family>-<version>"');
      const family = imageFamily(image);
      const names =
        b.locations === undefined
          ? [...ctx.state.locations.keys()]
          : Array.isArray(b.locations) && b.locations.every((l) => typeof l === 'string')
            ? b.locations.map((l) => l.toLowerCase())
            : [];
      if (names.length === 0)
        throw badRequest('InvalidRequestContent', '"locations" must be a non-empty array of regions');
      for (const name of names) {
        const loc = ctx.state.locations.get(name);
        if (!loc) throw notFound(`no region "${name}" in the fleet`);
        loc.latestNodeImages = [...loc.latestNodeImages.filter((v) => imageFamily(v) !== family), image];
      }
      return { status: 200, body: { image, locations: names } };
    }),

    // state
    route('GET', '/admin/state', 'Admin_State', () => {
      ctx.engine.evaluate();
      return {
        status: 200,
        body: {
          clock: clockBody(clock),
          subscriptions: [...ctx.state.subscriptions.values()].map((s) => ({
            id: s.id,
            displayName: s.displayName,
            resourceGroups: [...s.resourceGroups],
          })),
          clusters: [...ctx.state.clusters.values()].map((c) => ({
            ...clusterResource(c),
            maintenanceConfigurations: Object.fromEntries(c.maintenance),
            podDisruptionBudgets: c.pdbs,
            activeOperationId: c.activeOperationId ?? null,
          })),
          operations: [...ctx.engine.operations.values()],
          timings: ctx.state.timings,
          pageSize: ctx.state.pageSize,
          throttling: d.throttle.settings,
        },
      };
    }),
    route('GET', '/admin/operations', 'Admin_Operations', () => {
      ctx.engine.evaluate();
      return { status: 200, body: { operations: [...ctx.engine.operations.values()] } };
    }),
  ];
}
