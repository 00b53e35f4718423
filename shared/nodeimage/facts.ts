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
import { readLatestImages } from './latestImages';
import { planNodeImage, type NodeImageClusterInput, type NodeImageRollout, type WindowInput } from './plan';
import { chooseWindow } from './window';

/** What the node-image plan reads: ARM, the operation history and the first-seen images; no notifier. */
export type NodeImagePlanDeps = Pick<Deps, 'settings' | 'azure' | 'clock' | 'log'> & {
  state: {
    operations: Pick<OperationStore, 'history'>;
    findings: Pick<FindingStore, 'reported' | 'add' | 'remove' | 'changeMany'>;
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
  /** What the run read beyond the listing: upgrade profiles (per group, per pool) and maintenance windows. */
  reads: { imageGroups: number; poolsAlone: number; windows: number };
}

/** Clusters whose maintenance configurations are read in parallel at most this many at a time. */
export const CLUSTER_CONCURRENCY = 8;
const AKS_MANAGED = ['nodeimage', 'securitypatch'];
const NOT_NEEDED: WindowInput = {
  inWindow: false,
  description: 'window not read: the cluster is not upgraded automatically',
};
const NOT_DUE: WindowInput = { inWindow: false, description: 'window not read: no pool is due' };
/** Stands in for the window while finding the clusters due: every other reason to wait is decided without it. */
const ASSUMED_OPEN: WindowInput = { inWindow: true, description: 'window not read yet' };

async function windowOf(deps: NodeImagePlanDeps, c: ClusterSnapshot): Promise<WindowInput> {
  const configs: MaintenanceConfiguration[] = [];
  for await (const m of deps.azure
    .aks(c.subscriptionId)
    .maintenanceConfigurations.listByManagedCluster(c.resourceGroup, c.name))
    configs.push(m);
  return chooseWindow(configs, deps.settings.maintenanceWindow);
}

/**
 * The facts of one node-image run: the fleet; the latest image of each opted-in pool, read once per
 * (region, image family) (`readLatestImages`); the node-image history; and the maintenance window of
 * the clusters that upgrade automatically AND have a pool due now. Which clusters are due is the plan's
 * own answer with every window taken as open: the window is the plan's last test, so a cluster with no
 * pool due never reaches it and its window cannot change a decision. Clusters that are `off` or left to
 * AKS cost no extra reads.
 */
export async function readNodeImageFacts(deps: NodeImagePlanDeps): Promise<NodeImageFacts> {
  const now = deps.clock.now();
  const inventory = await discoverFleet(deps.azure, deps.settings.subscriptions, deps.log, deps.clock);
  const history = toRollouts(await deps.state.operations.history({ job: 'node-image' }));
  const firstSeen = await FirstSeenImages.load(deps.state.findings);
  const firstSeenOnImage = firstSeen.asOf(inventory.clusters, now);
  const readFailures: NodeImageFacts['readFailures'] = [];
  const tagErrors: NodeImageFacts['tagErrors'] = [];

  const entries = inventory.clusters.map((cluster) => {
    const policy = parseClusterPolicy(cluster.tags, { defaultTimezone: deps.settings.defaultTimezone });
    for (const e of policy.errors)
      if (e.tag.toLowerCase() === TAGS.nodeImage || e.tag.toLowerCase() === TAGS.ring)
        tagErrors.push({ cluster, error: e });
    const nodePolicy = { nodeImage: policy.nodeImage, ring: policy.ring, protect: policy.protect };
    const reads =
      policy.nodeImage !== 'off' && !AKS_MANAGED.includes((cluster.nodeOSUpgradeChannel ?? '').toLowerCase());
    return {
      cluster,
      policy: nodePolicy,
      reads,
      auto: reads && policy.nodeImage === 'auto' && !policy.protect,
    };
  });

  const latest = await readLatestImages(
    deps.azure,
    entries.filter((e) => e.reads).map((e) => e.cluster),
  );
  for (const f of latest.failures) {
    deps.log.error(`node-image: ${f.error.message}`);
    readFailures.push(f);
  }
  const readable = entries.filter((e) => !e.reads || latest.byCluster.has(e.cluster.id.toLowerCase()));
  const input = (e: (typeof entries)[number], window: WindowInput): NodeImageClusterInput => ({
    cluster: e.cluster,
    policy: e.policy,
    window,
    latestNodeImageVersion: e.reads ? latest.byCluster.get(e.cluster.id.toLowerCase())! : {},
  });

  const trial = planNodeImage({
    clusters: readable.map((e) => input(e, e.auto ? ASSUMED_OPEN : NOT_NEEDED)),
    history,
    now,
    soakHours: deps.settings.ringSoakHours,
    firstSeenOnImage,
  });
  const due = new Set(trial.filter((d) => d.kind === 'upgrade').map((d) => d.cluster.id.toLowerCase()));

  const inputs = await mapLimit(
    readable,
    CLUSTER_CONCURRENCY,
    async (e): Promise<NodeImageClusterInput | undefined> => {
      if (!e.auto) return input(e, NOT_NEEDED);
      if (!due.has(e.cluster.id.toLowerCase())) return input(e, NOT_DUE);
      try {
        return input(e, await windowOf(deps, e.cluster));
      } catch (err) {
        const error = toDay2Error(err, { cluster: e.cluster.name, operation: 'read node-image facts' });
        deps.log.error(`node-image: ${error.message}`);
        readFailures.push({ cluster: e.cluster, error });
        return undefined;
      }
    },
  );
  deps.log.info(
    `node-image: ${latest.groupReads} image reads for (region, image family) groups, ${latest.poolReads} pools read on their own, ${due.size} maintenance windows read`,
  );
  return {
    now,
    inventory,
    clusters: inputs.filter((c): c is NodeImageClusterInput => c !== undefined),
    history,
    firstSeenOnImage,
    firstSeen,
    readFailures,
    tagErrors,
    reads: { imageGroups: latest.groupReads, poolsAlone: latest.poolReads, windows: due.size },
  };
}
