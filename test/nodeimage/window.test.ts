import {
  parseMaintenanceWindowSetting,
  type WindowSetting,
} from '../../shared/config/maintenanceWindowSetting';
import {
  chooseWindow,
  maintenanceWindowContains,
  compileMaintenanceConfiguration,
  type MaintenanceConfigInput,
} from '../../shared/nodeimage/window';
import { toSdkMaintenanceConfiguration } from './sdkShape';
import { fixtureJson } from '../support/fixtures';

type Wire = Parameters<typeof toSdkMaintenanceConfiguration>[0];
interface ExampleDoc {
  parameters: { parameters?: Wire };
  responses: Record<string, { body: Wire & { value?: Wire[] } }>;
}
function exampleDoc(file: string): ExampleDoc {
  return fixtureJson<ExampleDoc>('aks-examples', file);
}
function example(file: string, pick: (doc: ExampleDoc) => Wire): Wire {
  return pick(exampleDoc(file));
}
function exampleList(file: string): Wire[] {
  return exampleDoc(file).responses['200']?.body.value ?? [];
}

function setting(text: string): WindowSetting {
  const r = parseMaintenanceWindowSetting(text);
  if ('error' in r) throw new Error(r.error);
  return r.window;
}

describe('maintenanceWindowContains on the official example windows', () => {
  const nodeOsDaily3 = () =>
    example('MaintenanceConfigurationsGet_MaintenanceWindow.json', (d) => d.responses['200']!.body);
  const listed = (i: number) => () =>
    example(
      'MaintenanceConfigurationsList_MaintenanceWindow.json',
      (d) => d.responses['200']!.body.value![i]!,
    );
  const relativeMonthlyRequest = () =>
    example('MaintenanceConfigurationsCreate_Update_MaintenanceWindow.json', (d) => ({
      name: 'aksManagedAutoUpgradeSchedule',
      ...d.parameters.parameters!,
    }));
  const weeklyResponse = () =>
    example('MaintenanceConfigurationsCreate_Update_MaintenanceWindow.json', (d) => d.responses['200']!.body);
  const legacyDefault = () => example('MaintenanceConfigurationsGet.json', (d) => d.responses['200']!.body);

  it.each([
    // every 3 days from 2023-01-01, 09:30-13:30 at -07:00 (16:30-20:30 UTC), not 2023-02-18..25 nor 2023-12-23..2024-01-05
    ['daily/3 opens at 16:30 UTC on the start date', '2023-01-01T16:30:00Z', nodeOsDaily3, true],
    ['daily/3 is closed a minute before', '2023-01-01T16:29:00Z', nodeOsDaily3, false],
    ['daily/3 is open in its last minute', '2023-01-01T20:29:00Z', nodeOsDaily3, true],
    ['daily/3 closes after its 4 hours', '2023-01-01T20:30:00Z', nodeOsDaily3, false],
    ['daily/3 is closed on a day between occurrences', '2023-01-02T17:00:00Z', nodeOsDaily3, false],
    ['daily/3 opens again three days later', '2023-01-04T17:00:00Z', nodeOsDaily3, true],
    ['daily/3 is closed before its start date', '2022-12-29T17:00:00Z', nodeOsDaily3, false],
    [
      'daily/3 is closed on an occurrence inside notAllowedDates',
      '2023-02-18T17:00:00Z',
      nodeOsDaily3,
      false,
    ],
    [
      'daily/3 opens on the first occurrence after notAllowedDates',
      '2023-02-27T17:00:00Z',
      nodeOsDaily3,
      true,
    ],
    // every 5 days, 13:30-23:30 at -07:00: 20:30 UTC to 06:30 UTC the next day (across UTC midnight)
    ['daily/5 opens at 20:30 UTC', '2023-01-01T20:30:00Z', listed(0), true],
    ['daily/5 is still open after UTC midnight', '2023-01-02T06:29:00Z', listed(0), true],
    ['daily/5 closes at 06:30 UTC the next day', '2023-01-02T06:30:00Z', listed(0), false],
    ['daily/5 is closed the day after', '2023-01-02T20:30:00Z', listed(0), false],
    ['daily/5 opens five days later', '2023-01-06T21:00:00Z', listed(0), true],
    // absoluteMonthly: day 15 every 3 months from 2023-01-01, 08:30-13:30 UTC
    ['absoluteMonthly opens on the 15th at 08:30', '2023-01-15T08:30:00Z', listed(1), true],
    ['absoluteMonthly closes at 13:30', '2023-01-15T13:30:00Z', listed(1), false],
    ['absoluteMonthly skips the months between', '2023-02-15T09:00:00Z', listed(1), false],
    ['absoluteMonthly opens three months later', '2023-04-15T09:00:00Z', listed(1), true],
    ['absoluteMonthly is closed on the 16th', '2023-01-16T09:00:00Z', listed(1), false],
    // relativeMonthly (request body): first Monday every 3 months, 08:30-18:30 at +05:30 (03:00-13:00 UTC)
    ['relativeMonthly opens on the first Monday', '2023-01-02T03:00:00Z', relativeMonthlyRequest, true],
    ['relativeMonthly closes at 13:00 UTC', '2023-01-02T13:00:00Z', relativeMonthlyRequest, false],
    ['relativeMonthly is closed on the second Monday', '2023-01-09T05:00:00Z', relativeMonthlyRequest, false],
    ['relativeMonthly skips February', '2023-02-06T05:00:00Z', relativeMonthlyRequest, false],
    [
      'relativeMonthly opens on the first Monday of April',
      '2023-04-03T05:00:00Z',
      relativeMonthlyRequest,
      true,
    ],
    // weekly (response body): Monday every 3 weeks from 2023-01-01, first occurrence 2023-01-02
    ['weekly/3 opens on the first Monday after the start date', '2023-01-02T05:00:00Z', weeklyResponse, true],
    ['weekly/3 is closed the next Monday', '2023-01-09T05:00:00Z', weeklyResponse, false],
    ['weekly/3 opens three weeks later', '2023-01-23T05:00:00Z', weeklyResponse, true],
    [
      'weekly/3 is closed on an occurrence inside notAllowedDates',
      '2023-12-25T05:00:00Z',
      weeklyResponse,
      false,
    ],
    ['weekly/3 opens on the occurrence after notAllowedDates', '2024-01-15T05:00:00Z', weeklyResponse, true],
    // legacy default: Monday hour slots 1 and 2 UTC, not 2020-11-26T03:00Z..2020-11-30T12:00Z
    ['timeInWeek opens in hour slot 1', '2020-11-23T01:30:00Z', legacyDefault, true],
    ['timeInWeek is open at the end of slot 2', '2020-11-23T02:59:00Z', legacyDefault, true],
    ['timeInWeek closes after slot 2', '2020-11-23T03:00:00Z', legacyDefault, false],
    ['timeInWeek is closed before slot 1', '2020-11-23T00:59:00Z', legacyDefault, false],
    ['timeInWeek is closed on another weekday', '2020-11-24T01:30:00Z', legacyDefault, false],
    ['timeInWeek is closed inside notAllowedTime', '2020-11-30T01:30:00Z', legacyDefault, false],
    ['timeInWeek opens the Monday after notAllowedTime', '2020-12-07T02:00:00Z', legacyDefault, true],
  ])('%s (at %s)', (_name, at, cfg, expected) => {
    const wire = cfg();
    expect(maintenanceWindowContains(toSdkMaintenanceConfiguration(wire), new Date(at))).toBe(expected);
    // raw wire strings (flattened, undeserialised dates) give the same answer
    expect(maintenanceWindowContains({ name: wire.name, ...wire.properties }, new Date(at))).toBe(expected);
  });

  it('describes the official windows in words', () => {
    expect(compileMaintenanceConfiguration(toSdkMaintenanceConfiguration(nodeOsDaily3())).describe()).toBe(
      'aksManagedNodeOSUpgradeSchedule: every 3 days at 09:30 UTC-07:00 for 4h, from 2023-01-01, except 2023-02-18..2023-02-25, 2023-12-23..2024-01-05',
    );
    expect(
      compileMaintenanceConfiguration(toSdkMaintenanceConfiguration(relativeMonthlyRequest())).describe(),
    ).toMatch(
      /^aksManagedAutoUpgradeSchedule: every 3 months on the first Monday at 08:30 UTC\+05:30 for 10h/,
    );
    expect(compileMaintenanceConfiguration(toSdkMaintenanceConfiguration(legacyDefault())).describe()).toBe(
      'default: Monday 01:00-03:00 UTC, except 2020-11-26T03:00:00.000Z..2020-11-30T12:00:00.000Z',
    );
  });

  it('chooses aksManagedNodeOSUpgradeSchedule from the official list', () => {
    const configs = exampleList('MaintenanceConfigurationsList_MaintenanceWindow.json').map(
      toSdkMaintenanceConfiguration,
    );
    const w = chooseWindow(configs, setting('daily 00:00-23:59'));
    expect(w.source).toBe('aksManagedNodeOSUpgradeSchedule');
    expect(w.contains(new Date('2023-01-01T20:30:00Z'))).toBe(true);
    expect(w.contains(new Date('2023-01-02T12:00:00Z'))).toBe(false);
  });

  it('falls back to the legacy default configuration from the official list', () => {
    const configs = exampleList('MaintenanceConfigurationsList.json').map(toSdkMaintenanceConfiguration);
    const w = chooseWindow(configs, setting('daily 00:00-23:59'));
    expect(w.source).toBe('default');
    expect(w.contains(new Date('2020-12-07T02:00:00Z'))).toBe(true);
  });
});

