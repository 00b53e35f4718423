/**
 * The audit tables a Log Analytics workspace holds for the fleet's clusters, built from each cluster's
 * `auditLogs` at query time: resource-specific `AKSAudit` (category kube-audit) and `AKSAuditAdmin`
 * (kube-audit-admin, without get/list/watch), or `AzureDiagnostics` rows (Category, `log_s` = the
 * audit event as JSON) for clusters in diagnostics mode.
 */
import { createHash } from 'node:crypto';
import type { FleetAuditLogs } from '../fleet/schema';
import { armClusterId, type ClusterState } from '../state';
import type { Column, Row, Table } from './kql';

type AuditEvent = FleetAuditLogs['events'][number];

const AUDIT_COLUMNS: Column[] = [
  { name: 'TimeGenerated', type: 'datetime' },
  { name: 'Level', type: 'string' },
  { name: 'AuditId', type: 'string' },
  { name: 'Stage', type: 'string' },
  { name: 'RequestUri', type: 'string' },
  { name: 'Verb', type: 'string' },
  { name: 'User', type: 'dynamic' },
  { name: 'SourceIps', type: 'dynamic' },
  { name: 'UserAgent', type: 'string' },
  { name: 'ObjectRef', type: 'dynamic' },
  { name: 'ResponseStatus', type: 'dynamic' },
  { name: 'RequestReceivedTime', type: 'datetime' },
  { name: 'StageReceivedTime', type: 'datetime' },
  { name: 'Annotations', type: 'dynamic' },
  { name: 'PodName', type: 'string' },
  { name: '_ResourceId', type: 'string' },
  { name: '_SubscriptionId', type: 'string' },
  { name: 'Type', type: 'string' },
];

const DIAGNOSTICS_COLUMNS: Column[] = [
  { name: 'TenantId', type: 'string' },
  { name: 'TimeGenerated', type: 'datetime' },
  { name: 'ResourceId', type: 'string' },
  { name: 'Category', type: 'string' },
  { name: 'ResourceGroup', type: 'string' },
  { name: 'SubscriptionId', type: 'string' },
  { name: 'ResourceProvider', type: 'string' },
  { name: 'Resource', type: 'string' },
  { name: 'ResourceType', type: 'string' },
  { name: 'OperationName', type: 'string' },
  { name: 'log_s', type: 'string' },
  { name: 'pod_s', type: 'string' },
  { name: '_ResourceId', type: 'string' },
  { name: 'Type', type: 'string' },
];

export const AUDIT_TABLES = ['AKSAudit', 'AKSAuditAdmin', 'AzureDiagnostics'];
const READS = new Set(['get', 'list', 'watch']);

interface Occurrence {
  c: ClusterState;
  e: AuditEvent;
  at: Date;
  auditId: string;
}

function occurrences(c: ClusterState, nowMs: number): Occurrence[] {
  const out: Occurrence[] = [];
  (c.auditLogs?.events ?? []).forEach((e, ei) => {
    const newest = e.time ? Date.parse(e.time) : nowMs - (e.hoursAgo ?? 1) * 3_600_000;
    for (let i = 0; i < e.repeat; i++) {
      const at = new Date(newest - (e.repeat - 1 - i) * 60_000);
      const auditId = uuidFrom(`${armClusterId(c)}/${ei}/${i}`);
      out.push({ c, e, at, auditId });
    }
  });
  return out;
}

function uuidFrom(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function auditEvent(o: Occurrence): Record<string, unknown> {
  const { e, at } = o;
  return {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: 'Metadata',
    auditID: o.auditId,
    stage: 'ResponseComplete',
    requestURI: e.requestUri,
    verb: e.verb,
    user: { username: e.user, groups: ['system:authenticated'] },
    sourceIPs: ['10.224.0.4'],
    userAgent: e.userAgent,
    ...(e.objectRef ? { objectRef: { ...e.objectRef } } : {}),
    responseStatus: { metadata: {}, code: e.responseCode },
    requestReceivedTimestamp: at.toISOString(),
    stageTimestamp: new Date(at.getTime() + 12).toISOString(),
    annotations: { 'authorization.k8s.io/decision': 'allow', ...e.annotations },
  };
}

function resourceId(c: ClusterState): string {
  return armClusterId(c).toLowerCase();
}

function auditRow(o: Occurrence, table: string): Row {
  const ev = auditEvent(o);
  return {
    TimeGenerated: o.at,
    Level: 'Metadata',
    AuditId: o.auditId,
    Stage: 'ResponseComplete',
    RequestUri: o.e.requestUri,
    Verb: o.e.verb,
    User: ev.user as Record<string, unknown>,
    SourceIps: ev.sourceIPs as unknown[],
    UserAgent: o.e.userAgent,
    ObjectRef: (ev.objectRef as Record<string, unknown> | undefined) ?? null,
    ResponseStatus: ev.responseStatus as Record<string, unknown>,
    RequestReceivedTime: o.at,
    StageReceivedTime: new Date(o.at.getTime() + 12),
    Annotations: ev.annotations as Record<string, unknown>,
    PodName: 'kube-apiserver-5d8f7c9b6-abcde',
    _ResourceId: resourceId(o.c),
    _SubscriptionId: o.c.subscriptionId,
    Type: table,
  };
}

function diagnosticsRow(o: Occurrence, category: string, tenantId: string): Row {
  return {
    TenantId: tenantId,
    TimeGenerated: o.at,
    ResourceId: armClusterId(o.c).toUpperCase(),
    Category: category,
    ResourceGroup: o.c.resourceGroup.toUpperCase(),
    SubscriptionId: o.c.subscriptionId.toUpperCase(),
    ResourceProvider: 'MICROSOFT.CONTAINERSERVICE',
    Resource: o.c.name.toUpperCase(),
    ResourceType: 'MANAGEDCLUSTERS',
    OperationName: 'Microsoft.ContainerService/managedClusters/diagnosticLogs/Read',
    log_s: JSON.stringify(auditEvent(o)),
    pod_s: 'kube-apiserver-5d8f7c9b6-abcde',
    _ResourceId: resourceId(o.c),
    Type: 'AzureDiagnostics',
  };
}

/** One table of the workspace at virtual `nowMs`, limited to `clusters`; undefined for an unknown name. */
export function auditTable(
  name: string,
  clusters: ClusterState[],
  nowMs: number,
  tenantId: string,
): Table | undefined {
  const want = AUDIT_TABLES.find((t) => t.toLowerCase() === name.toLowerCase());
  if (!want) return undefined;
  const rows: Row[] = [];
  for (const c of clusters) {
    const logs = c.auditLogs;
    if (!logs) continue;
    for (const o of occurrences(c, nowMs)) {
      if (o.at.getTime() > nowMs) continue;
      for (const category of logs.categories) {
        if (category === 'kube-audit-admin' && READS.has(o.e.verb)) continue;
        if (logs.destination === 'azureDiagnostics') {
          if (want === 'AzureDiagnostics') rows.push(diagnosticsRow(o, category, tenantId));
        } else if (want === (category === 'kube-audit' ? 'AKSAudit' : 'AKSAuditAdmin')) {
          rows.push(auditRow(o, want));
        }
      }
    }
  }
  rows.sort((a, b) => (a.TimeGenerated as Date).getTime() - (b.TimeGenerated as Date).getTime());
  return { columns: want === 'AzureDiagnostics' ? DIAGNOSTICS_COLUMNS : AUDIT_COLUMNS, rows };
}
