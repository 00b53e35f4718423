import type { OutcomeRecord } from '../records/outcome';
import { calendarRow, SUPPORT_CALENDAR } from '../versions/calendar';
import { minorKey, parseVersion } from '../versions/kubernetesVersion';
import type { AksEvent } from './parse';
import { clusterRefOf } from './poolRolling';

type SupportEvent = Extract<AksEvent, { type: 'ClusterSupportEnding' | 'ClusterSupportEnded' }>;

/** ClusterSupportEnding / Ended (docs/functions.md, Event Grid): a finding that raises a card at once, with the calendar's date when known. */
export function supportOutcome(e: SupportEvent): OutcomeRecord {
  const v = parseVersion(e.data.kubernetesVersion);
  const eol = v ? (calendarRow(SUPPORT_CALENDAR, minorKey(v))?.endOfLife ?? null) : null;
  const date = eol
    ? ` (end of support in the AKS calendar: ${eol})`
    : ' (end of support date unknown in the AKS calendar)';
  const ending = e.type === 'ClusterSupportEnding';
  return {
    action: ending ? 'support-ending' : 'support-ended',
    outcome: 'Skipped',
    cluster: clusterRefOf(e),
    fromVersion: e.data.kubernetesVersion,
    reason: ending
      ? `AKS: support for Kubernetes ${e.data.kubernetesVersion} is ending${date}; plan the upgrade`
      : `AKS: Kubernetes ${e.data.kubernetesVersion} is out of support${date}; upgrade now`,
    at: e.time,
    details: { finding: true, eventId: e.id, kubernetesVersion: e.data.kubernetesVersion },
  };
}
