/**
 * Typed errors. Every failure that reaches a job, a CLI command or a function handler is a Day2Error
 * carrying a code, the cluster and operation it concerns, and the original error as `cause`.
 */
export type ErrorCode =
  | 'ConfigInvalid' // a setting is missing or malformed
  | 'TagInvalid' // a cluster tag does not parse
  | 'BadRequest' // user input (CLI, HTTP, ChatOps) is malformed
  | 'NotFound' // cluster, pool or run unknown
  | 'Conflict' // another operation runs on the cluster (AKS 409 OperationNotAllowed)
  | 'Refused' // AKS refused the change (minor skip, stopped cluster, unknown version, ...)
  | 'OperationFailed' // a long-running operation ended Failed or Canceled
  | 'Forbidden' // 401/403 from Azure: a role assignment is missing
  | 'Throttled' // 429 survived the SDK's retries
  | 'AzureUnavailable' // 5xx or network error survived the SDK's retries
  | 'StorageFailed' // Table/Queue storage failed
  | 'DeliveryFailed' // Teams / Log Analytics delivery failed
  | 'Internal';

export interface ErrorContext {
  /** Cluster resource id or name. */
  cluster?: string;
  /** What was being done: `stop`, `start`, `upgrade`, `list clusters`, ... */
  operation?: string;
}

export class Day2Error extends Error {
  readonly code: ErrorCode;
  readonly cluster?: string;
  readonly operation?: string;
  /** HTTP status of the Azure response behind this error, when there was one. */
  readonly statusCode?: number;
  /** AKS / ARM error code (e.g. `OperationNotAllowed`, `UpgradeFailed`), when there was one. */
  readonly azureCode?: string;

  constructor(
    code: ErrorCode,
    message: string,
    ctx: ErrorContext & { cause?: unknown; statusCode?: number; azureCode?: string } = {},
  ) {
    super(message, ctx.cause === undefined ? undefined : { cause: ctx.cause });
    this.name = 'Day2Error';
    this.code = code;
    this.cluster = ctx.cluster;
    this.operation = ctx.operation;
    this.statusCode = ctx.statusCode;
    this.azureCode = ctx.azureCode;
  }
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return typeof err === 'string' ? err : JSON.stringify(err);
}
