/**
 * What the outbox says when it parks an entry: a small Teams card and one AksDay2Ops_CL row
 * (`Action` = `notify-dead-letter`, `Outcome` = `Failed`), naming what was parked, why, and where.
 */
import { createHash } from 'node:crypto';
import type { AdaptiveCard, TeamsMessage } from './card';
import type { AksDay2OpsRow } from './logRows';
import type { Destination, OutboxMessage, ParkedEntry } from './outboxTypes';

const WHAT: Record<Destination, string> = { teams: 'Teams card', logs: 'Log Analytics rows' };

export function deadLetterReason(p: ParkedEntry): string {
  return `${WHAT[p.destination]} of run ${p.runId} (${p.job}) parked after ${p.attempts} failed attempt(s)${p.lastStatus ? `, last answer ${p.lastStatus}` : ''}: ${p.lastError}. It is kept in table ${p.deadLetterTable} (PartitionKey ${p.destination}, delivery ${p.deliveryId}).`;
}

export function deadLetterCard(p: ParkedEntry): TeamsMessage {
  const content: AdaptiveCard = {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.4',
    msteams: { width: 'Full' },
    body: [
      {
        type: 'TextBlock',
        text: `aks-day2 could not deliver a notification`,
        weight: 'Bolder',
        size: 'Medium',
        color: 'Attention',
        wrap: true,
      },
      { type: 'TextBlock', text: deadLetterReason(p), wrap: true, color: 'Attention' },
      {
        type: 'FactSet',
        facts: [
          { title: 'Run', value: p.runId },
          { title: 'Job', value: p.job },
          { title: 'Destination', value: WHAT[p.destination] },
          { title: 'Attempts', value: String(p.attempts) },
          { title: 'Parked at', value: `${p.parkedAt.toISOString().slice(0, 19).replace('T', ' ')} UTC` },
        ],
      },
    ],
  };
  return {
    type: 'message',
    attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content }],
  };
}

export function deadLetterRow(p: ParkedEntry): AksDay2OpsRow {
  return {
    TimeGenerated: p.parkedAt.toISOString(),
    RunId: p.runId,
    Job: p.job,
    Action: 'notify-dead-letter',
    Outcome: 'Failed',
    ClusterId: '',
    Cluster: '',
    Subscription: '',
    ResourceGroup: '',
    NodePool: '',
    FromVersion: '',
    ToVersion: '',
    Reason: deadLetterReason(p),
    Actor: p.actor,
    DurationMs: null,
    Details: {
      destination: p.destination,
      deliveryId: p.deliveryId,
      attempts: p.attempts,
      lastStatus: p.lastStatus ?? null,
      deadLetterTable: p.deadLetterTable,
      rowId: `dead-letter/${p.deliveryId}`,
    },
  };
}

/** The alert messages for a parked entry, to every destination that is configured. */
export function deadLetterAlerts(
  p: ParkedEntry,
  configured: readonly Destination[],
): Array<{ destination: Destination; message: OutboxMessage }> {
  const key = `alert:${p.destination}:${p.deliveryId}`;
  const base = { key, kind: 'alert' as const, runId: p.runId, job: p.job, actor: p.actor };
  const out: Array<{ destination: Destination; message: OutboxMessage }> = [];
  if (configured.includes('teams'))
    out.push({ destination: 'teams', message: { ...base, payload: JSON.stringify(deadLetterCard(p)) } });
  if (configured.includes('logs'))
    out.push({ destination: 'logs', message: { ...base, payload: JSON.stringify([deadLetterRow(p)]) } });
  return out;
}

export function contentHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}
