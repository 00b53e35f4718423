import { createHash } from 'node:crypto';
import { getOrUndefined, Tables } from '../storage/tables';

/**
 * Event Grid event ids whose handling is done (docs/functions.md: delivery is at-least-once). An id is marked
 * only after its event was handled and its outcomes reported, so a failure or a crash before that makes
 * Event Grid's redelivery handle it again; a repeat of a done event is acknowledged without work.
 * Ids are hashed for the row key: any id, however long or hostile, is a valid key.
 */
export class EventStore {
  constructor(private readonly tables: Tables) {}

  async isDone(eventId: string): Promise<boolean> {
    return this.tables.use(
      'events',
      `read event ${eventId}`,
      async (t) => (await getOrUndefined(t, 'done', keyOf(eventId))) !== undefined,
    );
  }

  async markDone(eventId: string, type: string, at: Date): Promise<void> {
    await this.tables.use('events', `mark event ${eventId} done`, async (t) => {
      await t.upsertEntity(
        {
          partitionKey: 'done',
          rowKey: keyOf(eventId),
          eventId: eventId.slice(0, 1000),
          type,
          at: at.toISOString(),
        },
        'Replace',
      );
    });
  }
}

function keyOf(eventId: string): string {
  return createHash('sha256').update(eventId).digest('base64url');
}
