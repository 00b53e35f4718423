import type { TokenCredential } from '@azure/core-auth';
import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import { ComputeManagementClient } from '@azure/arm-compute';
import { ContainerServiceClient } from '@azure/arm-containerservice';
import { NetworkManagementClient } from '@azure/arm-network';
import { LogsQueryClient } from '@azure/monitor-query-logs';
import { EventGridManagementClient } from '@azure/arm-eventgrid';
import { ResourceGraphClient } from '@azure/arm-resourcegraph';
import { SubscriptionClient } from '@azure/arm-resources-subscriptions';
import type { Settings } from '../config/settings';
import { createCredential, tlsOptionsFor } from './credential';

/**
 * The one factory for Azure clients. Every job gets its clients from here, so the endpoint, the
 * credential, TLS trust and retry options are decided in one place. The SDK pipeline retries 429 and
 * 5xx (honouring Retry-After); callers do not wrap it in a second retry loop.
 */
export interface AzureClients {
  credential: TokenCredential;
  /** ContainerServiceClient for one subscription (cached). */
  aks(subscriptionId: string): ContainerServiceClient;
  subscriptions(): SubscriptionClient;
  /** Compute (regional vCPU usages) for one subscription (cached). */
  compute(subscriptionId: string): ComputeManagementClient;
  /** Network (virtual network subnet usage) for one subscription (cached). */
  network(subscriptionId: string): NetworkManagementClient;
  /** Log Analytics queries (audit logs for the deprecated-API pre-check). */
  logsQuery(): LogsQueryClient;
  /** EventGridManagementClient for one subscription (cached): AKS system topics (`events wire`). */
  eventGrid(subscriptionId: string): EventGridManagementClient;
  /** The Resource Graph client (tenant-level, cached); undefined when DAY2_DISCOVERY is `arm`. */
  resourceGraph(): ResourceGraphClient | undefined;
}

export interface ClientTuning {
  /** Delay before the first SDK retry (ms). Tests lower it; Azure's default is 800 ms. */
  retryDelayInMs?: number;
  maxRetryDelayInMs?: number;
  maxRetries?: number;
  /** Extra pipeline policies (`perRetry`: before every attempt, retries included). The chaos harness stops a killed process's requests with one. */
  additionalPolicies?: Array<{ policy: PipelinePolicy; position: 'perCall' | 'perRetry' }>;
}

export function createAzureClients(
  settings: Pick<Settings, 'armEndpoint' | 'auth' | 'localCaCert'> & Partial<Pick<Settings, 'discovery'>>,
  tuning: ClientTuning = {},
  credential: TokenCredential = createCredential(settings),
): AzureClients {
  const options = {
    endpoint: settings.armEndpoint,
    ...tlsOptionsFor(settings),
    retryOptions: {
      ...(tuning.retryDelayInMs !== undefined ? { retryDelayInMs: tuning.retryDelayInMs } : {}),
      ...(tuning.maxRetryDelayInMs !== undefined ? { maxRetryDelayInMs: tuning.maxRetryDelayInMs } : {}),
      ...(tuning.maxRetries !== undefined ? { maxRetries: tuning.maxRetries } : {}),
    },
    ...(tuning.additionalPolicies ? { additionalPolicies: tuning.additionalPolicies } : {}),
  };
  const aksClients = new Map<string, ContainerServiceClient>();
  let subs: SubscriptionClient | undefined;
  let logs: LogsQueryClient | undefined;
  const compute = new Map<string, ComputeManagementClient>();
  const network = new Map<string, NetworkManagementClient>();
  const cached = <T>(m: Map<string, T>, key: string, make: () => T): T => {
    let c = m.get(key);
    if (!c) {
      c = make();
      m.set(key, c);
    }
    return c;
  };
  const eventGridClients = new Map<string, EventGridManagementClient>();
  let graph: ResourceGraphClient | undefined;
  return {
    credential,
    aks(subscriptionId) {
      let c = aksClients.get(subscriptionId);
      if (!c) {
        c = new ContainerServiceClient(credential, subscriptionId, options);
        aksClients.set(subscriptionId, c);
      }
      return c;
    },
    subscriptions() {
      subs ??= new SubscriptionClient(credential, options);
      return subs;
    },
    compute: (subscriptionId) =>
      cached(compute, subscriptionId, () => new ComputeManagementClient(credential, subscriptionId, options)),
    network: (subscriptionId) =>
      cached(network, subscriptionId, () => new NetworkManagementClient(credential, subscriptionId, options)),
    logsQuery() {
      // Against the local simulator (loopback only), its Logs Query API is served under the ARM endpoint.
      logs ??= new LogsQueryClient(credential, {
        ...tlsOptionsFor(settings),
        retryOptions: options.retryOptions,
        ...(tuning.additionalPolicies ? { additionalPolicies: tuning.additionalPolicies } : {}),
        ...(settings.auth === 'local'
          ? { endpoint: `${settings.armEndpoint.replace(/\/+$/, '')}/loganalytics/v1` }
          : {}),
      });
      return logs;
    },
    eventGrid(subscriptionId) {
      let c = eventGridClients.get(subscriptionId);
      if (!c) {
        // arm-eventgrid 14 is a classic client: the endpoint option is `endpoint` as well.
        c = new EventGridManagementClient(credential, subscriptionId, options);
        eventGridClients.set(subscriptionId, c);
      }
      return c;
    },
    resourceGraph() {
      if ((settings.discovery ?? 'resource-graph') === 'arm') return undefined;
      graph ??= new ResourceGraphClient(credential, options);
      return graph;
    },
  };
}
