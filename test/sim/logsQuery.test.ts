import { LogsQueryClient, LogsQueryResultStatus, type LogsQueryResult } from '@azure/monitor-query-logs';
import type { SimHandle } from '../../shared/sim/server';
import { credential, rejectionOf, sim } from './simClient';
import { UP_RG, UP_SUB, upgradeFleet } from './upgradeFleet';

const NOW = '2026-01-12T06:00:00.000Z';
const ROLL_ID = `/subscriptions/${UP_SUB}/resourceGroups/${UP_RG}/providers/Microsoft.ContainerService/managedClusters/aks-roll`;

/** The query a deprecated-API pre-check sends to resource-specific tables. */
const RESOURCE_SPECIFIC = `AKSAuditAdmin
| where TimeGenerated > ago(7d)
| where tostring(Annotations["k8s.io/deprecated"]) == "true"
| extend removedIn = tostring(Annotations["k8s.io/removed-release"]),
         api = strcat(tostring(ObjectRef.apiGroup), "/", tostring(ObjectRef.apiVersion), "/", tostring(ObjectRef.resource))
| summarize calls = count(), lastSeen = max(TimeGenerated) by _ResourceId, removedIn, api, UserAgent, RequestUri
| order by calls desc`;

/** The same in diagnostics mode (AzureDiagnostics, the audit event as JSON in log_s). */
const DIAGNOSTICS = `AzureDiagnostics
| where Category in ("kube-audit", "kube-audit-admin") and TimeGenerated > ago(7d)
| extend e = parse_json(log_s)
| where tostring(e.annotations["k8s.io/deprecated"]) == "true"
| summarize calls = count() by _ResourceId, removedIn = tostring(e.annotations["k8s.io/removed-release"]),
    api = strcat(tostring(e.objectRef.apiGroup), "/", tostring(e.objectRef.apiVersion), "/", tostring(e.objectRef.resource)),
    userAgent = tostring(e.userAgent), requestUri = tostring(e.requestURI)`;

function rows(r: LogsQueryResult): Record<string, unknown>[] {
  if (r.status !== LogsQueryResultStatus.Success) throw new Error(`query not successful: ${r.status}`);
  const t = r.tables[0]!;
  return t.rows.map((row) => Object.fromEntries(t.columnDescriptors.map((c, i) => [c.name, row[i]])));
}

describe('simulated Logs Query API with audit rows', () => {
  let s: SimHandle;
  let client: LogsQueryClient;
  let workspace: string;
  beforeAll(async () => {
    s = await sim({ speed: 0, fleet: upgradeFleet(), startTime: NOW });
    client = new LogsQueryClient(credential, { endpoint: s.logsQueryEndpoint, tlsOptions: { ca: s.caCert } });
    workspace = s.logsWorkspaceIds[0]!;
  });
  afterAll(async () => {
    await s.close();
  });

  it('answers the resource-specific deprecated-API query with the API, user agent, request URI, count and last time', async () => {
    const r = await client.queryWorkspace(workspace, RESOURCE_SPECIFIC, { duration: 'P7D' });
    expect(rows(r)).toEqual([
      {
        _ResourceId: ROLL_ID.toLowerCase(),
        removedIn: '1.32',
        api: 'flowcontrol.apiserver.k8s.io/v1beta3/flowschemas',
        UserAgent: 'helm/v3.14.0 (linux/amd64)',
        RequestUri: '/apis/flowcontrol.apiserver.k8s.io/v1beta3/flowschemas/exempt',
        calls: 5,
        lastSeen: new Date(Date.parse(NOW) - 30 * 3_600_000),
      },
    ]);
  });

  it('answers the same question from AzureDiagnostics rows of a cluster in diagnostics mode', async () => {
    const r = await client.queryWorkspace(workspace, DIAGNOSTICS, { duration: 'P7D' });
    expect(rows(r)).toEqual([
      expect.objectContaining({
        _ResourceId: expect.stringContaining('/managedclusters/aks-pdb') as unknown,
        removedIn: '1.32',
        api: 'flowcontrol.apiserver.k8s.io/v1beta3/prioritylevelconfigurations',
        userAgent: 'argocd-application-controller/v2.9.3',
        calls: 2,
      }),
    ]);
  });

  it('keeps reads out of AKSAuditAdmin, applies the request timespan, and scopes resource-centric queries to the cluster', async () => {
    const count = async (q: string, days = 30): Promise<unknown> =>
      rows(await client.queryWorkspace(workspace, q, { duration: `P${days}D` }))[0]?.n;
    expect(await count('AKSAudit | where Verb == "list" | summarize n = count()')).toBe(3);
    expect(await count('AKSAuditAdmin | where Verb == "list" | summarize n = count()')).toBe(0);
    expect(await count('AKSAuditAdmin | summarize n = count()')).toBe(6);
    expect(await count('AKSAuditAdmin | summarize n = count()', 1)).toBe(0);
    const scoped = await client.queryResource(ROLL_ID, 'union AKSAuditAdmin, AzureDiagnostics | count', {
      duration: 'P30D',
    });
    expect(rows(scoped)).toEqual([{ Count: 6 }]);
  });

  it('refuses a query outside its KQL subset and an unknown workspace, as Log Analytics answers errors', async () => {
    const bad = await rejectionOf(
      client.queryWorkspace(workspace, 'AKSAudit | mv-expand x', { duration: 'P1D' }),
    );
    expect(bad).toMatchObject({ statusCode: 400 });
    expect(JSON.stringify((bad as { details?: unknown }).details)).toContain("no operator 'mv'");
    const unknown = await rejectionOf(
      client.queryWorkspace('00000000-0000-4000-8000-000000000000', 'AKSAudit | count', { duration: 'P1D' }),
    );
    expect(unknown).toMatchObject({ statusCode: 404 });
  });
});
