import { LogsQueryResultStatus, type LogsTable } from '@azure/monitor-query-logs';
import type { Deps } from '../../deps';
import { Day2Error } from '../../errors';
import type { ClusterSnapshot } from '../../fleet/cluster';
import removedApisJson from '../removedApis.json';

/** APIs Kubernetes stopped serving, by release: data from the deprecation guide (`source`). */
export interface RemovedApi {
  removedIn: string;
  /** `group/version/resource` (core group: empty group, e.g. `/v1/...`). */
  api: string;
  replacement: string;
}
export const REMOVED_APIS: { source: string; removed: RemovedApi[] } = removedApisJson;

/** Requests in the audit logs to an API that is deprecated (annotation) or listed as removed. */
export interface DeprecatedApiUse {
  api: string;
  /** `k8s.io/removed-release` from the audit annotation, else from the removed-API table; empty when neither says. */
  removedIn: string;
  /** Where `removedIn` came from. */
  source: 'annotation' | 'table' | 'none';
  userAgent: string;
  calls: number;
  lastSeen?: string;
}

export interface AuditFacts {
  workspaceId: string;
  lookbackDays: number;
  uses: DeprecatedApiUse[];
}

export const AUDIT_LOOKBACK_DAYS = 7;

const kqlString = (s: string): string => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

const SUMMARY = [
  '| where deprecated == "true" or api in (REMOVED)',
  '| summarize calls = dcount(AuditId), lastSeen = max(TimeGenerated) by api, removedIn, UserAgent',
  '| order by calls desc',
  '| take 200',
];

/**
 * The KQL of the deprecated-API pre-check, one query per way AKS sends audit logs: the resource-specific
 * tables (`AKSAudit`, `AKSAuditAdmin`) and `AzureDiagnostics` (categories `kube-audit`,
 * `kube-audit-admin`, the event as JSON in `log_s`). Each finds the cluster's requests of the last 7 days
 * that carry `k8s.io/deprecated` or hit an API of the removed-API table, counted per API, removal
 * release (`k8s.io/removed-release`) and user agent.
 */
export function deprecatedApiQueries(clusterId: string): string[] {
  const removed = REMOVED_APIS.removed.map((r) => kqlString(r.api)).join(', ');
  const id = kqlString(clusterId.toLowerCase());
  const summary = SUMMARY.map((l) => l.replace('REMOVED', removed));
  return [
    [
      'union AKSAudit, AKSAuditAdmin',
      `| where TimeGenerated > ago(${AUDIT_LOOKBACK_DAYS}d) and _ResourceId =~ ${id}`,
      '| extend api = strcat(tostring(ObjectRef.apiGroup), "/", tostring(ObjectRef.apiVersion), "/", tostring(ObjectRef.resource)),',
      '         deprecated = tostring(Annotations["k8s.io/deprecated"]),',
      '         removedIn = tostring(Annotations["k8s.io/removed-release"])',
      ...summary,
    ].join('\n'),
    [
      'AzureDiagnostics',
      `| where Category in ("kube-audit", "kube-audit-admin") and TimeGenerated > ago(${AUDIT_LOOKBACK_DAYS}d) and _ResourceId =~ ${id}`,
      '| extend e = parse_json(log_s)',
      '| extend api = strcat(tostring(e.objectRef.apiGroup), "/", tostring(e.objectRef.apiVersion), "/", tostring(e.objectRef.resource)),',
      '         deprecated = tostring(e.annotations["k8s.io/deprecated"]),',
      '         removedIn = tostring(e.annotations["k8s.io/removed-release"]),',
      '         UserAgent = tostring(e.userAgent), AuditId = tostring(e.auditID)',
      ...summary,
    ].join('\n'),
  ];
}

/** A cell as text (dynamic cells are JSON). */
const text = (v: unknown): string =>
  v === undefined || v === null
    ? ''
    : v instanceof Date
      ? v.toISOString()
      : typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'
        ? String(v)
        : JSON.stringify(v);

function column(t: LogsTable, name: string): number {
  return t.columnDescriptors.findIndex((c) => (c.name ?? '').toLowerCase() === name.toLowerCase());
}

/** Parses the query's rows; the removal release comes from the annotation, else from the removed-API table. */
export function parseDeprecatedApiRows(t: LogsTable): DeprecatedApiUse[] {
  const [api, removedIn, ua, calls, lastSeen] = ['api', 'removedIn', 'UserAgent', 'calls', 'lastSeen'].map(
    (n) => column(t, n),
  );
  if (api! < 0) throw new Error('the audit query returned no api column');
  const out: DeprecatedApiUse[] = [];
  for (const row of t.rows) {
    const a = text(row[api!]).slice(0, 200);
    const annotated = removedIn! >= 0 ? text(row[removedIn!]) : '';
    const listed = REMOVED_APIS.removed.find((r) => r.api.toLowerCase() === a.toLowerCase());
    const seen = lastSeen! >= 0 ? row[lastSeen!] : undefined;
    out.push({
      api: a,
      removedIn: annotated || listed?.removedIn || '',
      source: annotated ? 'annotation' : listed ? 'table' : 'none',
      userAgent: ua! >= 0 ? text(row[ua!]).slice(0, 200) : '',
      calls: calls! >= 0 ? Number(row[calls!]) || 0 : 0,
      ...(seen !== undefined && seen !== null && seen !== '' ? { lastSeen: text(seen) } : {}),
    });
  }
  return out;
}

/** Reads the cluster's deprecated-API use from Log Analytics (DAY2_LOGS_WORKSPACE_ID). */
export async function readDeprecatedApiUse(
  deps: Pick<Deps, 'azure' | 'settings'>,
  cluster: Pick<ClusterSnapshot, 'id' | 'name'>,
): Promise<AuditFacts> {
  const workspaceId = deps.settings.logsWorkspaceId;
  if (!workspaceId)
    throw new Day2Error('ConfigInvalid', 'DAY2_LOGS_WORKSPACE_ID is not set: the audit logs cannot be read', {
      cluster: cluster.name,
      operation: 'read audit logs',
    });
  const uses: DeprecatedApiUse[] = [];
  for (const query of deprecatedApiQueries(cluster.id)) {
    const result = await deps.azure
      .logsQuery()
      .queryWorkspace(workspaceId, query, { duration: `P${AUDIT_LOOKBACK_DAYS}D` });
    if (result.status !== LogsQueryResultStatus.Success)
      throw new Day2Error(
        'AzureUnavailable',
        `the audit query returned a partial result: ${result.partialError.message ?? result.partialError.code}`,
        { cluster: cluster.name, operation: 'read audit logs' },
      );
    const table = result.tables[0];
    if (table) uses.push(...parseDeprecatedApiRows(table));
  }
  return { workspaceId, lookbackDays: AUDIT_LOOKBACK_DAYS, uses };
}
