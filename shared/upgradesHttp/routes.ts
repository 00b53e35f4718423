import type { HttpResponseInit } from '@azure/functions';
import { z } from 'zod';
import { enqueueCommand } from '../commands/enqueue';
import { parseClusterId } from '../fleet/cluster';
import { readJsonBody } from '../http/jsonBody';
import { actorOf, requirePermission } from '../http/principal';
import { fieldProblem, ProblemError, type FieldError, type FieldLocation } from '../http/problem';
import { findCluster } from '../power/findCluster';
import { Tables } from '../storage/tables';
import {
  getRun,
  isTerminalRun,
  listRuns,
  requestUpgrade,
  UpgradeError,
  type RunState,
  type UpgradeRun,
} from '../upgrades/api';
import type { ApiCall } from './apiHandler';
import { IdempotencyStore, type StoredResponse } from './idempotencyStore';
import { openApiDocument } from './openapi';
import { planBody, runBody } from './representation';
import {
  canonicalJson,
  IdempotencyKeyField,
  ListQuerySchema,
  RUN_STATES,
  RunIdField,
  UpgradeRequestSchema,
  type UpgradeRequest,
} from './requestSchemas';

/** How long a client is asked to wait before reading a run that has not ended again. */
const RETRY_AFTER_SECONDS = '30';

