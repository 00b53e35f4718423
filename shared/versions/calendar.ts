import { z } from 'zod';
import calendarJson from './calendar.json';

/**
 * The AKS Kubernetes release calendar (learn.microsoft.com "Supported Kubernetes versions in AKS"), kept
 * as data in `calendar.json` with its source. Dates the calendar does not give are null: the app says
 * "unknown" rather than guessing.
 */
export interface CalendarRow {
  /** `major.minor`, e.g. `1.31`. */
  minor: string;
  /** Month precision (`YYYY-MM`), as the calendar gives them. */
  upstreamRelease: string | null;
  aksPreview: string | null;
  aksGa: string | null;
  /** Last day of community (KubernetesOfficial) support, `YYYY-MM-DD`. */
  endOfLife: string | null;
  /** The calendar's "Platform support" column, e.g. `1.35 GA`. */
  platformSupportUntil: string | null;
  /** Last day of long-term support (AKSLongTermSupport plan), `YYYY-MM-DD`; null when the minor has no LTS. */
  ltsEndOfLife: string | null;
  notes?: string;
}

export interface SupportCalendar {
  source: {
    title: string;
    url: string;
    readOn: string;
    readFrom: string[];
    endOfLifeRule: string;
    howToUpdate?: string;
  };
  minors: CalendarRow[];
}

const ymd = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'expected YYYY-MM-DD')
  .nullable();
const ym = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected YYYY-MM')
  .nullable();

const CalendarSchema = z.object({
  source: z.object({
    title: z.string().min(1),
    url: z.url(),
    readOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD'),
    readFrom: z.array(z.string()),
    endOfLifeRule: z.string(),
    howToUpdate: z.string().optional(),
  }),
  minors: z
    .array(
      z.object({
        minor: z.string().regex(/^\d+\.\d+$/, 'expected major.minor'),
        upstreamRelease: ym,
        aksPreview: ym,
        aksGa: ym,
        endOfLife: ymd,
        platformSupportUntil: z.string().nullable(),
        ltsEndOfLife: ymd,
        notes: z.string().optional(),
      }),
    )
    .min(1),
});

/** Validates a calendar document (the bundled one, or one a test or operator supplies). Throws on a bad one. */
export function loadCalendar(doc: unknown = calendarJson): SupportCalendar {
  const r = CalendarSchema.safeParse(doc);
  if (!r.success) {
    const problems = r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid Kubernetes support calendar: ${problems}`);
  }
  return r.data;
}

/** The bundled calendar. */
export const SUPPORT_CALENDAR: SupportCalendar = loadCalendar();

export function calendarRow(calendar: SupportCalendar, minor: string): CalendarRow | undefined {
  return calendar.minors.find((r) => r.minor === minor);
}

/** `YYYY-MM-DD` → that day at 00:00 UTC. */
export function calendarDate(day: string | null): Date | null {
  return day === null ? null : new Date(`${day}T00:00:00Z`);
}
