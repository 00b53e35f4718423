import { DefaultAzureCredential, type TokenCredential } from '@azure/identity';

/**
 * Where the app keeps its tables: a connection string (Azurite locally: `UseDevelopmentStorage=true` or
 * Azurite's full string) or, in Azure, the identity-based form the Functions host also reads
 * (`AzureWebJobsStorage__tableServiceUri` + `__clientId`): no account key anywhere.
 * `shared/storage/tables.ts` opens tables from it.
 */
export type StorageConnection =
  string | { tableServiceUri: string; queueServiceUri?: string; clientId?: string };

const credentials = new WeakMap<object, TokenCredential>();

/** The managed identity that reads and writes the tables of an identity-based connection (one per connection). */
export function storageCredential(conn: { clientId?: string }): TokenCredential {
  let c = credentials.get(conn);
  if (!c) {
    c = new DefaultAzureCredential(conn.clientId ? { managedIdentityClientId: conn.clientId } : {});
    credentials.set(conn, c);
  }
  return c;
}
