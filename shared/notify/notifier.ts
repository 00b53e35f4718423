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
import { chunkRows, toLogRows } from './logRows';
import { createLogsSender } from './logsSender';
import { createOutbox, type Outbox, type OutboxTuning } from './outbox';
import type { DeliveryReport, Destination, OutboxMessage, Sender } from './outboxTypes';
import { redactSecrets } from './redact';
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
  /** Save the run, enqueue its card (if `shouldPost`) and rows durably, then try delivering. Delivery failures do not reject: the outbox keeps the records. */
  report(run: RunRecord): Promise<void>;
  deliverPending(): Promise<DeliveryReport>;
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

  async function deliverPending(): Promise<DeliveryReport> {
    const report = await outbox.deliverPending();
    if (report.delivered > 0 || report.parked > 0 || report.pending > 0) {
      log.info(`outbox: delivered ${report.delivered}, parked ${report.parked}, waiting ${report.pending}`);
    }
    return report;
  }

  async function report(run: RunRecord): Promise<void> {
    await runs.save(run);
    const base = { runId: run.runId, job: run.job, actor: run.actor };
    if (senders.teams && shouldPost(run)) {
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

  return { report, deliverPending, runs, outbox };
}
