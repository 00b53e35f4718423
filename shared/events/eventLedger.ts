import { createHash } from 'node:crypto';
import type { FindingStore } from '../state/findingStore';

/**
 * Event Grid event ids whose handling is done (PRODUCT §8: delivery is at-least-once). An id is marked
 * only after its event was handled and its outcomes reported, so a failure or a crash before that makes
 * Event Grid's redelivery handle it again; a repeat of a done event is acknowledged without work.
 *
 * Stored in the FindingStore, one partition per event (scope `event-done.<sha256 of the id>`): a point
 * read, whatever the id holds (hostile ids are hashed, never used as a key as they are).
 * TODO(state owner): this belongs in EventStore as `isDone(id)` / `markDone(id, type, at)`.
 */
export class EventLedger {
  constructor(private readonly store: Pick<FindingStore, 'reported' | 'add'>) {}

  async isDone(eventId: string): Promise<boolean> {
    return (await this.store.reported(scopeOf(eventId))).size > 0;
  }

  async markDone(eventId: string, type: string, at: Date): Promise<void> {
    await this.store.add(scopeOf(eventId), 'event', `done:${type}`, at);
  }
}

function scopeOf(eventId: string): string {
  return `event-done.${createHash('sha256').update(eventId).digest('base64url')}`;
}
