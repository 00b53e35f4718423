import { createAzureClients, type AzureClients } from '../../shared/azure/clients';
import { startLocalEnvironment, type LocalEnvOptions, type LocalEnvironment } from '../../shared/local/localEnv';
import { azuriteConnectionString } from './storage';

/** The app wired to a fresh simulator and the run's Azurite, with fast SDK retries. */
export interface TestApp extends LocalEnvironment {
  azure: AzureClients;
}

export async function startTestApp(opts: LocalEnvOptions = {}): Promise<TestApp> {
  const env = await startLocalEnvironment({ storageConnectionString: azuriteConnectionString(), ...opts });
  return { ...env, azure: createAzureClients(env.settings, { retryDelayInMs: 20, maxRetryDelayInMs: 2000 }) };
}
