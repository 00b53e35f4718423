import type { MaintenanceConfiguration } from '@azure/arm-containerservice';

interface WireConfig {
  name?: string;
  properties?: {
    timeInWeek?: { day?: string; hourSlots?: number[] }[];
    notAllowedTime?: { start?: string; end?: string }[];
    maintenanceWindow?: {
      schedule: NonNullable<MaintenanceConfiguration['maintenanceWindow']>['schedule'];
      durationHours: number;
      utcOffset?: string;
      startDate?: string;
      startTime: string;
      notAllowedDates?: { start: string; end: string }[];
    };
  };
}

/** What SDK 25.x hands the app for a wire body: `properties` flattened, date fields turned into Date. */
export function toSdkMaintenanceConfiguration(wire: WireConfig): MaintenanceConfiguration {
  const p = wire.properties ?? {};
  const mw = p.maintenanceWindow;
  return {
    name: wire.name,
    timeInWeek: p.timeInWeek,
    notAllowedTime: p.notAllowedTime?.map((t) => ({
      start: t.start ? new Date(t.start) : undefined,
      end: t.end ? new Date(t.end) : undefined,
    })),
    maintenanceWindow: mw && {
      ...mw,
      startDate: mw.startDate ? new Date(mw.startDate) : undefined,
      notAllowedDates: mw.notAllowedDates?.map((d) => ({ start: new Date(d.start), end: new Date(d.end) })),
    },
  };
}
