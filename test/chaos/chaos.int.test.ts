import { formatChaosReport, runChaos } from '../../shared/chaos/runChaos';
import { azuriteConnectionString } from '../support/storage';

describe('the chaos matrix on the power schedule, smaller (npm run chaos runs it in full)', () => {
  it('under ARM faults, kills at every step boundary, receivers down for hours and fuzzed input, loses nothing, doubles nothing and never crashes', async () => {
    const r = await runChaos({
      clusters: 4,
      imageClusters: 0,
      upgradeClusters: 0,
      fuzzClusters: 4,
      startAt: '2026-03-02T17:00:00Z',
      hours: 15,
      fuzz: 150,
      killEvery: 4,
      storageConnectionString: azuriteConnectionString(),
    });
    const table = formatChaosReport(r);
    expect(r.problems).toEqual([]);
    expect(r.edgesDue).toBeGreaterThan(0);
    expect(r.kills).toBeGreaterThan(0);
    expect({ lost: r.lost, doubled: r.doubled, crashes: r.crashes, eventsDoubled: r.eventsDoubled }).toEqual({
      lost: 0,
      doubled: 0,
      crashes: 0,
      eventsDoubled: 0,
    });
    expect(r.actionsCarriedOut + r.notNeeded + r.failedRecorded).toBe(r.edgesDue);
    expect([r.cardsDelivered, r.cardsDoubled]).toEqual([r.cardsExpected, 0]);
    expect([r.rowsDelivered, r.rowsDoubled]).toEqual([r.rowsExpected, 0]);
    expect(r.fuzzEventsRejected).toBeGreaterThan(0);
    expect(r.fuzzTagProblems).toBe(0);
    expect(table).toContain('power edges due');
  }, 600_000);
});
