/**
 * What jobs call once per run: `report(run)` saves the run record, puts its Teams card (when there
 * is something to tell) and its Log Analytics rows in the outbox, durably, then tries to deliver.
 * `deliverPending()` is what the `outboxDelivery` timer calls every minute.
 */
import type { TokenCredential } from '@azure/core-auth';
import type { Clock } from '../clock';
import type { Settings } from '../config/settings';
import { errorMessage } from '../errors';
import type { Logger } from '../log';
import type { RunRecord } from '../records/outcome';
import { createRunStore, type RunStore } from '../records/runStore';
import { buildCard, shouldPost } from './card';
import { contentHash, deadLetterAlerts } from './deadLetterAlert';
import {
  digestIsEmpty,
  nextDay,
  nodeImageDigest,
  powerDigest,
  utcDay,
  type DigestEntry,
  type PowerDigest,
} from './digest';
import { buildDigestCard } from './digestCard';
import { carryKey, createDigestStore, type DigestRow } from './digestStore';
import { chunkRows, toLogRows } from './logRows';
import { createLogsSender } from './logsSender';
import { createOutbox, type Outbox, type OutboxTuning } from './outbox';
import type { DeliveryReport, Destination, OutboxMessage, Sender } from './outboxTypes';
import { redactSecrets } from './redact';
import {
  DIGEST_ACTIONS,
  DIGEST_JOBS,
  isRoutine,
  isUnattended,
  splitRoutine,
  type DigestJob,
} from './routine';
import { createTeamsSender } from './teamsSender';

export interface NotifierDeps {
  settings: Settings;
  credential: TokenCredential;
  log: Logger;
  clock: Clock;
  /** Table name prefix (default `day2`); tests give each test its own. */
  tablePrefix?: string;
  /** Outbox retry tuning (tests shorten the backoff). */
  outbox?: OutboxTuning;
  /** Least time between two Teams posts (default 250 ms = 4 a second). */
  teamsPaceMs?: number;
  /** Try delivering right after `report` stored everything (default true). */
  deliverOnReport?: boolean;
}

export interface Notifier {
  /**
   * Save the run, enqueue its card (if `shouldPost`) and rows durably, then try delivering. Delivery
   * failures do not reject: the outbox keeps the records. With `DAY2_TEAMS_ROUTINE=digest`, the routine
   * successes of an unattended run go to the day's digest instead, and the run posts a card at once
   * only for what is left (failures, findings, other changes).
   */
  report(run: RunRecord): Promise<void>;
  /** Enqueues the digest cards of the days that ended, then delivers what waits in the outbox. */
  deliverPending(): Promise<DeliveryReport>;
  /** Enqueues the digest card of every (job, UTC day) that ended and still has routine outcomes; returns how many. */
  flushDigests(): Promise<number>;
  readonly runs: RunStore;
  readonly outbox: Outbox;
}

