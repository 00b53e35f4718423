import { startSimulator, type SimHandle, type SimOptions } from '../sim/server';
import { loadSettings, type Settings } from '../config/settings';
import { startAzurite, type AzuriteHandle } from './azurite';
import { CHANNEL_MEMBERS } from '../sim/teamsChannel';

/**
 * Everything the app needs, locally, with no Azure: the AKS fleet simulator (ARM, Teams and Logs
 * receivers) and, unless a connection string is given, Azurite. Used by `--sim`, the demo, the
 * benchmarks and the tests, so all of them wire the app the same way.
 */
export interface LocalEnvironment {
  sim: SimHandle;
  azurite?: AzuriteHandle;
  /** The app settings (environment variables) pointing at the local services. */
  env: Record<string, string>;
  settings: Settings;
  close(): Promise<void>;
}

export interface LocalEnvOptions extends SimOptions {
  /** Use this storage instead of starting Azurite (tests share one Azurite). */
  storageConnectionString?: string;
  /** Extra or overriding app settings. */
  env?: Record<string, string>;
}

export const LOCAL_DCR_ID = 'dcr-00000000000000000000000000000000';

export async function startLocalEnvironment(opts: LocalEnvOptions = {}): Promise<LocalEnvironment> {
  const sim = await startSimulator(opts);
  let azurite: AzuriteHandle | undefined;
  try {
    if (!opts.storageConnectionString) azurite = await startAzurite();
    const env: Record<string, string> = {
      DAY2_ARM_ENDPOINT: sim.arm,
      DAY2_AUTH: 'local',
      DAY2_LOCAL_CA_CERT: sim.caCertPath,
      DAY2_TEAMS_WEBHOOK_URL: sim.teamsWebhookUrl,
      DAY2_TEAMS_OUTGOING_SECRET: sim.teamsOutgoingSecret,
      DAY2_CHATOPS_ROLES: JSON.stringify(
        Object.fromEntries(
          CHANNEL_MEMBERS.filter((m) => m.role !== 'none').map((m) => [m.aadObjectId, m.role]),
        ),
      ),
      DAY2_LOGS_ENDPOINT: sim.logsEndpoint,
      DAY2_LOGS_RULE_ID: LOCAL_DCR_ID,
      // The simulator's Log Analytics workspace (audit logs for the deprecated-API pre-check).
      ...(sim.logsWorkspaceIds[0] ? { DAY2_LOGS_WORKSPACE_ID: sim.logsWorkspaceIds[0] } : {}),
      AzureWebJobsStorage: opts.storageConnectionString ?? azurite!.connectionString,
      ...opts.env,
    };
    const settings = loadSettings(env);
    return {
      sim,
      azurite,
      env,
      settings,
      close: async () => {
        await sim.close();
        await azurite?.close();
      },
    };
  } catch (err) {
    await sim.close();
    await azurite?.close();
    throw err;
  }
}
