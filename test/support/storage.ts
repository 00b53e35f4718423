import { randomBytes } from 'node:crypto';

/** Connection string of the Azurite that globalSetup started. */
export function azuriteConnectionString(): string {
  const cs = process.env.AZURITE_CONNECTION_STRING;
  if (!cs)
    throw new Error(
      'AZURITE_CONNECTION_STRING is not set: run the tests through jest (globalSetup starts Azurite)',
    );
  return cs;
}

/** A name unique to this test, valid for tables and queues (letters and digits, starts with a letter). */
export function uniqueName(prefix: string): string {
  return `${prefix.replace(/[^a-z0-9]/gi, '').toLowerCase()}${randomBytes(4).toString('hex')}`;
}
