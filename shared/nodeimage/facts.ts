import type { MaintenanceConfiguration } from '@azure/arm-containerservice';
import { toDay2Error } from '../azure/azureError';
import type { Deps } from '../deps';
import type { Day2Error } from '../errors';
import type { ClusterSnapshot } from '../fleet/cluster';
import { discoverFleet, type Inventory } from '../fleet/inventory';
import { parseClusterPolicy, TAGS, type TagError } from '../policy/tags';
import type { FindingStore } from '../state/findingStore';
import type { OperationStore } from '../state/operationStore';
import { mapLimit } from '../util/mapLimit';
import { FirstSeenImages } from './firstSeen';
import { toRollouts } from './history';
import type { NodeImageClusterInput, NodeImageRollout, WindowInput } from './plan';
import { chooseWindow } from './window';

/** What the node-image plan reads: ARM, the operation history and the first-seen images; no notifier. */
export type NodeImagePlanDeps = Pick<Deps, 'settings' | 'azure' | 'clock' | 'log'> & {
  state: {
    operations: Pick<OperationStore, 'history'>;
    findings: Pick<FindingStore, 'reported' | 'add' | 'remove'>;
  };
};

export interface NodeImageFacts {
  now: Date;
  inventory: Inventory;
  clusters: NodeImageClusterInput[];
  history: NodeImageRollout[];
  /** When aks-day2 first saw each pool on its image (the plan's `firstSeenOnImage`; pools new this run: `now`). */
  firstSeenOnImage: Map<string, Date>;
  /** The stored first-seen times; the job records this run's sightings with it. */
  firstSeen: FirstSeenImages;
  /** Clusters whose pools or maintenance configurations could not be read (left out of the plan). */
  readFailures: Array<{ cluster: ClusterSnapshot; error: Day2Error }>;
  /** `day2-node-image` / `day2-ring` values that do not parse. */
  tagErrors: Array<{ cluster: ClusterSnapshot; error: TagError }>;
}

/** Clusters read in parallel at most this many at a time (a few ARM reads each). */
export const CLUSTER_CONCURRENCY = 8;
const AKS_MANAGED = ['nodeimage', 'securitypatch'];
const NOT_NEEDED: WindowInput = {
  inWindow: false,
  description: 'window not read: the cluster is not upgraded automatically',
};

async function latestImages(
  deps: NodeImagePlanDeps,
  c: ClusterSnapshot,
): Promise<Record<string, string | undefined>> {
  const client = deps.azure.aks(c.subscriptionId);
  const entries = await mapLimit(c.pools, 4, async (p) => {
    const profile = await client.agentPools.getUpgradeProfile(c.resourceGroup, c.name, p.name);
    return [p.name, profile.latestNodeImageVersion] as const;
  });
  return Object.fromEntries(entries);
}

async function windowOf(deps: NodeImagePlanDeps, c: ClusterSnapshot): Promise<WindowInput> {
  const configs: MaintenanceConfiguration[] = [];
  for await (const m of deps.azure
    .aks(c.subscriptionId)
    .maintenanceConfigurations.listByManagedCluster(c.resourceGroup, c.name))
    configs.push(m);
  return chooseWindow(configs, deps.settings.maintenanceWindow);
}

/**
 * The facts of one node-image run: the fleet, each opted-in cluster's latest image per pool
 * (`agentPools.getUpgradeProfile`), the maintenance window of clusters that upgrade automatically, and
 * the node-image history. Clusters that are `off` or left to AKS cost no extra reads.
 */
export async function readNodeImageFacts(deps: NodeImagePlanDeps): Promise<NodeImageFacts> {
  const now = deps.clock.now();
  const inventory = await discoverFleet(deps.azure, deps.settings.subscriptions, deps.log);
  const history = toRollouts(await deps.state.operations.history({ job: 'node-image' }));
  const firstSeen = await FirstSeenImages.load(deps.state.findings);
  const readFailures: NodeImageFacts['readFailures'] = [];
  const tagErrors: NodeImageFacts['tagErrors'] = [];

  const inputs = await mapLimit(
    inventory.clusters,
    CLUSTER_CONCURRENCY,
    async (cluster): Promise<NodeImageClusterInput | undefined> => {
      const policy = parseClusterPolicy(cluster.tags, { defaultTimezone: deps.settings.defaultTimezone });
      for (const e of policy.errors)
        if (e.tag.toLowerCase() === TAGS.nodeImage || e.tag.toLowerCase() === TAGS.ring)
          tagErrors.push({ cluster, error: e });
      const nodePolicy = { nodeImage: policy.nodeImage, ring: policy.ring, protect: policy.protect };
      if (policy.nodeImage === 'off')
        return { cluster, policy: nodePolicy, window: NOT_NEEDED, latestNodeImageVersion: {} };
      if (AKS_MANAGED.includes((cluster.nodeOSUpgradeChannel ?? '').toLowerCase())) {
        return { cluster, policy: nodePolicy, window: NOT_NEEDED, latestNodeImageVersion: {} };
      }
      const auto = policy.nodeImage === 'auto' && !policy.protect;
      try {
        const latest = await latestImages(deps, cluster);
        const window = auto ? await windowOf(deps, cluster) : NOT_NEEDED;
        return { cluster, policy: nodePolicy, window, latestNodeImageVersion: latest };
      } catch (err) {
        const error = toDay2Error(err, { cluster: cluster.name, operation: 'read node-image facts' });
        deps.log.error(`node-image: ${error.message}`);
        readFailures.push({ cluster, error });
        return undefined;
      }
    },
  );
  return {
    now,
    inventory,
    clusters: inputs.filter((c): c is NodeImageClusterInput => c !== undefined),
    history,
    firstSeenOnImage: firstSeen.asOf(inventory.clusters, now),
    firstSeen,
    readFailures,
    tagErrors,
  };
}
