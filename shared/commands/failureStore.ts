import { deleteRows, rowsWhere } from '../storage/prune';
import { isNotFound, Tables } from '../storage/tables';

/** The last error of a command that failed and will be tried again; read when it reaches the poison queue. */
export interface CommandFailure {
  attempts: number;
  lastError: string;
  at: Date;
}

const TABLE = 'commandfailures';
const MAX_ERROR_CHARS = 2_000;

/**
 * Table `<prefix>commandfailures`, one row per command (envelope id) that failed at least once and has
 * not yet succeeded or been reported as poisoned. Rows are deleted when the command succeeds or its
 * poisoning is reported; housekeeping prunes any left behind after `DAY2_RETENTION_DAYS`.
 */
export class CommandFailureStore {
  constructor(private readonly tables: Tables) {}

  async record(envelopeId: string, attempts: number, error: string, at: Date): Promise<void> {
    await this.tables.use(TABLE, 'record a command failure', (t) =>
      t.upsertEntity(
        {
          partitionKey: 'f',
          rowKey: envelopeId,
          attempts,
          lastError: error.slice(0, MAX_ERROR_CHARS),
          at,
        },
        'Replace',
      ),
    );
  }

  async get(envelopeId: string): Promise<CommandFailure | undefined> {
    return this.tables.use(TABLE, 'read a command failure', async (t) => {
      try {
        const e = await t.getEntity<{ attempts: number; lastError: string; at: Date }>('f', envelopeId);
        return { attempts: e.attempts, lastError: e.lastError, at: new Date(e.at) };
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
    });
  }

  async clear(envelopeId: string): Promise<void> {
    await this.tables.use(TABLE, 'clear a command failure', async (t) => {
      try {
        await t.deleteEntity('f', envelopeId);
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    });
  }

  /** Housekeeping: deletes failures recorded before `before` (a command long gone); returns how many. */
  async prune(before: Date): Promise<number> {
    return this.tables.use(TABLE, 'prune command failures', async (t) =>
      deleteRows(t, await rowsWhere(t, `at lt datetime'${before.toISOString()}'`, ['at'])),
    );
  }
}