function zodProblem(where: FieldLocation, issues: z.core.$ZodIssue[]): ProblemError {
  const errors: FieldError[] = issues.slice(0, 20).map((i) => {
    const path = i.path.map(String);
    // An unknown key is reported on the key itself.
    const keys = i.code === 'unrecognized_keys' ? i.keys : [];
    const field = (keys.length ? [...path, keys[0]!] : path).join('.') || `(${where})`;
    return {
      in: where,
      field: field.slice(0, 200),
      detail:
        i.code === 'unrecognized_keys' ? `unknown field(s): ${keys.join(', ').slice(0, 200)}` : i.message,
    };
  });
  return new ProblemError('invalid-request', errors.map((e) => `${e.field}: ${e.detail}`).join('; '), errors);
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}): HttpResponseInit => ({
  status,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

function runResponse(status: number, run: UpgradeRun): HttpResponseInit {
  const location = `/api/upgrades/${run.id}`;
  return json(status, runBody(run), {
    ...(status === 202 || status === 201 ? { location } : {}),
    ...(isTerminalRun(run.state) ? {} : { 'retry-after': RETRY_AFTER_SECONDS }),
  });
}

function runIdParam(call: ApiCall): string {
  const r = RunIdField.safeParse(call.req.params.id ?? '');
  if (!r.success) throw fieldProblem('invalid-request', 'path', 'id', r.error.issues[0]!.message);
  return r.data;
}

async function mustGetRun(call: ApiCall, id: string): Promise<UpgradeRun> {
  const run = await getRun(call.deps, id);
  if (!run) throw fieldProblem('not-found', 'path', 'id', `no upgrade run ${id}`);
  call.audit.runId = run.id;
  call.audit.cluster = run.cluster;
  return run;
}

/** `POST /api/upgrades`: a dry run answers 200 with the plan; otherwise the run is stored, queued for the worker and answered 202. */
export async function postUpgrade(call: ApiCall): Promise<HttpResponseInit> {
  const body = await readJsonBody(call.req);
  if (body === undefined)
    throw fieldProblem(
      'invalid-request',
      'body',
      '(body)',
      'a JSON body is required, e.g. {"cluster":"aks-dev-weu-01"}',
    );
  const parsed = UpgradeRequestSchema.safeParse(body);
  if (!parsed.success) throw zodProblem('body', parsed.error.issues);
  const req = parsed.data;
  call.audit.cluster = req.cluster;
  requirePermission(call.caller, req.dryRun ? 'read' : 'change', req.dryRun ? 'a dry run' : 'an upgrade');

  const keyHeader = call.req.headers.get('idempotency-key');
  if (keyHeader === null) return (await startUpgrade(call, req)).response;
  const key = IdempotencyKeyField.safeParse(keyHeader);
  if (!key.success)
    throw fieldProblem('invalid-request', 'header', 'Idempotency-Key', key.error.issues[0]!.message);
  const store = new IdempotencyStore(new Tables(call.deps.settings.storageConnectionString), () =>
    call.deps.clock.now(),
  );
  const claim = await store.claim(
    `${call.caller.id}\u0000POST upgrades`,
    key.data,
    IdempotencyStore.hashBody(canonicalJson(req)),
  );
  switch (claim.kind) {
    case 'other-body':
      throw fieldProblem(
        'idempotency-key-reused',
        'header',
        'Idempotency-Key',
        'this key was used with another request body; use a new key for a new request',
      );
    case 'in-progress':
      throw new ProblemError(
        'idempotency-key-in-use',
        'the first request with this key is still being processed; repeat it in a moment',
        [{ in: 'header', field: 'Idempotency-Key', detail: 'a request with this key is in progress' }],
        {},
        { 'retry-after': '1' },
      );
    case 'done':
      return replay(call, claim.response, req);
    case 'owner': {
      let started: { response: HttpResponseInit; stored: StoredResponse };
      try {
        started = await startUpgrade(call, req);
      } catch (err) {
        await claim.release(undefined);
        throw err;
      }
      await claim.release(started.stored);
      return started.response;
    }
  }
}

async function startUpgrade(
  call: ApiCall,
  req: UpgradeRequest,
): Promise<{ response: HttpResponseInit; stored: StoredResponse }> {
  const actor = actorOf(call.caller);
  const result = await requestUpgrade(call.deps, { ...req, requestedBy: actor }).catch(
    async (err: unknown) => {
      throw await inFlightFirst(call, err);
    },
  );
  if (result.dryRun) {
    call.audit.cluster = result.plan.cluster;
    const body = JSON.stringify(planBody(result.plan));
    return {
      response: { status: 200, headers: { 'content-type': 'application/json' }, body },
      stored: { status: 200, body },
    };
  }
  const run = result.run;
  call.audit.runId = run.id;
  call.audit.cluster = run.cluster;
  await enqueueCommand(call.deps, { kind: 'upgrade', runId: run.id, cluster: run.cluster.id }, actor);
  return {
    response: runResponse(202, run),
    stored: { status: 202, runId: run.id, location: `/api/upgrades/${run.id}` },
  };
}

/**
 * A cluster with a run in flight also fails its state pre-check; the contract answers that case with
 * 409 and the run's id, whatever else failed.
 */
async function inFlightFirst(call: ApiCall, err: unknown): Promise<unknown> {
  if (!(err instanceof UpgradeError) || err.kind !== 'prechecks-failed' || !err.cluster) return err;
  const active = await call.deps.state.upgradeRuns.activeFor({ id: err.cluster });
  if (!active) return err;
  const detail = `${active.cluster.name} already has upgrade run ${active.id} (${active.state})`;
  return new ProblemError('run-in-flight', detail, [{ in: 'body', field: 'cluster', detail }], {
    runId: active.id,
    run: `/api/upgrades/${active.id}`,
  });
}

/** A repeat of a request already answered: the same status, and the run as it is now (a dry run's plan as it was). */
async function replay(call: ApiCall, stored: StoredResponse, req: UpgradeRequest): Promise<HttpResponseInit> {
  if (stored.runId) {
    const run = await mustGetRun(call, stored.runId);
    return runResponse(stored.status, run);
  }
  if (stored.body !== undefined)
    return { status: stored.status, headers: { 'content-type': 'application/json' }, body: stored.body };
  return (await startUpgrade(call, req)).response; // a dry run too large to keep: made again (it changes nothing)
}

/** `GET /api/upgrades/{id}`: the run, with `Retry-After` while it has not ended. */
export async function getUpgrade(call: ApiCall): Promise<HttpResponseInit> {
  requirePermission(call.caller, 'read', 'reading a run');
  const run = await mustGetRun(call, runIdParam(call));
  return runResponse(200, run);
}

const encodeCursor = (token: string): string => Buffer.from(token, 'utf8').toString('base64url');
const decodeCursor = (cursor: string): string => Buffer.from(cursor, 'base64url').toString('utf8');

/** `GET /api/upgrades?cluster=…&state=…&limit=…&cursor=…`: runs newest first, a page at a time (`next`). */
export async function listUpgrades(call: ApiCall): Promise<HttpResponseInit> {
  requirePermission(call.caller, 'read', 'listing runs');
  const q = call.req.query;
  const raw: Record<string, string> = {};
  for (const name of ['cluster', 'state', 'limit', 'cursor']) {
    const v = q.get(name);
    if (v !== null) raw[name] = v;
  }
  const parsed = ListQuerySchema.safeParse(raw);
  if (!parsed.success) throw zodProblem('query', parsed.error.issues);
  const { cluster, state, limit, cursor } = parsed.data;
  let clusterId: string | undefined;
  if (cluster) {
    call.audit.cluster = cluster;
    const ref = parseClusterId(cluster);
    clusterId = ref
      ? ref.id
      : (await findCluster(call.deps.azure, call.deps.settings.subscriptions, cluster, call.deps.log)).id;
  }
  const page = await listRuns(call.deps, {
    ...(clusterId ? { cluster: clusterId } : {}),
    ...(state ? { state: RUN_STATES.find((s) => s.toLowerCase() === state.toLowerCase()) as RunState } : {}),
    maxPageSize: limit ?? 20,
    ...(cursor ? { continuationToken: decodeCursor(cursor) } : {}),
  }).catch((err: unknown) => {
    if (cursor && !(err instanceof UpgradeError))
      throw fieldProblem('invalid-request', 'query', 'cursor', 'not the cursor of a previous page');
    throw err;
  });
  const next = page.continuationToken
    ? `/api/upgrades?${new URLSearchParams({
        ...(cluster ? { cluster } : {}),
        ...(state ? { state } : {}),
        limit: String(limit ?? 20),
        cursor: encodeCursor(page.continuationToken),
      }).toString()}`
    : undefined;
  return json(200, { items: page.runs.map(runBody), ...(next ? { next } : {}) });
}

/** `POST /api/upgrades/{id}/cancel`: checked now, carried out by the worker (202 with the run). */
export async function cancelUpgrade(call: ApiCall): Promise<HttpResponseInit> {
  requirePermission(call.caller, 'cancel', 'cancelling a run');
  const run = await mustGetRun(call, runIdParam(call));
  if (isTerminalRun(run.state))
    throw fieldProblem('run-state', 'path', 'id', `run ${run.id} has already ended (${run.state})`, {
      runId: run.id,
    });
  await enqueueCommand(
    call.deps,
    { kind: 'cancel', runId: run.id, cluster: run.cluster.id },
    actorOf(call.caller),
  );
  return runResponse(202, run);
}

/**
 * `POST /api/upgrades/{id}/approve`: an approver other than the requester (four eyes) approves a run
 * awaiting approval; the worker records it and carries the run on (202 with the run).
 */
export async function approveUpgrade(call: ApiCall): Promise<HttpResponseInit> {
  requirePermission(call.caller, 'approve', 'approving a run');
  const run = await mustGetRun(call, runIdParam(call));
  if (run.state !== 'AwaitingApproval')
    throw fieldProblem('run-state', 'path', 'id', `run ${run.id} is not awaiting approval (${run.state})`, {
      runId: run.id,
    });
  if (run.approvedBy)
    throw fieldProblem(
      'run-state',
      'path',
      'id',
      `run ${run.id} is already approved (by ${run.approvedBy})`,
      {
        runId: run.id,
      },
    );
  const actor = actorOf(call.caller);
  if (actor.toLowerCase() === run.requestedBy.toLowerCase())
    throw fieldProblem(
      'four-eyes',
      'header',
      'x-ms-client-principal',
      call.caller.authenticated
        ? `run ${run.id} was requested by ${call.caller.name}; another approver must approve it`
        : `run ${run.id} needs an approver other than its requester, and with App Service authentication off every caller is the function key holder: turn authentication on to approve over HTTP`,
    );
  await enqueueCommand(call.deps, { kind: 'approve', runId: run.id, cluster: run.cluster.id }, actor);
  return runResponse(202, run);
}

/** `GET /api/openapi.json`: the OpenAPI 3.1 description of this API. */
export function getOpenApi(): Promise<HttpResponseInit> {
  return Promise.resolve(json(200, openApiDocument()));
}
