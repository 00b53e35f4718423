/**
 * Node-image ground truth: every pool due to the latest image was upgraded by exactly one AKS operation
 * (the simulator's operation log) and ends on the image with a Succeeded row, or AKS failed it and the
 * app recorded it Failed with a reason, or it was held back and the app's last row for it says why.
 */
import { NEW_IMAGE, POOLS } from './chaosFleet';
import type { GroundTruth } from './groundTruth';
import type { ChaosReport } from './report';

const ACTION = 'node-image-upgrade';

export function checkNodeImage(
  truth: GroundTruth,
  imaged: Array<{ name: string }>,
  report: ChaosReport,
): void {
  const t = report.nodeImage;
  for (const { name } of imaged) {
    for (const pool of POOLS) {
      t.due++;
      const where = `${name}/${pool}`;
      const ops = truth.opsOf(name).filter((op) => op.kind === 'nodeImageUpgrade' && op.pool === pool);
      const image = truth.clusters.get(name)?.pools.find((p) => p.name === pool)?.nodeImageVersion;
      const rows = truth.rowsOf(name, pool).filter((r) => r.Action === ACTION);
      if (ops.length > 1) {
        t.doubled += ops.length - 1;
        report.problems.push(
          `${where}: ${ops.length} node-image operations for ${NEW_IMAGE}, started ${ops.map((op) => new Date(op.startMs).toISOString()).join(', ')}`,
        );
      }
      const recorded = (outcome: string) => rows.some((r) => r.Outcome === outcome && r.Reason);
      if (image === NEW_IMAGE && ops.length >= 1) {
        if (recorded('Succeeded')) t.carriedOut++;
        else {
          t.lost++;
          report.problems.push(`${where}: upgraded to ${NEW_IMAGE} but never recorded Succeeded`);
        }
      } else if (ops.some((op) => op.status === 'Failed') && recorded('Failed')) t.failedRecorded++;
      else if (ops.length === 0 && image !== NEW_IMAGE && rows.at(-1)?.Outcome === 'Skipped') {
        t.held++;
        report.notes.push(`${where} held: ${String(rows.at(-1)?.Reason)}`);
      } else {
        t.lost++;
        report.problems.push(
          `${where}: due to ${NEW_IMAGE}, ends on ${image ?? '?'} after ${ops.length} operation(s) (${ops.map((o) => o.status).join(', ')}); last row: ${rows.at(-1)?.Outcome ?? 'none'}`,
        );
      }
    }
  }
}
