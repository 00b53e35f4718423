import { calendarDate, calendarRow, loadCalendar, SUPPORT_CALENDAR } from '../../shared/versions/calendar';

describe('the bundled AKS release calendar', () => {
  it('names the learn.microsoft.com article it was read from and the day it was read', () => {
    expect(SUPPORT_CALENDAR.source.url).toBe(
      'https://learn.microsoft.com/en-us/azure/aks/supported-kubernetes-versions',
    );
    expect(SUPPORT_CALENDAR.source.readOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it.each(['1.27', '1.28', '1.29', '1.30', '1.31', '1.32', '1.33', '1.34', '1.35'])(
    'has a GA month and an end-of-life day for %s',
    (minor) => {
      const row = calendarRow(SUPPORT_CALENDAR, minor);
      expect(row?.aksGa).toMatch(/^\d{4}-\d{2}$/);
      expect(row?.endOfLife).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    },
  );

  it('reads a month-only end of life as the last day of that month, as the article says', () => {
    expect(calendarRow(SUPPORT_CALENDAR, '1.32')?.endOfLife).toBe('2026-03-31');
    expect(calendarRow(SUPPORT_CALENDAR, '1.28')?.ltsEndOfLife).toBe('2026-02-28');
  });

  it('keeps the explicit end-of-life days the calendar gives', () => {
    expect(calendarRow(SUPPORT_CALENDAR, '1.30')?.endOfLife).toBe('2025-08-22');
    expect(calendarRow(SUPPORT_CALENDAR, '1.31')?.endOfLife).toBe('2025-11-01');
  });

  it('ends LTS after community support for every minor that has it', () => {
    for (const row of SUPPORT_CALENDAR.minors) {
      if (row.ltsEndOfLife && row.endOfLife) expect(row.ltsEndOfLife > row.endOfLife).toBe(true);
    }
  });

  it('turns a calendar day into midnight UTC and null into null', () => {
    expect(calendarDate('2026-03-31')?.toISOString()).toBe('2026-03-31T00:00:00.000Z');
    expect(calendarDate(null)).toBeNull();
  });

  it('rejects a calendar document with a malformed date, naming the field', () => {
    const bad = { ...SUPPORT_CALENDAR, minors: [{ ...SUPPORT_CALENDAR.minors[0]!, endOfLife: 'Mar 2026' }] };
    expect(() => loadCalendar(bad)).toThrow(/minors\.0\.endOfLife: expected YYYY-MM-DD/);
  });
});
