import { CommandFailureStore } from '../commands/failureStore';
import type { Deps } from '../deps';
import { FIRST_SEEN_SCOPE } from '../nodeimage/firstSeen';
import { toRollout } from '../nodeimage/history';
import { Tables } from '../storage/tables';
import { IdempotencyStore } from '../upgradesHttp/idempotencyStore';
import { isNewestImage, newestImages } from './keep';

/** Rows deleted per table by one pass. */
export interface HousekeepingReport {
  cutoff: Date;
  deleted: Record<string, number>;
}

const DAY_MS = 86_400_000;

/** The image of a first-seen entry (`<pool>|<image>|<ISO time>`). */
const firstSeenImage = (raw: string): string | undefined => raw.split('|')[1];

/**
 * `housekeeping` (daily): prunes every table the app writes of what is older than DAY2_RETENTION_DAYS,
 * by the rule of each table (docs/retention.md). What is still needed is kept whatever its age:
 * operations in flight or not yet reported, parked-but-unread outbox entries younger than the cutoff,
 * waiting outbox entries and their markers, and the node-image evidence of the newest image of each
 * family (rollouts and first-seen times the ring gate reads for soak).
 */
export async function runHousekeeping(deps: Deps): Promise<HousekeepingReport> {
  const now = deps.clock.now();
  const cutoff = new Date(now.getTime() - deps.settings.retentionDays * DAY_MS);
  const { state, notifier, log } = deps;

  const history = await state.operations.history({ job: 'node-image' });
  const firstSeen = await state.findings.reported(FIRST_SEEN_SCOPE);
  const newest = newestImages([
    ...history.flatMap((op) => toRollout(op)?.imageVersion ?? []),
    ...[...firstSeen.values()].flatMap((set) => [...set].flatMap((raw) => firstSeenImage(raw) ?? [])),
  ]);

  const ops = await state.operations.prune(
    cutoff,
    (op) => op.job === 'node-image' && isNewestImage(newest, toRollout(op)?.imageVersion),
  );
  const deleted: Record<string, number> = {
    operations: ops.operations,
    locks: ops.locks,
    findings: await state.findings.prune(
      cutoff,
      (f) => f.scope === FIRST_SEEN_SCOPE && isNewestImage(newest, firstSeenImage(f.finding)),
    ),
    edges: await state.edges.prune(cutoff),
    edgesdryrun: await state.dryRunEdges.prune(cutoff),
    events: await state.events.prune(cutoff),
    snoozes: await state.snoozes.prune(now),
    upgraderuns: await state.upgradeRuns.prune(cutoff),
  };
  const tables = new Tables(deps.settings.storageConnectionString);
  deleted.idempotency = await new IdempotencyStore(tables, () => now).prune(cutoff);
  deleted.commandfailures = await new CommandFailureStore(tables).prune(cutoff);
  const runs = await notifier.runs.prune(cutoff);
  deleted.Runs = runs.runs;
  deleted.RunIndex = runs.index;
  const outbox = await notifier.outbox.prune(cutoff);
  deleted.Outbox = outbox.markers;
  deleted.OutboxDead = outbox.parked;

  log.info(
    `housekeeping: kept ${deps.settings.retentionDays} days (before ${cutoff.toISOString()} pruned): ${Object.entries(
      deleted,
    )
      .map(([t, n]) => `${t} ${n}`)
      .join(', ')}`,
  );
  return { cutoff, deleted };
}
