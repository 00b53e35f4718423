/**
 * The AKS fleet simulator (`aks-day2 sim`): the Microsoft.ContainerService ARM API over real HTTPS,
 * with long-running operations on a virtual clock, throttling, faults, Event Grid delivery, and
 * Teams / Logs Ingestion receivers. One port; a self-signed certificate made at start.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { adminRoutes } from './admin';
import { SimClock } from './clock';
import type { CommandRecord, SimContext } from './context';
import { RequestCounters } from './counters';
import { ArmError, armErrorBody } from './errors';
import { EventGridEmitter, type EventSchema } from './eventGrid';
import { FaultStore } from './faults';
import { demoFleet } from './fleet/demoFleet';
import { parseFleet, type Fleet, type FleetFile } from './fleet/schema';
import { matchRoute, parseJson, readBody, send, type Route, type SimRequest, type SimResponse } from './http';
import { OperationEngine } from './operations';
import { LogsReceiver, TeamsReceiver } from './receivers';
import { TeamsChannel, teamsChannelRoutes } from './teamsChannel';
import { agentPoolRoutes } from './routes/agentPools';
import { eventGridSystemTopicRoutes } from './routes/eventGridSystemTopics';
import { maintenanceRoutes } from './routes/maintenance';
import { managedClusterRoutes } from './routes/managedClusters';
import { operationRoutes } from './routes/operations';
import { resourceGraphRoutes } from './routes/resourceGraph';
import { runCommandRoutes } from './routes/runCommand';
import { upgradeAdminRoutes } from './routes/upgradeAdmin';
import { LOGS_QUERY_BASE, logsQueryRoutes } from './routes/logsQuery';
import { capacityRoutes } from './routes/capacity';
import { abortRoutes } from './routes/abort';
import { PutCounter } from './putCounts';
import { subscriptionRoutes } from './routes/subscriptions';
import { versionRoutes } from './routes/versions';
import { ResourceGraphIndex } from './resourceGraphIndex';
import { clusterKey, SimState } from './state';
import { Throttle } from './throttle';
import { makeCertificate } from './tls';

export interface SimOptions {
  /** A fleet (object) or the path of a fleet JSON file; default: the built-in demo fleet. */
  fleet?: FleetFile | string;
  /** 0 (default) = a free port. */
  port?: number;
  /** Virtual clock rate; default 1 (real time). */
  speed?: number;
  /** Virtual clock start; default now. */
  startTime?: Date | string;
  eventGrid?: { url: string; schema?: EventSchema };
  /** The wall clock (epoch ms) behind the virtual clock and the throttling buckets; default `Date.now`. */
  realNow?: () => number;
  /** How an injected latency fault waits; default a real timer. Tests pass a gate they open themselves. */
  sleep?: (ms: number) => Promise<void>;
  /** Draws of the faults injected at a rate, in [0, 1); default `Math.random`. A seeded one replays a run's faults. */
  random?: () => number;
}

export interface SimHandle {
  /** `https://127.0.0.1:<port>`: the ARM base URL (the SDK's `endpoint`). */
  arm: string;
  /** PEM file the clients must trust (`tlsOptions.ca`). */
  caCertPath: string;
  caCert: string;
  /** `${arm}/admin` */
  admin: string;
  /** `${arm}/teams/webhook?sig=local`: a Teams Workflows receiver. */
  teamsWebhookUrl: string;
  /** Security token (base64) of the channel's outgoing webhook: the app's DAY2_TEAMS_OUTGOING_SECRET. */
  teamsOutgoingSecret: string;
  /** The Teams channel whose messages go to the app's chatops endpoint (`/admin/teams/channel`). */
  teamsChannel: TeamsChannel;
  /** `${arm}/logs`: a Logs Ingestion endpoint. */
  logsEndpoint: string;
  /** `${arm}/loganalytics/v1`: the Logs Query API (LogsQueryClient `endpoint`). */
  logsQueryEndpoint: string;
  /** Workspace ids the Logs Query API answers for. */
  logsWorkspaceIds: string[];
  clock: SimClock;
  /** Subscription ids the fleet holds. */
  subscriptions: string[];
  close(): Promise<void>;
}

