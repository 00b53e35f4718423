import { Day2Error } from '../errors';
import type { PreCheckResult } from './model';

/** Why an engine call was refused, as data (callers map it to HTTP status, ChatOps reply, exit code). */
export type UpgradeErrorKind =
  | 'bad-request' // the request is malformed (field and why in the message)
  | 'unknown-cluster'
  | 'ambiguous-cluster' // a name used by more than one cluster
  | 'run-in-flight' // the cluster already has a run that has not ended (`runId`)
  | 'prechecks-failed' // `prechecks`: every failed one, `overridable` marked
  | 'unknown-run'
  | 'not-awaiting-approval'
  | 'four-eyes' // the approver requested the run
  | 'run-ended'; // cancel/approve on a run that has ended

export class UpgradeError extends Day2Error {
  readonly kind: UpgradeErrorKind;
  readonly runId?: string;
  readonly prechecks?: PreCheckResult[];
  constructor(
    kind: UpgradeErrorKind,
    message: string,
    ctx: { cluster?: string; runId?: string; prechecks?: PreCheckResult[]; cause?: unknown } = {},
  ) {
    super(CODE[kind], message, { cluster: ctx.cluster, operation: 'upgrade', cause: ctx.cause });
    this.name = 'UpgradeError';
    this.kind = kind;
    this.runId = ctx.runId;
    this.prechecks = ctx.prechecks;
  }
}

const CODE: Record<UpgradeErrorKind, Day2Error['code']> = {
  'bad-request': 'BadRequest',
  'unknown-cluster': 'NotFound',
  'ambiguous-cluster': 'BadRequest',
  'run-in-flight': 'Conflict',
  'prechecks-failed': 'Refused',
  'unknown-run': 'NotFound',
  'not-awaiting-approval': 'Conflict',
  'four-eyes': 'Refused',
  'run-ended': 'Conflict',
};
