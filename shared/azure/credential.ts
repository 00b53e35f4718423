import type { TokenCredential } from '@azure/core-auth';
import { DefaultAzureCredential } from '@azure/identity';
import type { Settings } from '../config/settings';

/**
 * The one credential of the app. Against Azure: DefaultAzureCredential (managed identity in Functions,
 * developer sign-in locally). Against the local simulator (`DAY2_AUTH=local`, loopback endpoint only):
 * a fixed token, so the SDK's real bearer-token policy still runs over HTTPS.
 */
export function createCredential(settings: Pick<Settings, 'auth'>): TokenCredential {
  if (settings.auth === 'local') {
    return {
      getToken: async () => ({ token: 'aks-day2-local', expiresOnTimestamp: Date.now() + 3_600_000 }),
    };
  }
  return new DefaultAzureCredential();
}

/** Pipeline options shared by every Azure SDK client: trust the simulator's CA when one is configured. */
export function tlsOptionsFor(settings: Pick<Settings, 'localCaCert'>): { tlsOptions?: { ca: string } } {
  return settings.localCaCert ? { tlsOptions: { ca: settings.localCaCert } } : {};
}
