import { simAdmin } from '../../shared/local/simAdmin';
import type { RunRecord } from '../../shared/records/outcome';
import { runSweep } from '../../shared/sweeper/runSweep';
import { startTestApp, type TestApp } from '../support/app';
import { brief, cardText, PARIS_OFFICE, powerFleet, powerOf, rowsOf, tickAt } from '../power/intSupport';

// Monday 8 June 2026 in Paris (UTC+2): the stop edge 19:00 is 17:00Z, the start edge 07:30 is 05:30Z.
// A stop takes 2 virtual minutes, a start 3.
const CASES = [
  {
    action: 'stop',
    edge: '2026-06-08T17:00:00Z',
    powerState: 'Running' as const,
    during: 'Running/Stopping',
    after: 'Stopped/Succeeded',
  },
  {
    action: 'start',
    edge: '2026-06-08T05:30:00Z',
    powerState: 'Stopped' as const,
    during: 'Stopped/Starting',
    after: 'Running/Succeeded',
  },
] as const;

const at = (edge: string, minutes: number): string =>
  new Date(Date.parse(edge) + minutes * 60_000).toISOString();

async function sweepAt(app: TestApp, iso: string) {
  app.sim.clock.set(iso);
  return runSweep(app.deps);
}

describe('the sweeper settles the stops and starts the power schedule left in flight', () => {
  let app: TestApp;
  afterEach(async () => app?.close());

  async function startedBySchedule(c: (typeof CASES)[number]): Promise<RunRecord> {
    app = await startTestApp({
      fleet: powerFleet([{ name: 'aks-swept', tags: PARIS_OFFICE, powerState: c.powerState }]),
      startTime: at(c.edge, -1),
      speed: 0,
    });
    const run = await tickAt(app, c.edge);
    expect(brief(run)).toEqual([`aks-swept ${c.action} InProgress`]);
    return run;
  }

  it.each(CASES)(
    'leaves a $action that is still running in flight, then records it Succeeded with its row and card, once',
    async (c) => {
      await startedBySchedule(c);

      const early = await sweepAt(app, at(c.edge, 1));
      expect(early.stillRunning).toBe(1);
      expect(early.runs).toEqual([]); // nothing reported while AKS is still at it
      expect(await powerOf(app, 'aks-swept')).toBe(c.during);
      expect((await app.deps.state.operations.inFlight()).map((o) => o.action)).toEqual([c.action]);

      const sweep = await sweepAt(app, at(c.edge, 4));
      expect(sweep.stillRunning).toBe(0);
      expect(sweep.runs.map((r) => [r.job, r.actor])).toEqual([['power-schedule', 'timer']]);
      const run = sweep.runs[0]!;
      expect(brief(run)).toEqual([`aks-swept ${c.action} Succeeded`]);
      expect(run.outcomes[0]!.reason).toMatch(
        new RegExp(`^${c.action} completed after 4 min; aks-swept is ${c.after.split('/')[0]}`),
      );
      expect(await rowsOf(app, run)).toEqual([
        expect.objectContaining({
          Job: 'power-schedule',
          Action: c.action,
          Outcome: 'Succeeded',
          Cluster: 'aks-swept',
          Actor: 'timer',
        }),
      ]);
      expect(await cardText(app, run)).toContain('aks-swept');
      expect(await powerOf(app, 'aks-swept')).toBe(c.after);
      expect((await app.deps.state.operations.history()).map((o) => `${o.action} ${o.status}`)).toEqual([
        `${c.action} Succeeded`,
      ]);

      // Recorded once: neither the next sweep nor the next tick reports it again.
      expect((await sweepAt(app, at(c.edge, 5))).runs).toEqual([]);
      expect(brief(await tickAt(app, at(c.edge, 5)))).toEqual([]);
    },
  );

  it.each(CASES)(
    "records a $action that AKS failed as Failed with AKS's error, posts it, and frees the cluster",
    async (c) => {
      app = await startTestApp({
        fleet: powerFleet([{ name: 'aks-swept', tags: PARIS_OFFICE, powerState: c.powerState }]),
        startTime: at(c.edge, -1),
        speed: 0,
      });
      await simAdmin(app.sim, 'POST', '/faults', {
        type: 'operationFailure',
        cluster: 'aks-swept',
        operation: c.action,
        code: 'VMExtensionProvisioningError',
        message: 'the vmss extension failed on aks-system-12345678-vmss000000',
        afterSeconds: 30,
      });
      expect(brief(await tickAt(app, c.edge))).toEqual([`aks-swept ${c.action} InProgress`]);

      const sweep = await sweepAt(app, at(c.edge, 2));
      expect(sweep.runs.map((r) => r.job)).toEqual(['power-schedule']);
      const run = sweep.runs[0]!;
      expect(brief(run)).toEqual([`aks-swept ${c.action} Failed`]);
      expect(run.outcomes[0]!.reason).toContain('VMExtensionProvisioningError');
      expect(run.outcomes[0]!.reason).toContain('the vmss extension failed');
      const rows = await rowsOf(app, run);
      expect(rows).toEqual([
        expect.objectContaining({ Job: 'power-schedule', Action: c.action, Outcome: 'Failed' }),
      ]);
      expect(String(rows[0]!.Reason)).toContain('VMExtensionProvisioningError');
      const card = await cardText(app, run);
      expect(card).toContain('aks-swept');
      expect(card).toContain('VMExtensionProvisioningError');
      expect(await app.deps.state.operations.inFlight()).toEqual([]);
      expect((await app.deps.state.operations.history()).map((o) => `${o.action} ${o.status}`)).toEqual([
        `${c.action} Failed`,
      ]);
      expect((await sweepAt(app, at(c.edge, 3))).runs).toEqual([]); // reported once
    },
  );
});
