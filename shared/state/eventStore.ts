import { RestError } from '@azure/data-tables';
import { Tables } from './tables';

/** Event Grid delivers at least once: an event id is processed once (insert-if-absent). */
export class EventStore {
  constructor(private readonly tables: Tables) {}

  /** True the first time an id is seen; false for a repeat. */
  async firstSeen(eventId: string, type: string, now: Date): Promise<boolean> {
    return this.tables.use('events', `record event ${eventId}`, async (t) => {
      try {
        await t.createEntity({ partitionKey: 'event', rowKey: Buffer.from(eventId).toString('base64url'), eventId, type, at: now.toISOString() });
        return true;
      } catch (err) {
        if (err instanceof RestError && err.statusCode === 409) return false;
        throw err;
      }
    });
  }
}
