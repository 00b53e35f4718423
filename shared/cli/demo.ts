import path from 'node:path';
import { createDeps } from '../deps';
import { demoUpgrades } from '../demo/upgradeDemo';
import { discoverFleet } from '../fleet/inventory';
import { simAdmin } from '../local/simAdmin';
import { consoleLogger, silentLogger } from '../log';
import type { TeamsMessage } from '../notify/card';
import type { AksDay2OpsRow } from '../notify/logRows';
import { demoChatops } from '../demo/chatopsConversation';
import { demoUpgradeApi } from '../demo/upgradeApiDemo';
import { demoNodeImageWave } from '../demo/nodeImageWave';
import { DEMO_DAY_START, runPowerDemoDay } from '../demo/powerDay';
import { writeHtmlReport } from '../report/htmlReport';
import type { LogRow, TeamsPost } from '../sim/receivers';
import { demoVersionReport } from '../demo/versionReport';
import { flagString, parseArgs } from './args';
import { withAppContext } from './appContext';
import { formatInventoryPlan } from './inventoryPlan';
import { createProgress } from './progress';

const usage = 'usage: aks-day2 demo [--report FILE]';

/**
 * `npm run demo`: the whole app on the embedded simulated fleet (simulator + Azurite, no Azure) over a
 * simulated day: the inventory, the power schedule (three zones, the prod guard, a snooze), the daily
 * version-support report, a ring-ordered node-image wave with a failure that halts the next ring,
 * Kubernetes upgrades (two minors in legs; refusals by a PDB, deprecated API use and quota), an
 * on-demand upgrade through the HTTP API, a ChatOps conversation in the Teams channel (snooze, refused
 * prod stop, dry run, four-eyes approval); then
 * every Teams card and Log Analytics row the simulator received, written to an HTML report.
 */
export async function runDemo(argv: string[], print: (line: string) => void): Promise<number> {
  const a = parseArgs(argv, { value: ['report'] }, usage);
  const reportFile = path.resolve(flagString(a, 'report') ?? 'out/demo-report.html');
  const progress = createProgress();
  const out = progress.around(print);
  progress.update('demo: starting the simulator and Azurite');
  return withAppContext({ sim: true, log: consoleLogger, startTime: DEMO_DAY_START }, async (ctx) => {
    const sim = ctx.local!.sim;
    progress.done();
    out(
      `aks-day2 demo: AKS fleet simulator at ${sim.arm}, Azurite storage, virtual clock ${ctx.clock.now().toISOString()}`,
    );
    out('');
    out(
      formatInventoryPlan(
        await discoverFleet(ctx.azure, ctx.settings.subscriptions, silentLogger),
        ctx.settings,
      ),
    );

    await runPowerDemoDay(ctx, out, progress);
    progress.done();

    const deps = createDeps(ctx.settings, {
      log: silentLogger,
      clock: ctx.clock,
      notifier: { teamsPaceMs: 0 },
    });
    out('');
    out(`Version support at ${ctx.clock.now().toISOString()} (the daily 06:00 UTC report)`);
    progress.update('demo: version support');
    await demoVersionReport(deps, out);
    progress.done();

    out('');
    progress.update('demo: node-image wave');
    await demoNodeImageWave(deps, sim, out);
    progress.update('demo: delivering the outbox and writing the report');

    out('');
    progress.update('demo: Kubernetes upgrades');
    const upgrades = await demoUpgrades(ctx.clock.now(), ctx.local!.env.AzureWebJobsStorage!, out);
    progress.update('demo: delivering the outbox and writing the report');

    out('');
    await demoUpgradeApi(ctx, out);

    out('');
    const chat = await demoChatops(deps, ctx.local!, out);

    const pending = await deps.notifier.deliverPending();
    const teams = await simAdmin<{ posts: TeamsPost[] }>(sim, 'GET', '/teams');
    const logs = await simAdmin<{ rows: LogRow[] }>(sim, 'GET', '/logs');
    teams.posts.push(...upgrades.posts);
    logs.rows.push(...upgrades.rows);
    const runs = await deps.notifier.runs.list({ limit: 1000 });
    await writeHtmlReport(reportFile, {
      title: 'aks-day2 demo: a simulated day on the demo fleet',
      runs,
      cards: teams.posts.map((p) => p.body as TeamsMessage),
      rows: logs.rows.map((r) => r.row as AksDay2OpsRow),
      chat,
    });
    progress.done();
    out('');
    out(
      `Delivered: ${teams.posts.length} Teams cards and ${logs.rows.length} Log Analytics rows reached the simulator's receivers` +
        `${pending.pending ? ` (${pending.pending} still waiting in the outbox)` : ''}; ${runs.length} runs recorded.`,
    );
    out(`Report (every card as Teams renders it, and the rows): ${reportFile}`);
    return 0;
  });
}
