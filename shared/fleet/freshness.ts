import type { Inventory } from './inventory';

/**
 * Whether a change may be decided on the listing alone, without reading the cluster again first: only an
 * ARM listing younger than `maxAgeSeconds` (DAY2_LISTING_MAX_AGE_SECONDS; 0 = always re-read). A Resource
 * Graph listing is never fresh enough: its index can lag ARM by an unknown time. Either way AKS's 409 still
 * refuses a change to a cluster that is busy, so a listing that has gone stale meanwhile costs a deferral,
 * never a second operation. Pure: the caller asks at the moment it acts.
 */
export function listingIsFresh(
  listing: Pick<Inventory, 'source' | 'listedAt'>,
  now: Date,
  maxAgeSeconds: number,
): boolean {
  return listing.source === 'arm' && readIsFresh(listing.listedAt, now, maxAgeSeconds);
}

/** Whether an ARM read made at `readAt` is younger than `maxAgeSeconds` (DAY2_LISTING_MAX_AGE_SECONDS). */
export function readIsFresh(readAt: Date, now: Date, maxAgeSeconds: number): boolean {
  const ageMs = now.getTime() - readAt.getTime();
  return ageMs >= 0 && ageMs < maxAgeSeconds * 1000;
}
