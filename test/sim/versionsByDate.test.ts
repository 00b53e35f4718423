import fc from 'fast-check';
import { calendarOffer } from '../../shared/sim/calendarVersions';
import { parseSimArgs } from '../../shared/sim/cli';
import { DEMO_SUBSCRIPTIONS } from '../../shared/sim/fleet/demoFleet';
import type { FleetFile } from '../../shared/sim/fleet/schema';
import type { SimHandle } from '../../shared/sim/server';
import { SUPPORT_CALENDAR } from '../../shared/versions/calendar';
import { admin, aksClient, sim } from './simClient';

const DAY = 86_400_000;

describe('Kubernetes versions offered by date', () => {
  it('offers with community support exactly the minors the calendar supports that day, on any day', () => {
    const from = Date.parse('2024-01-01T00:00:00Z');
    const to = Date.parse('2027-12-31T00:00:00Z');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Math.floor((to - from) / DAY) }), (days) => {
        const now = from + days * DAY + 12 * 3_600_000;
        const offered = calendarOffer(now);
        const community = offered.filter((m) => m.supportPlan.includes('KubernetesOfficial') && !m.isPreview);
        const expected = SUPPORT_CALENDAR.minors.filter(
          (r) =>
            r.aksGa !== null &&
            Date.parse(`${r.aksGa}-01T00:00:00Z`) <= now &&
            (r.endOfLife === null || now <= Date.parse(`${r.endOfLife}T23:59:59.999Z`)),
        );
        expect(community.map((m) => m.version)).toEqual(expected.map((r) => r.minor));
        for (const m of offered.filter((x) => !x.supportPlan.includes('KubernetesOfficial'))) {
          const row = SUPPORT_CALENDAR.minors.find((r) => r.minor === m.version)!;
          expect(now).toBeLessThanOrEqual(Date.parse(`${row.ltsEndOfLife}T23:59:59.999Z`));
        }
        expect(offered.filter((m) => m.isDefault)).toHaveLength(community.length ? 1 : 0);
      }),
      { numRuns: 200 },
    );
  });

  describe('the built-in fleet as `aks-day2 sim` serves it', () => {
    let s: SimHandle;
    afterEach(async () => {
      await s.close();
    });

    async function minors(): Promise<{ version?: string; plans?: string[]; isDefault?: boolean }[]> {
      const r = await aksClient(s, DEMO_SUBSCRIPTIONS.dev).managedClusters.listKubernetesVersions(
        'westeurope',
      );
      return (r.values ?? []).map((v) => ({
        version: v.version,
        plans: v.capabilities?.supportPlan,
        ...(v.isDefault ? { isDefault: true } : {}),
      }));
    }

    it('offers the calendar versions on 27 November 2026, the demo list on its day, and follows the clock between them', async () => {
      const { fleet } = parseSimArgs([]);
      s = await sim({ speed: 0, fleet: fleet as FleetFile, startTime: '2026-11-27T09:00:00Z' });
      expect(await minors()).toEqual([
        { version: '1.31', plans: ['AKSLongTermSupport'] },
        { version: '1.32', plans: ['AKSLongTermSupport'] },
        { version: '1.33', plans: ['AKSLongTermSupport'] },
        { version: '1.34', plans: ['KubernetesOfficial', 'AKSLongTermSupport'] },
        { version: '1.35', plans: ['KubernetesOfficial', 'AKSLongTermSupport'] },
        { version: '1.36', plans: ['KubernetesOfficial', 'AKSLongTermSupport'], isDefault: true },
        { version: '1.37', plans: ['KubernetesOfficial', 'AKSLongTermSupport'] },
      ]);
      // A cluster on 1.34 may go to the next minor the calendar offers.
      const profile = await aksClient(s, DEMO_SUBSCRIPTIONS.prod).managedClusters.getUpgradeProfile(
        'rg-aks-prod-aue',
        'aks-prod-aue-01',
      );
      expect(profile.controlPlaneProfile.upgrades?.map((u) => u.kubernetesVersion)).toContain('1.35.4');
      // One day after 1.34's end of life it is LTS only.
      await admin(s, 'POST', '/clock/advance', { hours: 4 * 24 });
      expect((await minors()).find((m) => m.version === '1.34')?.plans).toEqual(['AKSLongTermSupport']);
      await s.close();

      s = await sim({ speed: 0, fleet: fleet as FleetFile, startTime: '2026-01-12T06:00:00Z' });
      expect((await minors()).map((m) => m.version)).toEqual(['1.31', '1.32', '1.33', '1.34', '1.35']);
    });
  });
});
