import { performance } from 'node:perf_hooks';
import type { AppContext } from '../cli/appContext';
import { createProgress, type Progress } from '../cli/progress';
import { renderTable } from '../cli/table';
import { createDeps } from '../deps';
import { discoverFleet } from '../fleet/inventory';
import { simAdmin } from '../local/simAdmin';
import { silentLogger } from '../log';
import { parseClusterPolicy } from '../policy/tags';
import type { OutcomeRecord } from '../records/outcome';
import { localTime } from '../power/format';
import { runPowerSchedule } from '../power/runPowerSchedule';
import { snoozeCluster } from '../power/snoozeCluster';

/**
 * Monday 12 January 2026, 00:00 UTC: the simulated day starts here. The demo fleet's regions offer
 * what AKS offered then (1.31 LTS only … 1.35 preview), so the version report agrees with the calendar.
 */
export const DEMO_DAY_START = '2026-01-12T00:00:00Z';
const TICK_MS = 5 * 60_000;
const SNOOZE = { at: '2026-01-12T17:00:00Z', cluster: 'aks-dev-weu-01', until: '21:00' };

interface TeamsState {
  posts: unknown[];
}
interface LogsState {
  rows: Array<{ row: { Action?: string; Outcome?: string } }>;
}

function line(o: OutcomeRecord, zone: string, tickAt: Date): string {
  const edge = typeof o.details?.edge === 'string' ? new Date(o.details.edge) : undefined;
  const at = edge && o.outcome !== 'Succeeded' && o.outcome !== 'Failed' ? edge : tickAt;
  const when = `${localTime(at, zone).slice(11)} (${at.toISOString().slice(11, 16)}Z)`;
  return `${when.padEnd(36)} ${o.action.padEnd(9)} ${o.cluster.name.padEnd(16)} ${o.outcome.padEnd(10)} ${o.reason}`;
}

/**
 * The power schedule over a simulated day on the demo fleet: a tick every 5 virtual minutes for 24 h
 * (operations complete on the simulator's clock between ticks). Clusters in several zones stop and start
 * at their local hours, the prod cluster stays up, a snoozed one stops late. Prints the timeline, then
 * what the simulator's Teams and Log Analytics receivers got.
 */
export async function runPowerDemoDay(
  ctx: AppContext,
  out: (line: string) => void,
  progress: Progress = createProgress({ write: () => true }),
): Promise<void> {
  const sim = ctx.local?.sim;
  if (!sim) throw new Error('the power demo day runs on the simulator (--sim)');
  const t0 = performance.now();
  sim.clock.setSpeed(0);
  sim.clock.set(DEMO_DAY_START);
  const deps = createDeps(ctx.settings, {
    log: silentLogger,
    clock: { now: () => sim.clock.now() },
    notifier: { teamsPaceMs: 0 },
  });
  const zones = new Map(
    (await discoverFleet(ctx.azure, ctx.settings.subscriptions, silentLogger)).clusters.map((c) => [
      c.id.toLowerCase(),
      parseClusterPolicy(c.tags, ctx.settings).timezone,
    ]),
  );
  const before = {
    posts: (await simAdmin<TeamsState>(sim, 'GET', '/teams')).posts.length,
    rows: (await simAdmin<LogsState>(sim, 'GET', '/logs')).rows.length,
  };

  for (const l of [
    '',
    `Power schedule: a simulated day from ${DEMO_DAY_START} (Monday), one tick every 5 virtual minutes`,
    '',
  ])
    out(l);
  let runs = 0;
  for (let t = Date.parse(DEMO_DAY_START); t < Date.parse(DEMO_DAY_START) + 24 * 3_600_000; t += TICK_MS) {
    sim.clock.set(t);
    if (t === Date.parse(SNOOZE.at)) {
      const said = await snoozeCluster(deps, {
        cluster: SNOOZE.cluster,
        until: SNOOZE.until,
        actor: 'teams:demo-user',
      });
      out(
        `${`${localTime(new Date(t), 'Europe/Paris').slice(11)} (${new Date(t).toISOString().slice(11, 16)}Z)`.padEnd(36)} snooze    ${said}`,
      );
    }
    progress.update(
      `demo: power schedule, virtual ${new Date(t).toISOString().slice(11, 16)}Z`,
      runs + 1,
      (24 * 3_600_000) / TICK_MS,
    );
    const run = await runPowerSchedule(deps, { actor: 'timer' });
    runs++;
    for (const o of run.outcomes) out(line(o, zones.get(o.cluster.id.toLowerCase()) ?? 'UTC', new Date(t)));
  }

  const teams = await simAdmin<TeamsState>(sim, 'GET', '/teams');
  const logs = await simAdmin<LogsState>(sim, 'GET', '/logs');
  const rows = logs.rows.slice(before.rows);
  const byKind = new Map<string, number>();
  for (const r of rows)
    byKind.set(
      `${r.row.Action ?? '?'} ${r.row.Outcome ?? '?'}`,
      (byKind.get(`${r.row.Action ?? '?'} ${r.row.Outcome ?? '?'}`) ?? 0) + 1,
    );
  out('');
  out(
    `${runs} ticks in ${((performance.now() - t0) / 1000).toFixed(1)} s of wall time: ${teams.posts.length - before.posts} Teams cards (${ctx.settings.teamsRoutine === 'digest' ? 'failures and findings post at once; the routine stops and starts fold into the daily digest card, posted after midnight UTC' : 'one per run that changed or found something'}), ${rows.length} Log Analytics rows:`,
  );
  out(
    renderTable(
      ['ACTION OUTCOME', 'ROWS'],
      [...byKind].sort().map(([k, n]) => [k, String(n)]),
    ),
  );
}
