import { z } from 'zod';
import { PROBLEM_CONTENT_TYPE, PROBLEM_TYPES, problemTypeUri, type ProblemKind } from '../http/problem';
import { APP_ROLES } from '../http/principal';
import { MAX_BODY_BYTES } from '../http/jsonBody';
import { PRECHECK_NAMES } from '../upgrades/api';
import { RUN_STATES, UpgradeRequestSchema } from './requestSchemas';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

function problems(...kinds: ProblemKind[]): Record<string, unknown> {
  const byStatus = new Map<number, ProblemKind[]>();
  for (const k of kinds)
    byStatus.set(PROBLEM_TYPES[k].status, [...(byStatus.get(PROBLEM_TYPES[k].status) ?? []), k]);
  return Object.fromEntries(
    [...byStatus].map(([status, ks]) => [
      String(status),
      {
        description: ks.map((k) => `\`${problemTypeUri(k)}\`: ${PROBLEM_TYPES[k].title}`).join('; '),
        content: { [PROBLEM_CONTENT_TYPE]: { schema: ref('Problem') } },
      },
    ]),
  );
}

const runResponse = (description: string, headers: Record<string, unknown> = {}) => ({
  description,
  headers: { 'Retry-After': { $ref: '#/components/headers/RetryAfter' }, ...headers },
  content: { 'application/json': { schema: ref('Run') } },
});

const idParam = {
  name: 'id',
  in: 'path',
  required: true,
  description: 'The run id (`R-…`)',
  schema: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$' },
};

/** Every problem any operation may answer for any request (auth, the body limit, the services behind). */
const COMMON: ProblemKind[] = ['unauthenticated', 'forbidden', 'unavailable', 'internal'];

/**
 * The OpenAPI 3.1 description of the upgrades API, served at `GET /api/openapi.json` and kept in the
 * repository as docs/openapi.json (a test checks both against the registered functions).
 */
/** A Teams message reply of the chatops endpoint. */
const chatReply = {
  type: 'object',
  required: ['type', 'text'],
  properties: {
    type: { const: 'message' },
    text: { type: 'string' },
    attachments: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          contentType: { const: 'application/vnd.microsoft.card.adaptive' },
          content: { type: 'object' },
        },
      },
    },
  },
};

