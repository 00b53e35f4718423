import { ReplayStore } from '../../shared/chatops/replayStore';
import { Tables } from '../../shared/storage/tables';
import { azuriteConnectionString, uniqueName } from '../support/storage';

describe('the store of handled Teams activity ids', () => {
  it('knows a replay, and forgets ids once they are two days old (its retention)', async () => {
    const store = new ReplayStore(new Tables(azuriteConnectionString(), uniqueName('replay')));
    const t0 = new Date('2026-01-12T18:55:00Z');
    const at = (hours: number): Date => new Date(t0.getTime() + hours * 3_600_000);
    expect(await store.firstSeen('1737050000000', t0)).toBe(true);
    expect(await store.firstSeen('1737050000000', at(0.1))).toBe(false);
    expect(await store.firstSeen('x'.repeat(5_000), t0)).toBe(true);
    expect(await store.pruneIfDue(at(24))).toBe(0);
    expect(await store.pruneIfDue(at(24.5))).toBe(0); // at most once an hour
    expect(await store.pruneIfDue(at(49))).toBe(2);
    expect(await store.firstSeen('1737050000000', at(49))).toBe(true);
  });
});
