import { TableClient } from '@azure/data-tables';
import { DefaultAzureCredential, type TokenCredential } from '@azure/identity';

/**
 * Where the app keeps its tables: a connection string (Azurite locally: `UseDevelopmentStorage=true` or
 * Azurite's full string) or, in Azure, the identity-based form the Functions host also reads
 * (`AzureWebJobsStorage__tableServiceUri` + `__clientId`): no account key anywhere.
 */
export type StorageConnection = string | { tableServiceUri: string; clientId?: string };

const credentials = new WeakMap<object, TokenCredential>();

function credentialFor(conn: { clientId?: string }): TokenCredential {
  let c = credentials.get(conn);
  if (!c) {
    c = new DefaultAzureCredential(conn.clientId ? { managedIdentityClientId: conn.clientId } : {});
    credentials.set(conn, c);
  }
  return c;
}

/** A TableClient for `table`. Plain http is allowed only for the local emulator's loopback address. */
export function tableClientFor(conn: StorageConnection, table: string): TableClient {
  if (typeof conn === 'string')
    return TableClient.fromConnectionString(conn, table, {
      allowInsecureConnection: /^(UseDevelopmentStorage=true|.*http:\/\/127\.0\.0\.1)/.test(conn),
    });
  return new TableClient(conn.tableServiceUri.replace(/\/+$/, ''), table, credentialFor(conn));
}