describe('maintenanceWindowContains on hand-made windows', () => {
  const mw = (
    schedule: NonNullable<MaintenanceConfigInput['maintenanceWindow']>['schedule'],
    extra: Partial<NonNullable<MaintenanceConfigInput['maintenanceWindow']>> = {},
  ): MaintenanceConfigInput => ({
    name: 'aksManagedNodeOSUpgradeSchedule',
    maintenanceWindow: {
      schedule,
      durationHours: 6,
      startTime: '22:00',
      utcOffset: '+05:30',
      startDate: '2024-01-01',
      ...extra,
    },
  });
  const fridayNightIst = mw({ weekly: { intervalWeeks: 1, dayOfWeek: 'Friday' } });
  const lastFriday = mw(
    { relativeMonthly: { intervalMonths: 1, weekIndex: 'Last', dayOfWeek: 'Friday' } },
    { utcOffset: '+00:00', startTime: '01:00', durationHours: 4 },
  );
  const day31 = mw(
    { absoluteMonthly: { intervalMonths: 1, dayOfMonth: 31 } },
    { utcOffset: '+00:00', startTime: '00:00', durationHours: 4 },
  );
  const alwaysPlus2 = mw(
    { daily: { intervalDays: 1 } },
    {
      utcOffset: '+02:00',
      startTime: '00:00',
      durationHours: 24,
      startDate: '2022-01-01',
      notAllowedDates: [{ start: '2022-12-23', end: '2023-01-03' }],
    },
  );

  it.each([
    // Friday 22:00 local at +05:30 for 6 h crosses local midnight: Fri 16:30 UTC to Fri 22:30 UTC
    ['a window crossing local midnight opens at 22:00 local', '2024-01-05T16:30:00Z', fridayNightIst, true],
    [
      'a window crossing local midnight is open after local midnight',
      '2024-01-05T22:29:00Z',
      fridayNightIst,
      true,
    ],
    [
      'a window crossing local midnight closes 6 h after it opened',
      '2024-01-05T22:30:00Z',
      fridayNightIst,
      false,
    ],
    [
      'a window crossing local midnight is closed before it opens',
      '2024-01-05T16:29:00Z',
      fridayNightIst,
      false,
    ],
    ['the last Friday of November 2026 is in the window', '2026-11-27T02:00:00Z', lastFriday, true],
    ['the Friday before the last is not', '2026-11-20T02:00:00Z', lastFriday, false],
    ['the last Friday of October 2026 is in the window', '2026-10-30T02:00:00Z', lastFriday, true],
    ['a dayOfMonth 31 window has no occurrence in February', '2024-02-29T01:00:00Z', day31, false],
    ['a dayOfMonth 31 window opens on 31 March', '2024-03-31T01:00:00Z', day31, true],
    // the API docs' example: +02:00 and 2022-12-23..2023-01-03 block 2022-12-22T22:00Z to 2023-01-03T22:00Z
    ['notAllowedDates start at local midnight of the first day', '2022-12-22T21:59:00Z', alwaysPlus2, true],
    ['notAllowedDates block from local midnight', '2022-12-22T22:00:00Z', alwaysPlus2, false],
    ['notAllowedDates include the whole last day', '2023-01-03T21:59:00Z', alwaysPlus2, false],
    ['notAllowedDates end at local midnight after the last day', '2023-01-03T22:00:00Z', alwaysPlus2, true],
  ])('%s (at %s)', (_name, at, cfg, expected) => {
    expect(maintenanceWindowContains(cfg, new Date(at))).toBe(expected);
  });

  it('treats a configuration it cannot read as closed and says why', () => {
    const bad = mw({ daily: { intervalDays: 1 } }, { utcOffset: 'IST' });
    expect(maintenanceWindowContains(bad, new Date('2024-01-05T17:00:00Z'))).toBe(false);
    expect(compileMaintenanceConfiguration(bad).describe()).toMatch(
      /invalid \(utcOffset "IST" is not ±HH:MM\), treated as closed/,
    );
    const twoKinds = mw({ daily: { intervalDays: 1 }, weekly: { intervalWeeks: 1, dayOfWeek: 'Monday' } });
    expect(compileMaintenanceConfiguration(twoKinds).describe()).toMatch(/exactly one of/);
    expect(compileMaintenanceConfiguration({ name: 'default' }).describe()).toMatch(
      /neither maintenanceWindow nor timeInWeek/,
    );
  });
});

