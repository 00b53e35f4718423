import { InvocationContext, type Timer } from '@azure/functions';
import { powerSchedule } from '../../functions/powerSchedule';
import { Day2Error } from '../../shared/errors';
import { PARIS_OFFICE, powerFleet, powerOf } from '../power/intSupport';
import { startTestApp, type TestApp } from '../support/app';

const timer: Timer = {
  isPastDue: false,
  schedule: { adjustForDST: false },
  scheduleStatus: { last: '', next: '', lastUpdated: '' },
};
const context = (): InvocationContext => new InvocationContext({ functionName: 'powerSchedule' });

describe('a bad setting', () => {
  let app: TestApp;
  const saved = { ...process.env };
  afterEach(async () => {
    process.env = { ...saved };
    await app?.close();
  });

  it('fails every invocation with one message naming every bad setting, until it is fixed', async () => {
    app = await startTestApp({
      fleet: powerFleet([{ name: 'aks-cfg', tags: PARIS_OFFICE }]),
      isolatedStorage: true,
      startTime: '2026-06-08T17:00:00Z',
      speed: 0,
    });
    Object.assign(process.env, app.env, {
      DAY2_CATCHUP_MINUTES: 'half an hour',
      DAY2_TEAMS_ROUTINE: 'weekly',
    });

    for (let i = 0; i < 2; i++) {
      const err = await powerSchedule(timer, context(), app.sim.clock).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(Day2Error);
      expect((err as Day2Error).code).toBe('ConfigInvalid');
      expect((err as Day2Error).message).toBe(
        'Invalid settings:\n' +
          '  - DAY2_CATCHUP_MINUTES: expected a whole number from 0 to 1440\n' +
          '  - DAY2_TEAMS_ROUTINE: expected "digest" or "each"',
      );
    }
    expect(await powerOf(app, 'aks-cfg')).toBe('Running/Succeeded');

    process.env.DAY2_CATCHUP_MINUTES = '30';
    process.env.DAY2_TEAMS_ROUTINE = 'digest';
    await powerSchedule(timer, context(), app.sim.clock);
    expect(await powerOf(app, 'aks-cfg')).toBe('Running/Stopping');
  });
});
