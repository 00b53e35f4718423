import { startAzurite } from '../../shared/local/azurite';

/** One Azurite for the whole run; tests isolate themselves with their own table/queue names. */
export default async function globalSetup(): Promise<void> {
  const azurite = await startAzurite();
  (globalThis as { __AZURITE__?: unknown }).__AZURITE__ = azurite;
  process.env.AZURITE_CONNECTION_STRING = azurite.connectionString;
}