/** The object id the simulator gives the caller in authorization errors. */
const SIM_CLIENT_ID = 'd2d2d2d2-0000-4000-8000-0000000000c1';

export async function loadFleet(fleet: FleetFile | string | undefined): Promise<Fleet> {
  if (fleet === undefined) return parseFleet(demoFleet(), '(built-in demo fleet)');
  if (typeof fleet === 'string') {
    let text: string;
    try {
      text = await readFile(fleet, 'utf8');
    } catch (err) {
      throw new Error(`cannot read fleet file ${fleet}: ${(err as Error).message}`, { cause: err });
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      throw new Error(`fleet file ${fleet} is not valid JSON: ${(err as Error).message}`, { cause: err });
    }
    return parseFleet(json, fleet);
  }
  return parseFleet(fleet);
}

/** ARM's answer to an identity without a role on the subscription. */
function noAccess(req: SimRequest, subscriptionId: string): ArmError {
  const m = /\/providers\/([^/]+)\/([^/]+)/i.exec(req.path);
  const action = `${m ? `${m[1]}/${m[2]}` : 'Microsoft.Resources/subscriptions'}/${req.method === 'GET' ? 'read' : 'write'}`;
  return new ArmError(
    403,
    'AuthorizationFailed',
    `The client '${SIM_CLIENT_ID}' with object id '${SIM_CLIENT_ID}' does not have authorization to perform action '${action}' over scope '/subscriptions/${subscriptionId}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
  );
}

function bearer(req: IncomingMessage): boolean {
  return /^Bearer\s+\S+/i.test(String(req.headers.authorization ?? ''));
}

export async function startSimulator(opts: SimOptions = {}): Promise<SimHandle> {
  const fleet = await loadFleet(opts.fleet);
  const realNow = opts.realNow ?? Date.now;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const clock = new SimClock(opts.startTime ?? realNow(), opts.speed ?? 1, realNow);
  const state = new SimState(fleet);
  state.nowMs = () => clock.nowMs();
  const faults = new FaultStore(fleet.faults, opts.random);
  const eventGrid = new EventGridEmitter(opts.eventGrid, () => clock.nowMs());
  const resourceGraph = new ResourceGraphIndex(fleet.resourceGraph.lagSeconds, state.tenantId, () =>
    clock.nowMs(),
  );
  const engine = new OperationEngine(
    state,
    clock,
    (t, c, data, at) => eventGrid.emit(t, c, data, at),
    (c, op, pools) => faults.operationFailureFor(c, op, pools),
    resourceGraph,
  );
  const ctx: SimContext = {
    state,
    engine,
    clock,
    faults,
    commands: new Map<string, CommandRecord>(),
    resourceGraph,
  };
  const throttle = new Throttle({ ...fleet.throttling }, realNow);
  const counters = new RequestCounters();
  const teams = new TeamsReceiver(() => clock.nowMs());
  const teamsChannel = new TeamsChannel(() => clock.nowMs());
  const logs = new LogsReceiver(() => clock.nowMs());
  const unsubscribe = clock.onChange(() => engine.evaluate());

  const armRoutes: Route[] = [
    ...subscriptionRoutes(ctx),
    ...managedClusterRoutes(ctx),
    ...agentPoolRoutes(ctx),
    ...maintenanceRoutes(ctx),
    ...runCommandRoutes(ctx),
    ...versionRoutes(ctx),
    ...operationRoutes(ctx),
    ...eventGridSystemTopicRoutes(ctx),
    ...logsQueryRoutes(ctx),
    ...capacityRoutes(ctx),
    ...abortRoutes(ctx),
    ...resourceGraphRoutes(ctx),
  ];
  const puts = new PutCounter();
  const admin = [
    ...adminRoutes({ ctx, clock, counters, throttle, eventGrid, teams, logs }),
    ...upgradeAdminRoutes(ctx, puts),
    ...teamsChannelRoutes(teamsChannel),
  ];

  const cert = await makeCertificate();
  let origin = '';

  const errorResponse = (err: unknown): SimResponse => {
    if (err instanceof ArmError) return { status: err.status, body: err.body(), headers: err.headers };
    return {
      status: 500,
      body: armErrorBody('InternalServerError', err instanceof Error ? err.message : String(err)),
    };
  };

  async function run(routes: Route[], sreq: SimRequest): Promise<SimResponse> {
    const m = matchRoute(routes, sreq.method, sreq.path);
    if (m === undefined) throw new ArmError(404, 'NotFound', `No route for ${sreq.method} ${sreq.path}`);
    if (m === 'method')
      throw new ArmError(405, 'MethodNotAllowed', `The method ${sreq.method} is not allowed on ${sreq.path}`);
    sreq.params = m.params;
    // A write on a cluster is told to the Resource Graph index (before and after), so that it lags ARM.
    const { subscriptionId: sub, resourceGroupName: rg, resourceName: name } = m.params;
    const key = sreq.method !== 'GET' && sub && rg && name ? clusterKey(sub, rg, name) : undefined;
    if (key) resourceGraph.before(key, state.clusters.get(key));
    try {
      return await m.route.handler(sreq);
    } finally {
      if (key) resourceGraph.after(key, state.clusters.get(key), clock.nowMs());
    }
  }

  async function handleArm(
    req: IncomingMessage,
    sreq: SimRequest,
  ): Promise<SimResponse & { drop?: boolean }> {
    const requestId = randomUUID();
    const correlation = String(
      req.headers['x-ms-correlation-request-id'] ?? req.headers['x-ms-client-request-id'] ?? randomUUID(),
    );
    const m = matchRoute(armRoutes, sreq.method, sreq.path);
    const operation = m && m !== 'method' ? m.route.operation : 'Unknown';
    const kind = m && m !== 'method' ? m.route.kind : sreq.method === 'GET' ? 'reads' : 'writes';
    const sub = m && m !== 'method' ? m.params.subscriptionId : undefined;
    counters.count(operation, sub);
    const base: Record<string, string> = {
      'x-ms-request-id': requestId,
      'x-ms-correlation-request-id': correlation,
    };
    let res: SimResponse;
    if (!bearer(req)) {
      res = errorResponse(
        new ArmError(
          401,
          'AuthenticationFailed',
          "Authentication failed. The 'Authorization' header is missing.",
        ),
      );
    } else {
      const t = throttle.take(sub ?? 'tenant', kind);
      base[`x-ms-ratelimit-remaining-subscription-${kind}`] = String(t.remaining);
      if (!t.allowed) {
        res = errorResponse(
          new ArmError(
            429,
            'Throttled',
            `Number of '${kind.replace(/s$/, '')}' requests for subscription '${sub ?? '(tenant)'}' exceeded. Please try again after '${t.retryAfterSeconds}' seconds after additional tokens are available. Refer to https://aka.ms/arm-throttling for additional information.`,
            { 'retry-after': String(t.retryAfterSeconds) },
          ),
        );
      } else {
        const facts = {
          method: sreq.method,
          path: sreq.path,
          operation,
          subscription: sub,
          cluster: m && m !== 'method' ? m.params.resourceName : undefined,
        };
        const delay = faults.latencyFor(facts);
        if (delay > 0) await sleep(delay);
        const f = faults.httpFaultFor(facts);
        const unreadable = sub !== undefined && state.subscription(sub)?.readable === false;
        if (unreadable) {
          res = errorResponse(noAccess(sreq, sub));
        } else if (f) {
          res = {
            status: f.status,
            body: armErrorBody(
              f.code ??
                (f.status === 429 ? 'Throttled' : f.status >= 500 ? 'InternalServerError' : 'BadRequest'),
              f.message ?? `Injected fault: HTTP ${f.status}`,
            ),
            headers: f.retryAfterSeconds !== undefined ? { 'retry-after': String(f.retryAfterSeconds) } : {},
          };
        } else {
          try {
            engine.evaluate();
            sreq.body = parseJson(sreq.rawBody);
            res = await run(armRoutes, sreq);
          } catch (err) {
            res = errorResponse(err);
          }
          if (faults.dropResponseFor(facts, res.status)) {
            counters.status(res.status);
            return { ...res, drop: true };
          }
          if (m && m !== 'method') puts.record(operation, m.params, res.status);
          const after = faults.latencyFor(facts, 'after');
          if (after > 0) await new Promise((r) => setTimeout(r, after).unref());
          counters.status(res.status);
          return { ...res, headers: { ...base, ...res.headers } };
        }
      }
    }
    counters.status(res.status);
    if (m && m !== 'method') puts.record(operation, m.params, res.status);
    return { ...res, headers: { ...base, ...res.headers } };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    let rawBody: Buffer;
    try {
      rawBody = await readBody(req);
    } catch (err) {
      send(
        res,
        errorResponse(
          new ArmError(400, 'InvalidRequestContent', `unreadable body: ${(err as Error).message}`),
        ),
      );
      return;
    }
    const sreq: SimRequest = {
      method: (req.method ?? 'GET').toUpperCase(),
      // The Logs Query client joins `/{resourceId}` to its base: collapse the doubled slash there.
      path: decodeURIComponent(url.pathname).replace(/^(\/loganalytics\/v1)\/+/i, '$1/'),
      query: url.searchParams,
      headers: req.headers,
      rawBody,
      body: undefined,
      params: {},
      origin,
    };
    const lower = sreq.path.toLowerCase();
    try {
      if (lower === '/admin' || lower.startsWith('/admin/')) {
        sreq.body = parseJson(rawBody);
        send(res, await run(admin, sreq));
      } else if (lower.startsWith('/teams/') || lower.startsWith('/logs/')) {
        sreq.body = parseJson(rawBody);
        const answer = await (lower.startsWith('/teams/') ? teams : logs).handle(sreq);
        if (answer.drop) res.destroy();
        else send(res, answer);
      } else {
        const answer = await handleArm(req, sreq);
        // dropResponse fault: ARM accepted the request (the operation runs), the client never hears it.
        if (answer.drop) req.socket.destroy();
        else send(res, answer);
      }
    } catch (err) {
      send(res, errorResponse(err));
    }
  }

  const server = https.createServer({ key: cert.key, cert: cert.cert, keepAlive: true }, (req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, errorResponse(err));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  origin = `https://127.0.0.1:${port}`;

  const dir = await mkdtemp(path.join(os.tmpdir(), 'aks-day2-sim-'));
  const caCertPath = path.join(dir, 'ca.pem');
  await writeFile(caCertPath, cert.cert, 'utf8');

  let closed = false;
  return {
    arm: origin,
    caCertPath,
    caCert: cert.cert,
    admin: `${origin}/admin`,
    teamsWebhookUrl: `${origin}/teams/webhook?sig=local`,
    teamsOutgoingSecret: teamsChannel.secret,
    teamsChannel,
    logsEndpoint: `${origin}/logs`,
    logsQueryEndpoint: `${origin}${LOGS_QUERY_BASE}`,
    logsWorkspaceIds: [...state.workspaceIds],
    clock,
    subscriptions: [...state.subscriptions.values()].map((s) => s.id),
    async close() {
      if (closed) return;
      closed = true;
      unsubscribe();
      engine.close();
      eventGrid.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await rm(dir, { recursive: true, force: true });
    },
  };
}
