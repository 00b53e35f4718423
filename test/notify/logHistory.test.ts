import { LogsQueryClient } from '@azure/monitor-query-logs';
import { createLogHistory, historyQuery } from '../../shared/notify/logHistory';

const credential = { getToken: async () => ({ token: 't', expiresOnTimestamp: Date.now() + 3_600_000 }) };

describe('Log Analytics history (query side; Azure only, not simulated)', () => {
  it('builds a client on @azure/monitor-query-logs', () => {
    expect(
      createLogHistory({ logsWorkspaceId: '11111111-2222-3333-4444-555555555555' }, credential).client,
    ).toBeInstanceOf(LogsQueryClient);
  });

  it('queries one cluster by name or id, deduped by row id, newest first', () => {
    expect(historyQuery({ cluster: 'aks-dev-weu-01', limit: 20 })).toBe(
      [
        'AksDay2Ops_CL',
        '| where Cluster =~ "aks-dev-weu-01"',
        '| summarize arg_max(TimeGenerated, *) by RowId = tostring(Details.rowId)',
        '| project-away RowId',
        '| order by TimeGenerated desc',
        '| take 20',
      ].join('\n'),
    );
    expect(
      historyQuery({
        cluster: '/subscriptions/s/resourcegroups/rg/providers/Microsoft.ContainerService/managedClusters/c',
      }),
    ).toContain('| where ClusterId =~ "/subscriptions/s/');
  });

  it('escapes what it is given so that input cannot change the query', () => {
    expect(historyQuery({ runId: 'x" | take 1 //' })).toContain('| where RunId == "x\\" | take 1 //"');
  });

  it('says which setting is missing when no workspace is configured', async () => {
    await expect(createLogHistory({}, credential).query()).rejects.toThrow(
      'DAY2_LOGS_WORKSPACE_ID is not set',
    );
  });
});