describe('chooseWindow', () => {
  const nodeOs: MaintenanceConfigInput = {
    name: 'aksManagedNodeOSUpgradeSchedule',
    maintenanceWindow: { schedule: { daily: { intervalDays: 1 } }, durationHours: 4, startTime: '01:00' },
  };
  const dflt: MaintenanceConfigInput = { name: 'default', timeInWeek: [{ day: 'Sunday', hourSlots: [3] }] };
  const autoUpgrade: MaintenanceConfigInput = {
    name: 'aksManagedAutoUpgradeSchedule',
    maintenanceWindow: { schedule: { daily: { intervalDays: 1 } }, durationHours: 24, startTime: '00:00' },
  };
  const weekend = setting('Sat,Sun 01:00-05:00 Europe/Paris');

  it('prefers aksManagedNodeOSUpgradeSchedule over default and the setting', () => {
    expect(chooseWindow([dflt, autoUpgrade, nodeOs], weekend).source).toBe('aksManagedNodeOSUpgradeSchedule');
  });

  it('uses default when there is no node-OS schedule', () => {
    const w = chooseWindow([autoUpgrade, dflt], weekend);
    expect(w.source).toBe('default');
    expect(w.contains(new Date('2024-01-07T03:10:00Z'))).toBe(true);
  });

  it('uses DAY2_MAINTENANCE_WINDOW when the cluster has neither, ignoring aksManagedAutoUpgradeSchedule', () => {
    const w = chooseWindow([autoUpgrade], weekend);
    expect(w.source).toBe('DAY2_MAINTENANCE_WINDOW');
    expect(w.describe()).toBe('DAY2_MAINTENANCE_WINDOW: Sat,Sun 01:00-05:00 Europe/Paris');
    expect(w.contains(new Date('2024-01-06T00:30:00Z'))).toBe(true); // 01:30 in Paris
    expect(w.contains(new Date('2024-01-08T00:30:00Z'))).toBe(false); // a Monday
  });

  it('returns a window that never opens when there is nothing at all', () => {
    const w = chooseWindow([], undefined);
    expect(w.source).toBe('none');
    expect(w.contains(new Date('2024-01-06T02:00:00Z'))).toBe(false);
    expect(w.describe()).toMatch(/no maintenance window/);
  });
});
