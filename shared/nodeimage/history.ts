import type { OperationRecord } from '../state/operationStore';
import { osKey } from './osKey';
import type { NodeImageRollout } from './plan';

/** Details the node-image job stores with each operation (read back by the ring gate). */
export interface NodeImageOpDetails {
  ring: number;
  osKey: string;
  imageVersion: string;
}

/** A stored node-image operation as the plan's history entry; undefined for one that never started. */
export function toRollout(op: OperationRecord): NodeImageRollout | undefined {
  const d = op.details ?? {};
  if (!op.nodePool) return undefined;
  const imageVersion = typeof d.imageVersion === 'string' ? d.imageVersion : op.toVersion;
  if (!imageVersion) return undefined;
  return {
    clusterId: op.cluster.id,
    pool: op.nodePool,
    ring: typeof d.ring === 'number' ? d.ring : 5,
    imageVersion,
    osKey: typeof d.osKey === 'string' ? d.osKey : osKey(imageVersion),
    startedAt: op.startedAt,
    ...(op.finishedAt ? { finishedAt: op.finishedAt } : {}),
    outcome: op.status,
  };
}

export function toRollouts(ops: readonly OperationRecord[]): NodeImageRollout[] {
  return ops.map(toRollout).filter((r): r is NodeImageRollout => r !== undefined);
}
