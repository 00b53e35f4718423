/**
 * Kubernetes versions a region offers on a given day, derived from the AKS support calendar
 * (shared/versions/calendar.json), for fleets whose locations set `calendarFrom`:
 * - a minor is in preview from its AKS preview month until its GA month (one patch, `x.y.0`);
 * - from its GA month until its end of life it is offered with KubernetesOfficial (and
 *   AKSLongTermSupport when it has an LTS end date); after end of life, until its LTS end, LTS only;
 * - patches: one every two months since GA (`x.y.0` at GA), the newest three offered;
 * - default: the newest GA minor but one (the newest when only one is GA).
 */
import { SUPPORT_CALENDAR, type SupportCalendar } from '../versions/calendar';
import type { FleetLocation } from './fleet/schema';

type MinorVersion = FleetLocation['kubernetesVersions'][number];

function monthStart(ym: string): number {
  return Date.parse(`${ym.slice(0, 7)}-01T00:00:00Z`);
}

function dayEnd(ymd: string): number {
  return Date.parse(`${ymd}T23:59:59.999Z`);
}

function monthsBetween(fromMs: number, toMs: number): number {
  const a = new Date(fromMs);
  const b = new Date(toMs);
  return (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + (b.getUTCMonth() - a.getUTCMonth());
}

export function calendarOffer(nowMs: number, calendar: SupportCalendar = SUPPORT_CALENDAR): MinorVersion[] {
  const out: MinorVersion[] = [];
  for (const row of calendar.minors) {
    const ga = row.aksGa ? monthStart(row.aksGa) : undefined;
    const preview = row.aksPreview ? monthStart(row.aksPreview) : undefined;
    const eol = row.endOfLife ? dayEnd(row.endOfLife) : undefined;
    const ltsEnd = row.ltsEndOfLife ? dayEnd(row.ltsEndOfLife) : undefined;
    if (ga === undefined || nowMs < ga) {
      if (preview !== undefined && nowMs >= preview)
        out.push({
          version: row.minor,
          patches: [`${row.minor}.0`],
          isPreview: true,
          supportPlan: ['KubernetesOfficial'],
        });
      continue;
    }
    const community = eol === undefined || nowMs <= eol;
    const lts = ltsEnd !== undefined && nowMs <= ltsEnd;
    if (!community && !lts) continue;
    const latest = Math.max(0, Math.floor(monthsBetween(ga, nowMs) / 2));
    const patches: string[] = [];
    for (let p = Math.max(0, latest - 2); p <= latest; p++) patches.push(`${row.minor}.${p}`);
    const supportPlan: MinorVersion['supportPlan'] = community
      ? lts
        ? ['KubernetesOfficial', 'AKSLongTermSupport']
        : ['KubernetesOfficial']
      : ['AKSLongTermSupport'];
    out.push({ version: row.minor, patches, supportPlan });
  }
  const ga = out.filter((m) => !m.isPreview && m.supportPlan.includes('KubernetesOfficial'));
  const def = ga.length > 1 ? ga[ga.length - 2] : ga[0];
  if (def) def.isDefault = true;
  return out;
}

/** The location as offered at `nowMs`: its own list before `calendarFrom`, the calendar's from then on. */
export function locationAt(loc: FleetLocation, nowMs: number): FleetLocation {
  if (!loc.calendarFrom || nowMs < Date.parse(`${loc.calendarFrom}T00:00:00Z`)) return loc;
  const offer = calendarOffer(nowMs);
  return offer.length ? { ...loc, kubernetesVersions: offer } : loc;
}
