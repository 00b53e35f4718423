import { Day2Error, errorMessage, type ErrorCode, type ErrorContext } from '../errors';

interface RestErrorLike {
  statusCode?: number;
  code?: string;
  message: string;
}

function isRestErrorLike(err: unknown): err is RestErrorLike {
  return (
    typeof err === 'object' && err !== null && 'message' in err && ('statusCode' in err || 'code' in err)
  );
}

/** The role that grants an operation, named in 403 errors so the fix is obvious (infra/ assigns it). */
const ROLE_HINT: Record<string, string> = {
  stop: 'Microsoft.ContainerService/managedClusters/stop/action',
  start: 'Microsoft.ContainerService/managedClusters/start/action',
  upgrade: 'Microsoft.ContainerService/managedClusters/write',
  'pool upgrade': 'Microsoft.ContainerService/managedClusters/agentPools/write',
  'node-image upgrade':
    'Microsoft.ContainerService/managedClusters/agentPools/upgradeNodeImageVersion/action',
  'list clusters': 'Microsoft.ContainerService/managedClusters/read',
};

/** What a Forbidden error on `operation` says about the missing permission ('' when it is not known). */
export function roleHint(operation: string | undefined): string {
  const action = operation ? ROLE_HINT[operation] : undefined;
  return action ? ` The identity needs ${action} (granted by the role in infra/main.bicep).` : '';
}

/**
 * Normalises anything an Azure SDK call throws into a Day2Error carrying cluster and operation.
 * RestError (HTTP status + ARM code) and the poller's "long-running operation has failed" Error both map.
 */
export function toDay2Error(err: unknown, ctx: ErrorContext): Day2Error {
  if (err instanceof Day2Error) return err;
  const where = `${ctx.operation ?? 'request'}${ctx.cluster ? ` on ${ctx.cluster}` : ''}`;
  if (isRestErrorLike(err) && err.statusCode !== undefined) {
    const s = err.statusCode;
    const code: ErrorCode =
      s === 401 || s === 403
        ? 'Forbidden'
        : s === 404
          ? 'NotFound'
          : s === 409
            ? 'Conflict'
            : s === 429
              ? 'Throttled'
              : s >= 500
                ? 'AzureUnavailable'
                : 'Refused';
    const hint = code === 'Forbidden' ? roleHint(ctx.operation) : '';
    return new Day2Error(code, `${where} failed: ${err.message}${hint}`, {
      ...ctx,
      cause: err,
      statusCode: s,
      azureCode: err.code,
    });
  }
  const msg = errorMessage(err);
  const lro = /^The long-running operation has failed\. ([A-Za-z]+)\. ([\s\S]*)$/.exec(msg);
  if (lro) {
    return new Day2Error('OperationFailed', `${where} failed: ${lro[1]}: ${lro[2]}`, {
      ...ctx,
      cause: err,
      azureCode: lro[1],
    });
  }
  if (/Operation was canceled/i.test(msg)) {
    return new Day2Error('OperationFailed', `${where} was canceled`, {
      ...ctx,
      cause: err,
      azureCode: 'Canceled',
    });
  }
  if (isRestErrorLike(err) && err.code && /ECONN|ETIMEDOUT|ENOTFOUND|EAI_AGAIN/.test(err.code)) {
    return new Day2Error('AzureUnavailable', `${where} failed: ${msg}`, { ...ctx, cause: err });
  }
  return new Day2Error('Internal', `${where} failed: ${msg}`, { ...ctx, cause: err });
}
