import { ComputeManagementClient } from '@azure/arm-compute';
import { LogsQueryClient, LogsQueryResultStatus } from '@azure/monitor-query-logs';
import { DEMO_SUBSCRIPTIONS as SUB } from '../../shared/sim/fleet/demoFleet';
import type { SimHandle } from '../../shared/sim/server';
import { aksClient, credential, sim } from './simClient';

describe('the demo fleet on its day has one cluster for each upgrade story', () => {
  let s: SimHandle;
  beforeAll(async () => {
    s = await sim({ speed: 0, startTime: '2026-01-12T06:00:00Z' });
  });
  afterAll(async () => {
    await s.close();
  });

  it('offers two minors to aks-dev-weu-02, and shows the PDB, deprecated-API and quota blockers of the others', async () => {
    const dev = aksClient(s, SUB.dev);
    const profile = await dev.managedClusters.getUpgradeProfile('rg-aks-dev-weu', 'aks-dev-weu-02');
    expect(profile.controlPlaneProfile.upgrades?.map((u) => u.kubernetesVersion)).toContain('1.33.5');
    const versions = await dev.managedClusters.listKubernetesVersions('westeurope');
    expect(versions.values?.find((v) => v.version === '1.33')?.patchVersions?.['1.33.5']?.upgrades).toContain(
      '1.34.2',
    );

    const poller = aksClient(s, SUB.test).managedClusters.runCommand(
      'rg-aks-test-weu',
      'aks-test-weu-01',
      { command: 'kubectl get pdb -A -o json' },
      { updateIntervalInMs: 10 },
    );
    await poller.submitted();
    s.clock.advance(10_000);
    const pdbs = JSON.parse((await poller).logs!) as {
      items: { metadata: { name: string }; status: { disruptionsAllowed: number } }[];
    };
    expect(pdbs.items.find((p) => p.metadata.name === 'payments-api-pdb')?.status.disruptionsAllowed).toBe(0);

    const logs = new LogsQueryClient(credential, {
      endpoint: s.logsQueryEndpoint,
      tlsOptions: { ca: s.caCert },
    });
    const r = await logs.queryWorkspace(
      s.logsWorkspaceIds[0]!,
      'AKSAuditAdmin | where tostring(Annotations["k8s.io/removed-release"]) == "1.32" | summarize n = count() by _ResourceId, UserAgent',
      { duration: 'P7D' },
    );
    expect(r.status).toBe(LogsQueryResultStatus.Success);
    expect(r.status === LogsQueryResultStatus.Success && r.tables[0]!.rows).toEqual([
      [expect.stringContaining('/managedclusters/aks-test-eus-01'), 'Helm/3.13.2', 12],
    ]);

    const compute = new ComputeManagementClient(credential, SUB.prod, {
      endpoint: s.arm,
      tlsOptions: { ca: s.caCert },
    });
    const usages = [];
    for await (const u of compute.usage.list('centralindia')) usages.push(u);
    expect(usages.find((u) => u.name.value === 'standardDDSv5Family')).toMatchObject({
      currentValue: 36,
      limit: 40,
    });
  });
});
