import type { HttpHandler, HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { toDay2Error } from '../azure/azureError';
import { depsFor, type Deps } from '../deps';
import { Day2Error, errorMessage } from '../errors';
import { actorOf, callerFrom, type Caller } from '../http/principal';
import {
  fieldProblem,
  problemResponse,
  problemTypeUri,
  ProblemError,
  type FieldLocation,
} from '../http/problem';
import { appendAudit } from '../audit/auditTrail';
import type { ClusterRef } from '../fleet/cluster';
import { engineProblem } from './engineProblems';

/** What a handler learnt about a call, for its audit row. */
export interface AuditFacts {
  cluster?: ClusterRef | string;
  runId?: string;
  problemType?: string;
}

export interface ApiCall {
  deps: Deps;
  caller: Caller;
  req: HttpRequest;
  ctx: InvocationContext;
  /** Filled by the handler as it learns the cluster and run: the audit row carries them. */
  audit: AuditFacts;
}

/** Where a typed error's subject is, for the problem's `errors[]` (a NotFound of `POST /upgrades` is the body's `cluster`). */
export interface ErrorSubject {
  in: FieldLocation;
  field: string;
}

/**
 * Turns what a handler threw into problem details: a ProblemError as is; typed errors by code (400,
 * 404, 409, 422; Azure or storage trouble 503); anything else 500, logged.
 */
export function toProblem(err: unknown, subject: ErrorSubject, ctx: InvocationContext): ProblemError {
  if (err instanceof ProblemError) return err;
  const refused = engineProblem(err, subject.in === 'body' ? 'body' : 'path');
  if (refused) return refused;
  const e = err instanceof Day2Error ? err : toDay2Error(err, { operation: 'http request' });
  const one = (kind: ConstructorParameters<typeof ProblemError>[0]) =>
    fieldProblem(kind, subject.in, subject.field, e.message);
  switch (e.code) {
    case 'BadRequest':
      return one('invalid-request');
    case 'NotFound':
      return one('not-found');
    case 'Conflict':
      return one('run-in-flight');
    case 'Refused':
      return one('cluster-refused');
    case 'Throttled':
    case 'AzureUnavailable':
    case 'StorageFailed': {
      ctx.warn(`upgradesApi: ${e.code}: ${e.message}`);
      const p = fieldProblem('unavailable', subject.in, subject.field, e.message);
      return new ProblemError(p.kind, p.detail, p.errors, {}, { 'retry-after': '30' });
    }
    default:
      ctx.error(`upgradesApi: ${e.code}: ${e.message}`);
      return fieldProblem('internal', subject.in, subject.field, `${e.code}: ${errorMessage(e)}`);
  }
}

/**
 * Every call of the HTTP API is audited: one `AksDay2Ops_CL` row, `Job` = `upgrade`,
 * `Action` = `http <METHOD> /api/<route>`, `Actor` = `http:<principal>`, `Outcome` Succeeded (below
 * 400) or Failed, the status and problem type in `Details`.
 *
 * One route of the API: settings and caller (Easy Auth principal, or the function key holder), the
 * handler, problem details for whatever it threw, and the audit row of the call whatever happened.
 */
export function apiHandler(
  route: string,
  subject: ErrorSubject,
  fn: (call: ApiCall) => Promise<HttpResponseInit>,
): HttpHandler {
  return async (req, ctx) => {
    const started = Date.now();
    const facts: AuditFacts = {};
    let deps: Deps | undefined;
    let caller: Caller | undefined;
    let response: HttpResponseInit;
    try {
      deps = depsFor(ctx);
      caller = callerFrom(req.headers, deps.settings.easyAuth);
      response = await fn({ deps, caller, req, ctx, audit: facts });
    } catch (err) {
      const p = toProblem(err, subject, ctx);
      facts.problemType = problemTypeUri(p.kind);
      response = problemResponse(p, new URL(req.url).pathname.slice(0, 300));
    }
    if (deps) {
      try {
        const status = response.status ?? 200;
        await appendAudit(deps, {
          actor: caller ? actorOf(caller) : 'http:unauthenticated',
          job: 'upgrade',
          action: `http ${req.method} /api/${route}`,
          outcome: status < 400 ? 'Succeeded' : 'Failed',
          cluster: facts.cluster,
          runId: facts.runId,
          reason: `${req.method} /api/${route} answered ${status}${facts.problemType ? ` (${facts.problemType})` : ''}`,
          at: deps.clock.now(),
          durationMs: Date.now() - started,
          details: {
            status,
            invocationId: ctx.invocationId,
            ...(facts.problemType ? { problemType: facts.problemType } : {}),
          },
          key: ctx.invocationId,
        });
      } catch (err) {
        ctx.error(
          `upgradesApi: the audit row of ${req.method} /api/${route} was not stored: ${errorMessage(err)}`,
        );
      }
    }
    return response;
  };
}
