import { toDay2Error } from '../azure/azureError';
import type { Deps } from '../deps';
import { Day2Error } from '../errors';
import { reportRun } from '../operations/reported';
import { newRunId } from '../records/newRunId';
import type { OutcomeRecord, RunRecord } from '../records/outcome';
import { checkClusterVersion } from '../versions/checkClusterVersion';
import type { AksEvent, AksEventType, ParsedEventsResult } from './parse';
import { clusterRefOf, handlePoolRolling } from './poolRolling';
import { supportOutcome } from './supportEvents';
import { isTransient } from './transient';
import { advanceRunOf } from '../upgrades/events';

export interface HandledEvent {
  id: string;
  type: AksEventType;
  /**
   * `duplicate`: the id was handled before, nothing done. `failed`: handling failed for good, recorded as a
   * Failed outcome. `retry`: a transient failure (throttling, Azure or storage unavailable): nothing is
   * recorded and the delivery fails, so Event Grid redelivers it.
   */
  status: 'processed' | 'duplicate' | 'failed' | 'retry';
  outcomes: OutcomeRecord[];
}

export interface AksEventsResult {
  handled: HandledEvent[];
  /** The `events` run reported for this delivery (undefined when every event was a duplicate). */
  run?: RunRecord;
}

async function dispatch(deps: Deps, e: AksEvent): Promise<OutcomeRecord[]> {
  switch (e.type) {
    case 'NodePoolRollingStarted':
    case 'NodePoolRollingSucceeded':
    case 'NodePoolRollingFailed': {
      const outcomes = await handlePoolRolling(deps, e);
      await advanceRunOf(deps, clusterRefOf(e));
      return outcomes;
    }
    case 'ClusterSupportEnding':
    case 'ClusterSupportEnded':
      deps.log.warn(`events: ${e.type} for ${e.clusterName} (Kubernetes ${e.data.kubernetesVersion})`);
      return [supportOutcome(e)];
    case 'NewKubernetesVersionAvailable': {
      deps.log.info(
        `events: new Kubernetes versions for ${e.clusterName} (latest supported ${e.data.latestSupportedKubernetesVersion}); re-checking its version support`,
      );
      const o = await checkClusterVersion(deps, clusterRefOf(e));
      return [{ ...o, details: { ...o.details, eventId: e.id } }];
    }
    case 'Unknown':
      deps.log.info(`events: ${e.fullType} (id ${e.id}) is not an event aks-day2 acts on; acknowledged`);
      return [];
  }
}

/**
 * `aksEvents` (docs/functions.md, Event Grid). Each event is handled, then the outcomes of the delivery are reported as one
 * `events` run, and only then are the event ids marked done: a failure or crash before that leaves the id
 * unmarked, so Event Grid's redelivery handles it again (handling is idempotent: an operation's outcome is
 * recorded once, so a late or repeated event never reverses it). A repeat of a done event is acknowledged
 * without work. A transient failure (Throttled, AzureUnavailable, StorageFailed) rethrows after the other
 * events of the delivery are reported, so the Functions host fails the invocation and Event Grid retries.
 */
export async function handleAksEvents(deps: Deps, parsed: ParsedEventsResult): Promise<AksEventsResult> {
  const startedAt = deps.clock.now();
  const ledger = deps.state.events;
  for (const err of parsed.errors) {
    deps.log.error(
      `events: malformed event${err.id ? ` ${err.id}` : ''} at index ${err.index}: ${err.field}: ${err.message}; acknowledged, not processed`,
    );
  }
  if (parsed.validation)
    deps.log.info(
      `events: subscription validation event ${parsed.validation.id} (answered by the Event Grid trigger)`,
    );
  const handled: HandledEvent[] = [];
  const retry: Day2Error[] = [];
  for (const e of parsed.events) {
    if (await ledger.isDone(e.id)) {
      deps.log.info(`events: ${e.fullType} ${e.id} was already processed; repeat acknowledged`);
      handled.push({ id: e.id, type: e.type, status: 'duplicate', outcomes: [] });
      continue;
    }
    try {
      handled.push({ id: e.id, type: e.type, status: 'processed', outcomes: await dispatch(deps, e) });
    } catch (err) {
      const error = toDay2Error(err, { cluster: e.clusterName, operation: `handle ${e.type}` });
      if (isTransient(error)) {
        deps.log.warn(
          `events: ${e.fullType} ${e.id}: ${error.message}; not marked processed, Event Grid redelivers it`,
        );
        handled.push({ id: e.id, type: e.type, status: 'retry', outcomes: [] });
        retry.push(error);
        continue;
      }
      deps.log.error(`events: ${e.fullType} ${e.id}: ${error.message}`);
      const outcome: OutcomeRecord = {
        action: `event:${e.type}`,
        outcome: 'Failed',
        cluster: clusterRefOf(e),
        reason: error.message,
        at: deps.clock.now(),
        details: { eventId: e.id, errorCode: error.code },
      };
      handled.push({ id: e.id, type: e.type, status: 'failed', outcomes: [outcome] });
    }
  }
  const done = handled.filter((h) => h.status === 'processed' || h.status === 'failed');
  let run: RunRecord | undefined;
  if (done.length > 0) {
    run = {
      runId: newRunId(startedAt),
      job: 'events',
      actor: 'eventgrid',
      startedAt,
      endedAt: deps.clock.now(),
      dryRun: deps.settings.dryRun,
      outcomes: done.flatMap((h) => h.outcomes),
      alwaysReport: done.some((h) => h.type === 'ClusterSupportEnding' || h.type === 'ClusterSupportEnded'),
    };
    await reportRun(deps, run);
    for (const h of done) await ledger.markDone(h.id, h.type, deps.clock.now());
  }
  const [first] = retry;
  if (first) {
    throw new Day2Error(
      first.code,
      `events: ${retry.length} event(s) failed transiently and will be redelivered: ${retry.map((r) => r.message).join('; ')}`,
      { cluster: first.cluster, operation: first.operation, cause: first },
    );
  }
  return { handled, ...(run ? { run } : {}) };
}
