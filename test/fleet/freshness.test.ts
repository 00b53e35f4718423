import { listingIsFresh } from '../../shared/fleet/freshness';

const listedAt = new Date('2026-06-08T17:00:00Z');
const after = (seconds: number): Date => new Date(listedAt.getTime() + seconds * 1000);

describe('whether a listing is fresh enough to act on without a re-read', () => {
  it('takes an ARM listing younger than the bound as fresh, and one that reached it as stale', () => {
    expect(listingIsFresh({ source: 'arm', listedAt }, after(0), 30)).toBe(true);
    expect(listingIsFresh({ source: 'arm', listedAt }, after(29.9), 30)).toBe(true);
    expect(listingIsFresh({ source: 'arm', listedAt }, after(30), 30)).toBe(false);
    expect(listingIsFresh({ source: 'arm', listedAt }, after(600), 30)).toBe(false);
  });

  it('never takes a Resource Graph listing as fresh: its index can lag ARM', () => {
    expect(listingIsFresh({ source: 'resource-graph', listedAt }, after(0), 600)).toBe(false);
  });

  it('re-reads always when the bound is 0, and when the clock says the listing is from the future', () => {
    expect(listingIsFresh({ source: 'arm', listedAt }, after(0), 0)).toBe(false);
    expect(listingIsFresh({ source: 'arm', listedAt }, after(-5), 30)).toBe(false);
  });
});
