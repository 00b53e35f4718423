import { createHash } from 'node:crypto';
import { getOrUndefined, Tables } from '../storage/tables';
import { deleteRows, rowsWhere } from '../storage/prune';
import { spreadPartition } from '../storage/spread';

/**
 * Event Grid event ids whose handling is done (docs/functions.md: delivery is at-least-once). An id is marked
 * only after its event was handled and its outcomes reported, so a failure or a crash before that makes
 * Event Grid's redelivery handle it again; a repeat of a done event is acknowledged without work.
 * Ids are hashed for the row key: any id, however long or hostile, is a valid key. Rows are spread over
 * partitions (storage/spread.ts); ids an earlier version kept in the one partition `done` are no longer
 * read, which at worst handles a redelivery once more (handling is idempotent), and are pruned by age.
 */
export class EventStore {
  constructor(private readonly tables: Tables) {}

  async isDone(eventId: string): Promise<boolean> {
    return this.tables.use(
      'events',
      `read event ${eventId}`,
      async (t) => (await getOrUndefined(t, partitionOf(eventId), keyOf(eventId))) !== undefined,
    );
  }

  async markDone(eventId: string, type: string, at: Date): Promise<void> {
    await this.tables.use('events', `mark event ${eventId} done`, async (t) => {
      await t.upsertEntity(
        {
          partitionKey: partitionOf(eventId),
          rowKey: keyOf(eventId),
          eventId: eventId.slice(0, 1000),
          type,
          at: at.toISOString(),
        },
        'Replace',
      );
    });
  }

  /** Housekeeping: forgets ids marked done before `before` (Event Grid stops redelivering after 24 h). */
  async prune(before: Date): Promise<number> {
    return this.tables.use('events', 'prune processed event ids', async (t) =>
      deleteRows(t, await rowsWhere(t, `at lt '${before.toISOString()}'`)),
    );
  }
}

const partitionOf = (eventId: string): string => spreadPartition('done', eventId);

function keyOf(eventId: string): string {
  return createHash('sha256').update(eventId).digest('base64url');
}
