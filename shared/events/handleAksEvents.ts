import { toDay2Error } from '../azure/azureError';
import type { Deps } from '../deps';
import { newRunId } from '../records/newRunId';
import type { OutcomeRecord, RunRecord } from '../records/outcome';
import { runVersionSupport } from '../versions/runVersionSupport';
import type { AksEvent, AksEventType, ParsedEventsResult } from './parse';
import { clusterRefOf, handlePoolRolling } from './poolRolling';
import { supportOutcome } from './supportEvents';

export interface HandledEvent {
  id: string;
  type: AksEventType;
  /** `duplicate`: the id was seen before, nothing done. `failed`: handling failed, recorded as a Failed outcome. */
  status: 'processed' | 'duplicate' | 'failed';
  outcomes: OutcomeRecord[];
  /** The version-support run a NewKubernetesVersionAvailable started. */
  versionRunId?: string;
}

export interface AksEventsResult {
  handled: HandledEvent[];
  /** The `events` run reported for this delivery (undefined when every event was a duplicate). */
  run?: RunRecord;
}

async function dispatch(deps: Deps, e: AksEvent): Promise<Omit<HandledEvent, 'id' | 'type' | 'status'>> {
  switch (e.type) {
    case 'NodePoolRollingStarted':
    case 'NodePoolRollingSucceeded':
    case 'NodePoolRollingFailed':
      return { outcomes: await handlePoolRolling(deps, e) };
    case 'ClusterSupportEnding':
    case 'ClusterSupportEnded':
      deps.log.warn(`events: ${e.type} for ${e.clusterName} (Kubernetes ${e.data.kubernetesVersion})`);
      return { outcomes: [supportOutcome(e)] };
    case 'NewKubernetesVersionAvailable': {
      deps.log.info(`events: new Kubernetes versions for ${e.clusterName} (latest supported ${e.data.latestSupportedKubernetesVersion}); re-checking its version support`);
      const r = await runVersionSupport(deps, { clusterIds: [e.clusterId], actor: 'eventgrid' });
      return { outcomes: [], versionRunId: r.run.runId };
    }
    case 'Unknown':
      deps.log.info(`events: ${e.fullType} (id ${e.id}) is not an event aks-day2 acts on; acknowledged`);
      return { outcomes: [] };
  }
}

/**
 * `aksEvents` (PRODUCT §8): each event is handled once by its id (a repeat is acknowledged and does
 * nothing); outcomes are recorded once, so a late or repeated event never reverses one. One `events`
 * run per delivery, reported through the notifier (a support event makes it post a card at once).
 */
export async function handleAksEvents(deps: Deps, parsed: ParsedEventsResult): Promise<AksEventsResult> {
  const startedAt = deps.clock.now();
  for (const err of parsed.errors) {
    deps.log.error(`events: malformed event${err.id ? ` ${err.id}` : ''} at index ${err.index}: ${err.field}: ${err.message}; acknowledged, not processed`);
  }
  if (parsed.validation) deps.log.info(`events: subscription validation event ${parsed.validation.id} (answered by the Event Grid trigger)`);
  const handled: HandledEvent[] = [];
  for (const e of parsed.events) {
    if (!(await deps.state.events.firstSeen(e.id, e.fullType, deps.clock.now()))) {
      deps.log.info(`events: ${e.fullType} ${e.id} was already processed; repeat acknowledged`);
      handled.push({ id: e.id, type: e.type, status: 'duplicate', outcomes: [] });
      continue;
    }
    try {
      handled.push({ id: e.id, type: e.type, status: 'processed', ...(await dispatch(deps, e)) });
    } catch (err) {
      // Recorded as the event's outcome (the id is marked processed: a redelivery would not retry it).
      const error = toDay2Error(err, { cluster: e.clusterName, operation: `handle ${e.type}` });
      deps.log.error(`events: ${e.fullType} ${e.id}: ${error.message}`);
      const outcome: OutcomeRecord = { action: `event:${e.type}`, outcome: 'Failed', cluster: clusterRefOf(e), reason: error.message, at: deps.clock.now(), details: { eventId: e.id, errorCode: error.code } };
      handled.push({ id: e.id, type: e.type, status: 'failed', outcomes: [outcome] });
    }
  }
  const fresh = handled.filter((h) => h.status !== 'duplicate');
  if (fresh.length === 0) return { handled };
  const run: RunRecord = {
    runId: newRunId(startedAt),
    job: 'events',
    actor: 'eventgrid',
    startedAt,
    endedAt: deps.clock.now(),
    dryRun: deps.settings.dryRun,
    outcomes: fresh.flatMap((h) => h.outcomes),
    alwaysReport: fresh.some((h) => h.type === 'ClusterSupportEnding' || h.type === 'ClusterSupportEnded'),
  };
  await deps.notifier.report(run);
  return { handled, run };
}
