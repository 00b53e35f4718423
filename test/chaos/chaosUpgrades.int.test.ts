import { formatChaosReport, runChaos } from '../../shared/chaos/runChaos';
import { azuriteConnectionString } from '../support/storage';

describe('the chaos matrix on node-image and Kubernetes upgrades, smaller (npm run chaos runs it in full)', () => {
  it('under ARM faults, kills at every step boundary and AKS events delivered twice out of order, upgrades every pool and cluster due once, records what AKS failed, and never crashes', async () => {
    const r = await runChaos({
      clusters: 0,
      imageClusters: 4,
      upgradeClusters: 4,
      fuzzClusters: 2,
      // Rings 0 and 1 both inside one long window (no soak), so everything due is carried out or failed.
      startAt: '2026-03-02T23:00:00Z',
      hours: 14,
      window: 'daily 00:00-12:00',
      soakHours: 0,
      fuzz: 20,
      killEvery: 4,
      storageConnectionString: azuriteConnectionString(),
    });
    const table = formatChaosReport(r);
    expect({ problems: r.problems, notes: r.notes.filter((n) => n.includes('held')) }).toEqual({
      problems: [],
      notes: [],
    });
    expect(r.kills).toBeGreaterThan(0);
    expect(r.aksEvents).toBeGreaterThan(0);
    // 4 clusters of 2 pools; AKS fails one pool's node-image upgrade.
    expect(r.nodeImage).toMatchObject({ due: 8, held: 0, lost: 0, doubled: 0 });
    expect(r.nodeImage.carriedOut + r.nodeImage.failedRecorded).toBe(8);
    expect(r.nodeImage.carriedOut).toBeGreaterThanOrEqual(7);
    // 4 clusters; AKS fails one pool's upgrade on one of them: that run ends Halted, recorded.
    expect(r.upgrades).toMatchObject({ due: 4, held: 0, lost: 0, doubled: 0 });
    expect(r.upgrades.carriedOut + r.upgrades.failedRecorded).toBe(4);
    expect(r.upgrades.carriedOut).toBeGreaterThanOrEqual(3);
    expect(r.upgradePutsAccepted).toBe(r.upgradePutsNeeded);
    expect({ crashes: r.crashes, eventsDoubled: r.eventsDoubled }).toEqual({ crashes: 0, eventsDoubled: 0 });
    expect([r.cardsDelivered, r.cardsDoubled]).toEqual([r.cardsExpected, 0]);
    expect([r.rowsDelivered, r.rowsDoubled]).toEqual([r.rowsExpected, 0]);
    expect(table).toContain('node-image pools due');
  }, 600_000);
});