export function createNotifier(deps: NotifierDeps): Notifier {
  const { settings, credential, log, clock } = deps;
  const senders: Partial<Record<Destination, Sender>> = {};
  if (settings.teamsWebhookUrl) {
    senders.teams = createTeamsSender(settings, {
      clock,
      ...(deps.teamsPaceMs !== undefined ? { paceMs: deps.teamsPaceMs } : {}),
    });
  } else {
    log.info('notifications: DAY2_TEAMS_WEBHOOK_URL is not set, so no Teams cards are posted');
  }
  if (settings.logs) {
    senders.logs = createLogsSender(settings, credential, { clock });
  } else {
    log.info(
      'notifications: DAY2_LOGS_ENDPOINT / DAY2_LOGS_RULE_ID are not set, so no Log Analytics rows are sent',
    );
  }
  const configured = Object.keys(senders) as Destination[];
  const runs = createRunStore(settings.storageConnectionString, { tablePrefix: deps.tablePrefix });
  const outbox = createOutbox({
    connectionString: settings.storageConnectionString,
    tablePrefix: deps.tablePrefix,
    clock,
    log,
    senders,
    retryForMs: settings.deliveryRetryHours * 3_600_000,
    ...deps.outbox,
    alertsFor: (parked) => deadLetterAlerts(parked, configured),
  });

  const digest = createDigestStore(settings.storageConnectionString, deps.tablePrefix);
  const digestMode = settings.teamsRoutine === 'digest' && senders.teams !== undefined;
  /** A carried stop counts node-hours for at most this long after the stop (a start by hand is not seen). */
  const MAX_CARRY_MS = 7 * 86_400_000;

  async function flushDay(job: DigestJob, day: string, entries: DigestEntry[]): Promise<boolean> {
    const summary = job === 'power-schedule' ? powerDigest(day, entries) : nodeImageDigest(day, entries);
    let posted = false;
    if (!digestIsEmpty(summary)) {
      const payload = JSON.stringify(buildDigestCard(summary));
      await outbox.enqueue('teams', [
        {
          runId: `digest-${job}-${day}`,
          job,
          actor: 'timer',
          key: `digest:${job}:${day}`,
          kind: 'card',
          payload,
        },
      ]);
      posted = true;
    }
    if (summary.job === 'power-schedule') await carry(summary);
    return posted;
  }

  /** Clusters still stopped at midnight start the next day stopped (for its node-hours). */
  async function carry(summary: PowerDigest): Promise<void> {
    const day = nextDay(summary.day);
    const midnight = new Date(`${day}T00:00:00Z`);
    const rows: DigestRow[] = summary.stoppedAtMidnight
      .filter((c) => midnight.getTime() - c.since.getTime() < MAX_CARRY_MS)
      .map((c) => ({
        rowKey: carryKey(c.clusterId),
        entry: {
          job: 'power-schedule',
          day,
          action: 'stop',
          outcome: 'Succeeded',
          clusterId: c.clusterId,
          cluster: c.cluster,
          at: midnight,
          nodes: c.nodes,
          carried: true,
          since: c.since,
        },
      }));
    await digest.add(rows);
  }

  async function flushDigests(): Promise<number> {
    if (!digestMode) return 0;
    const today = utcDay(clock.now());
    let posted = 0;
    for (const job of DIGEST_JOBS) {
      for (;;) {
        const earliest = await digest.earliestBefore(job, today);
        if (!earliest) break;
        if (
          await flushDay(
            job,
            earliest.day,
            earliest.rows.map((r) => r.entry),
          )
        )
          posted++;
        await digest.remove(
          job,
          earliest.day,
          earliest.rows.map((r) => r.rowKey),
        );
      }
    }
    if (posted > 0) log.info(`notifications: ${posted} daily digest card(s) enqueued`);
    return posted;
  }

  /** Routine outcomes (and failures of the same actions, to count them) kept for the day's digest. */
  async function keepForDigest(run: RunRecord): Promise<void> {
    const rows: DigestRow[] = [];
    run.outcomes.forEach((o, i) => {
      const job = DIGEST_ACTIONS[o.action];
      if (!job || !(isRoutine(o) || o.outcome === 'Failed')) return;
      const nodes = o.details?.nodes;
      const operationId = o.details?.operationId;
      rows.push({
        rowKey: `${run.runId}|${String(i).padStart(5, '0')}`,
        entry: {
          job,
          day: utcDay(o.at),
          action: o.action,
          outcome: o.outcome,
          clusterId: o.cluster.id,
          cluster: o.cluster.name,
          nodePool: o.nodePool,
          fromVersion: o.fromVersion,
          toVersion: o.toVersion,
          at: o.at,
          nodes: typeof nodes === 'number' ? nodes : undefined,
          operationId: typeof operationId === 'string' ? operationId : undefined,
        },
      });
    });
    await digest.add(rows);
  }

  async function deliverPending(): Promise<DeliveryReport> {
    await flushDigests();
    const report = await outbox.deliverPending();
    if (report.delivered > 0 || report.parked > 0 || report.pending > 0) {
      log.info(`outbox: delivered ${report.delivered}, parked ${report.parked}, waiting ${report.pending}`);
    }
    return report;
  }

  async function report(run: RunRecord): Promise<void> {
    await runs.save(run);
    const base = { runId: run.runId, job: run.job, actor: run.actor };
    let post = shouldPost(run);
    if (digestMode && isUnattended(run)) {
      await keepForDigest(run);
      post = shouldPost({ ...run, outcomes: splitRoutine(run).rest });
    }
    if (senders.teams && post) {
      const payload = JSON.stringify(buildCard(run));
      await outbox.enqueue('teams', [
        { ...base, key: `card:${run.runId}:${contentHash(payload)}`, kind: 'card', payload },
      ]);
    }
    if (senders.logs && run.outcomes.length > 0) {
      const messages: OutboxMessage[] = chunkRows(toLogRows(run)).map((rows, i) => {
        const payload = JSON.stringify(rows);
        return { ...base, key: `rows:${run.runId}:${i}:${contentHash(payload)}`, kind: 'rows', payload };
      });
      await outbox.enqueue('logs', messages);
    }
    if (deps.deliverOnReport === false) return;
    try {
      const r = await outbox.deliverPending();
      if (r.pending > 0)
        log.info(
          `notifications: ${r.pending} record(s) wait in the outbox; the outboxDelivery timer retries them`,
        );
    } catch (err) {
      log.warn(
        `notifications: delivery after run ${run.runId} failed; the outbox keeps the records: ${redactSecrets(errorMessage(err))}`,
      );
    }
  }

  return { report, deliverPending, flushDigests, runs, outbox };
}