export function openApiDocument(): Record<string, unknown> {
  const request = z.toJSONSchema(UpgradeRequestSchema, { target: 'draft-2020-12', io: 'input' });
  delete (request as { $schema?: string }).$schema;
  return {
    openapi: '3.1.0',
    info: {
      title: 'aks-day2 upgrades API',
      version: '1.0.0',
      description:
        'On-demand Kubernetes upgrades of AKS clusters: dry runs with every pre-check and its evidence, runs carried out by the command worker, progress, cancel, four-eyes approval. Errors are RFC 9457 problem details naming the field.',
    },
    servers: [{ url: '/api' }],
    security: [{ functionKey: [] }, { functionKeyQuery: [] }],
    paths: {
      '/upgrades': {
        post: {
          operationId: 'requestUpgrade',
          summary: 'Request an upgrade (or a dry run)',
          description: `Needs Day2.Operator (a dry run: any role). Bodies over ${MAX_BODY_BYTES / 1024} KB are refused. A prod cluster's run waits for an approver.`,
          parameters: [
            {
              name: 'Idempotency-Key',
              in: 'header',
              required: false,
              description:
                'A repeat with the same key and body returns the same run; the same key with another body is 422.',
              schema: { type: 'string', pattern: '^[\\x21-\\x7e]{1,255}$' },
            },
          ],
          requestBody: { required: true, content: { 'application/json': { schema: ref('UpgradeRequest') } } },
          responses: {
            '200': {
              description: 'Dry run: the plan with every pre-check and its evidence',
              content: { 'application/json': { schema: ref('Plan') } },
            },
            '202': runResponse('The run is accepted and queued; `Location` is where to follow it', {
              Location: { description: '`/api/upgrades/{id}`', schema: { type: 'string' } },
            }),
            ...problems(
              'invalid-request',
              'not-found',
              'run-in-flight',
              'idempotency-key-in-use',
              'payload-too-large',
              'unsupported-media-type',
              'idempotency-key-reused',
              'prechecks-failed',
              'cluster-refused',
              ...COMMON,
            ),
          },
        },
        get: {
          operationId: 'listUpgrades',
          summary: 'List runs, newest first, a page at a time',
          parameters: [
            { name: 'cluster', in: 'query', schema: { type: 'string', maxLength: 400 } },
            { name: 'state', in: 'query', schema: { type: 'string', enum: [...RUN_STATES] } },
            {
              name: 'limit',
              in: 'query',
              schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
            },
            { name: 'cursor', in: 'query', schema: { type: 'string' }, description: 'From `next`' },
          ],
          responses: {
            '200': {
              description: 'A page of runs',
              content: { 'application/json': { schema: ref('RunPage') } },
            },
            ...problems('invalid-request', 'not-found', ...COMMON),
          },
        },
      },
      '/upgrades/{id}': {
        get: {
          operationId: 'getUpgrade',
          summary: 'A run: state, steps, progress, pre-checks',
          parameters: [idParam],
          responses: {
            '200': runResponse('The run; `Retry-After` while it has not ended'),
            ...problems('invalid-request', 'not-found', ...COMMON),
          },
        },
      },
      '/upgrades/{id}/cancel': {
        post: {
          operationId: 'cancelUpgrade',
          summary: 'Cancel a run (no further step is submitted)',
          description: 'Needs Day2.Operator or Day2.Approver.',
          parameters: [idParam],
          responses: {
            '202': runResponse('Accepted; the worker cancels the run'),
            ...problems('invalid-request', 'not-found', 'run-state', ...COMMON),
          },
        },
      },
      '/upgrades/{id}/approve': {
        post: {
          operationId: 'approveUpgrade',
          summary: 'Approve a run awaiting approval (four eyes)',
          description: 'Needs Day2.Approver, and the approver must not be the requester.',
          parameters: [idParam],
          responses: {
            '202': runResponse('Accepted; the worker records the approval and carries the run on'),
            ...problems('invalid-request', 'not-found', 'run-state', 'four-eyes', ...COMMON),
          },
        },
      },
      '/chatops': {
        post: {
          operationId: 'chatops',
          summary: 'Teams outgoing webhook: `@day2 <command>` (docs/chatops.md)',
          description:
            'Anonymous at the Functions level; every call must carry `Authorization: HMAC <base64>`, the HMAC-SHA256 of the raw body keyed with the base64-decoded security token of the outgoing webhook. The reply is a Teams message: text, or text and one Adaptive Card.',
          security: [{ teamsHmac: [] }],
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  description: 'A Bot Framework message activity as Teams posts it',
                  properties: {
                    type: { type: 'string' },
                    id: { type: 'string' },
                    text: { type: 'string', description: 'e.g. `<at>day2</at>&nbsp;status aks-dev-weu-01`' },
                    from: {
                      type: 'object',
                      properties: {
                        id: { type: 'string' },
                        name: { type: 'string' },
                        aadObjectId: { type: 'string' },
                      },
                    },
                  },
                },
              },
            },
          },
          responses: {
            '200': {
              description: 'The reply shown in the thread',
              content: { 'application/json': { schema: chatReply } },
            },
            '401': {
              description: 'No, a malformed or a wrong HMAC signature (audited; nothing else is read)',
              content: { 'application/json': { schema: chatReply } },
            },
            '413': {
              description: 'A body over 1 MB (not read)',
              content: { 'application/json': { schema: chatReply } },
            },
          },
        },
      },
      '/openapi.json': {
        get: {
          operationId: 'getOpenApi',
          summary: 'This description',
          responses: {
            '200': {
              description: 'OpenAPI 3.1',
              content: { 'application/json': { schema: { type: 'object' } } },
            },
            ...problems(...COMMON),
          },
        },
      },
    },
    components: {
      securitySchemes: {
        functionKey: { type: 'apiKey', in: 'header', name: 'x-functions-key' },
        functionKeyQuery: { type: 'apiKey', in: 'query', name: 'code' },
        teamsHmac: {
          type: 'apiKey',
          in: 'header',
          name: 'Authorization',
          description: '`HMAC <base64>` of the raw body (Teams outgoing webhook)',
        },
      },
      headers: {
        RetryAfter: {
          description: 'Seconds to wait before reading the run again (while it has not ended)',
          schema: { type: 'string' },
        },
      },
      schemas: {
        UpgradeRequest: request,
        PreCheckResult: {
          type: 'object',
          required: ['check', 'status', 'kind', 'overridable', 'summary', 'evidence'],
          properties: {
            check: { type: 'string', enum: [...PRECHECK_NAMES] },
            status: { type: 'string', enum: ['pass', 'warn', 'fail'] },
            kind: { type: 'string' },
            overridable: { type: 'boolean' },
            summary: { type: 'string' },
            evidence: { type: 'array', items: { type: 'string' } },
            toVersion: { type: 'string' },
            overridden: { type: 'boolean' },
          },
        },
        Step: {
          type: 'object',
          required: ['kind', 'leg', 'status'],
          properties: {
            kind: { type: 'string' },
            leg: { type: 'integer' },
            toVersion: { type: 'string' },
            pool: { type: 'string' },
            status: { type: 'string', enum: ['Pending', 'Running', 'Succeeded', 'Failed', 'Skipped'] },
            startedAt: { type: 'string' },
            finishedAt: { type: 'string' },
            reason: { type: 'string' },
            azureCode: { type: 'string' },
            progress: {
              type: 'object',
              properties: { nodesDone: { type: 'integer' }, nodesTotal: { type: 'integer' } },
            },
          },
        },
        Cluster: {
          type: 'object',
          required: ['id', 'name'],
          properties: {
            id: { type: 'string' },
            name: { type: 'string' },
            subscriptionId: { type: 'string' },
            resourceGroup: { type: 'string' },
          },
        },
        Run: {
          type: 'object',
          required: [
            'id',
            'cluster',
            'state',
            'fromVersion',
            'toVersion',
            'steps',
            'prechecks',
            'requestedBy',
            'links',
          ],
          properties: {
            id: { type: 'string' },
            cluster: ref('Cluster'),
            state: { type: 'string', enum: [...RUN_STATES] },
            fromVersion: { type: 'string' },
            toVersion: { type: 'string' },
            legs: { type: 'array', items: { type: 'string' } },
            steps: { type: 'array', items: ref('Step') },
            prechecks: { type: 'array', items: ref('PreCheckResult') },
            progress: { type: 'object' },
            requestedBy: {
              type: 'string',
              description: '`http:<principal>`, `teams:<object id>` or `timer`',
            },
            approvalRequired: { type: 'boolean' },
            approvedBy: { type: 'string' },
            cancelledBy: { type: 'string' },
            createdAt: { type: 'string' },
            updatedAt: { type: 'string' },
            finishedAt: { type: 'string' },
            reason: { type: 'string' },
            links: {
              type: 'object',
              required: ['self'],
              properties: {
                self: { type: 'string' },
                cancel: { type: 'string' },
                approve: { type: 'string' },
              },
            },
          },
        },
        Plan: {
          type: 'object',
          required: ['dryRun', 'cluster', 'fromVersion', 'toVersion', 'steps', 'prechecks', 'wouldStart'],
          properties: {
            dryRun: { const: true },
            cluster: ref('Cluster'),
            fromVersion: { type: 'string' },
            toVersion: { type: 'string' },
            legs: { type: 'array', items: { type: 'string' } },
            steps: { type: 'array', items: ref('Step') },
            prechecks: { type: 'array', items: ref('PreCheckResult') },
            approvalRequired: { type: 'boolean' },
            wouldStart: { type: 'boolean' },
            blocking: { type: 'array', items: ref('PreCheckResult') },
          },
        },
        RunPage: {
          type: 'object',
          required: ['items'],
          properties: {
            items: { type: 'array', items: ref('Run') },
            next: { type: 'string', description: 'The next page, when there is one' },
          },
        },
        Problem: {
          type: 'object',
          description: 'RFC 9457 problem details; `errors` names every field at fault',
          required: ['type', 'title', 'status', 'detail', 'errors'],
          properties: {
            type: {
              type: 'string',
              enum: Object.keys(PROBLEM_TYPES).map((k) => problemTypeUri(k as ProblemKind)),
            },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            instance: { type: 'string' },
            errors: {
              type: 'array',
              minItems: 1,
              items: {
                type: 'object',
                required: ['in', 'field', 'detail'],
                properties: {
                  in: { type: 'string', enum: ['body', 'query', 'path', 'header'] },
                  field: { type: 'string' },
                  detail: { type: 'string' },
                },
              },
            },
            runId: { type: 'string', description: '409 run-in-flight: the run in flight' },
            prechecks: { type: 'array', items: ref('PreCheckResult'), description: '422 prechecks-failed' },
          },
        },
      },
    },
    'x-app-roles': [...APP_ROLES],
  };
}
