/**
 * Reading aks-day2's history back from Log Analytics (Azure only: the simulator has no query API, so
 * tests cover the client's construction and the KQL text). Uses `@azure/monitor-query-logs`, the
 * successor of the deprecated `@azure/monitor-query`.
 */
import type { TokenCredential } from '@azure/core-auth';
import { LogsQueryClient, type LogsQueryResult } from '@azure/monitor-query-logs';
import type { Settings } from '../config/settings';
import { Day2Error } from '../errors';
import { LOG_TABLE } from './logRows';

export interface HistoryQuery {
  /** Cluster name or resource id. */
  cluster?: string;
  runId?: string;
  /** Look-back as an ISO 8601 duration, default P7D. */
  lookback?: string;
  limit?: number;
}

/** KQL string literal (double-quoted, backslash escapes). */
function kqlString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/** The KQL for recent AksDay2Ops_CL rows, newest first; `Details.rowId` dedupes rows delivered twice. */
export function historyQuery(q: HistoryQuery = {}): string {
  const lines = [LOG_TABLE];
  if (q.runId) lines.push(`| where RunId == ${kqlString(q.runId)}`);
  if (q.cluster) {
    lines.push(
      q.cluster.includes('/')
        ? `| where ClusterId =~ ${kqlString(q.cluster)}`
        : `| where Cluster =~ ${kqlString(q.cluster)}`,
    );
  }
  lines.push(
    '| summarize arg_max(TimeGenerated, *) by RowId = tostring(Details.rowId)',
    '| project-away RowId',
    '| order by TimeGenerated desc',
    `| take ${Math.max(1, Math.floor(q.limit ?? 200))}`,
  );
  return lines.join('\n');
}

export interface LogHistory {
  readonly client: LogsQueryClient;
  query(q?: HistoryQuery): Promise<LogsQueryResult>;
}

export function createLogHistory(
  settings: Pick<Settings, 'logsWorkspaceId'>,
  credential: TokenCredential,
): LogHistory {
  const workspaceId = settings.logsWorkspaceId;
  const client = new LogsQueryClient(credential);
  return {
    client,
    async query(q = {}) {
      if (!workspaceId)
        throw new Day2Error(
          'ConfigInvalid',
          'DAY2_LOGS_WORKSPACE_ID is not set: it names the Log Analytics workspace to read history from',
          { operation: 'query history' },
        );
      return client.queryWorkspace(workspaceId, historyQuery(q), { duration: q.lookback ?? 'P7D' });
    },
  };
}
