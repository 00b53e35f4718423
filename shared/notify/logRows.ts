/**
 * Log Analytics rows (docs/records.md): one row per outcome in `AksDay2Ops_CL`, with exactly the columns
 * declared in infra/logs/dcr-stream.json (the one source of truth, shared with the table schema).
 */
import dcr from '../../infra/logs/dcr-stream.json';
import type { RunRecord } from '../records/outcome';

/** One row as sent to the Logs Ingestion API (stream `Custom-AksDay2Ops_CL`). */
export interface AksDay2OpsRow {
  TimeGenerated: string;
  RunId: string;
  Job: string;
  Action: string;
  Outcome: string;
  ClusterId: string;
  Cluster: string;
  Subscription: string;
  ResourceGroup: string;
  NodePool: string;
  FromVersion: string;
  ToVersion: string;
  Reason: string;
  Actor: string;
  /** null when the job did not measure it. */
  DurationMs: number | null;
  /** The outcome's details plus `dryRun`, `rowId` (`<runId>/<index>`, stable: dedupe with it) and, once queued, `deliveryId`. */
  Details: Record<string, unknown>;
  [column: string]: unknown;
}

export const LOG_TABLE = 'AksDay2Ops_CL';

/** Columns of the stream, in order, as the DCR declares them. */
export const LOG_COLUMNS: ReadonlyArray<{ name: string; type: string }> =
  dcr.streamDeclarations['Custom-AksDay2Ops_CL'].columns;

/** Log Analytics keeps at most 64 KB a field: longer text is cut (the run store keeps it whole). */
const MAX_FIELD_CHARS = 30_000;

function cut(text: string): string {
  return text.length > MAX_FIELD_CHARS ? `${text.slice(0, MAX_FIELD_CHARS - 1)}…` : text;
}

function details(value: Record<string, unknown>): Record<string, unknown> {
  const json = JSON.stringify(value);
  return json.length > MAX_FIELD_CHARS ? { truncated: true, json: json.slice(0, MAX_FIELD_CHARS) } : value;
}

export function toLogRows(run: RunRecord): AksDay2OpsRow[] {
  return run.outcomes.map((o, i) => ({
    TimeGenerated: o.at.toISOString(),
    RunId: run.runId,
    Job: run.job,
    Action: o.action,
    Outcome: o.outcome,
    ClusterId: o.cluster.id,
    Cluster: o.cluster.name,
    Subscription: o.cluster.subscriptionId,
    ResourceGroup: o.cluster.resourceGroup,
    NodePool: o.nodePool ?? '',
    FromVersion: o.fromVersion ?? '',
    ToVersion: o.toVersion ?? '',
    Reason: cut(o.reason),
    Actor: run.actor,
    DurationMs: o.durationMs === undefined ? null : Math.round(o.durationMs),
    Details: details({ ...(o.details ?? {}), dryRun: run.dryRun, rowId: `${run.runId}/${i}` }),
  }));
}

/**
 * Splits rows into groups whose JSON stays under `maxBytes` of UTF-8 (one outbox entry each, well
 * inside a table entity; the Logs Ingestion client itself cuts uploads to 1 MB requests).
 */
export function chunkRows<T>(rows: readonly T[], maxBytes = 400_000): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let size = 2;
  for (const row of rows) {
    const len = Buffer.byteLength(JSON.stringify(row), 'utf8') + 1;
    if (current.length > 0 && size + len > maxBytes) {
      chunks.push(current);
      current = [];
      size = 2;
    }
    current.push(row);
    size += len;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
