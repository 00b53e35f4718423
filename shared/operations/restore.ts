import { restorePoller, type ContainerServiceClient } from '@azure/arm-containerservice';
import { Day2Error } from '../errors';

type SourceOperation = Parameters<typeof restorePoller>[2];
export type RestoredPoller = ReturnType<typeof restorePoller>;

interface SerializedConfig {
  initialRequestUrl?: string;
  requestMethod?: string;
}

/** The `config` of a `poller.serialize()` string (`{"state":{…,"config":{initialRequestUrl, requestMethod,…}}}`). */
function configOf(serialized: string): SerializedConfig {
  try {
    const parsed = JSON.parse(serialized) as { state?: { config?: SerializedConfig } };
    return parsed.state?.config ?? {};
  } catch (err) {
    throw new Day2Error('Internal', 'stored poller state is not JSON', {
      operation: 'restore poller',
      cause: err,
    });
  }
}

/**
 * The SDK method that started an operation, from the request recorded in its serialized poller, so any
 * job's operation (stop, start, cluster or pool PUT, node-image upgrade) is restored the same way.
 */
export function sourceOperationFor(client: ContainerServiceClient, serialized: string): SourceOperation {
  const { initialRequestUrl = '', requestMethod = '' } = configOf(serialized);
  const path = initialRequestUrl.split('?')[0]!.toLowerCase();
  const method = requestMethod.toUpperCase();
  if (method === 'POST' && path.endsWith('/stop')) return client.managedClusters.stop;
  if (method === 'POST' && path.endsWith('/start')) return client.managedClusters.start;
  if (method === 'POST' && path.endsWith('/upgradenodeimageversion'))
    return client.agentPools.upgradeNodeImageVersion;
  if (method === 'PUT' && /\/agentpools\/[^/]+$/.test(path)) return client.agentPools.createOrUpdate;
  if (method === 'PUT' && /\/managedclusters\/[^/]+$/.test(path))
    return client.managedClusters.createOrUpdate;
  throw new Day2Error(
    'Internal',
    `cannot restore a poller for ${method} ${initialRequestUrl || '(no request recorded)'}`,
    { operation: 'restore poller' },
  );
}

/**
 * A poller resumed from `poller.serialize()` (SDK 25.x `restorePoller`). It polls the operation's
 * status URL; call `poll()` once to learn whether the operation ended, and how.
 */
export function restoreOperation(client: ContainerServiceClient, serialized: string): RestoredPoller {
  return restorePoller(client, serialized, sourceOperationFor(client, serialized), { updateIntervalInMs: 0 });
}
