import type { Deps } from '../deps';
import type { LocalEnvironment } from '../local/localEnv';
import { startServe } from '../local/serve/serve';
import { simAdmin } from '../local/simAdmin';
import { silentLogger } from '../log';
import { runPowerSchedule } from '../power/runPowerSchedule';
import type { ChatLine } from '../report/htmlReport';
import type { ChannelExchange } from '../sim/teamsChannel';

/** 17:55 UTC is 18:55 in Paris in January: five minutes before aks-dev-weu-01's 19:00 stop edge. */
const SNOOZE_AT_UTC = { hour: 17, minute: 55 };

async function waitFor<T>(what: string, check: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`demo: gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The next weekday 17:55 UTC at or after `now`. */
function nextSnoozeInstant(now: Date): Date {
  const d = new Date(now);
  d.setUTCHours(SNOOZE_AT_UTC.hour, SNOOZE_AT_UTC.minute, 0, 0);
  while (d <= now || d.getUTCDay() === 0 || d.getUTCDay() === 6) d.setUTCDate(d.getUTCDate() + 1);
  return d;
}

/**
 * The demo's ChatOps part: `aks-day2 serve` in this process on the demo's simulator and storage, the
 * simulator's Teams channel pointed at its chatops endpoint, and a short conversation at 18:55 Paris
 * time: a snooze, a refused stop of a prod cluster, an upgrade dry run, and a prod upgrade approved by
 * a second approver after its requester was refused (four eyes). Returns the conversation for the report.
 */
export async function demoChatops(
  deps: Deps,
  local: LocalEnvironment,
  out: (line: string) => void,
): Promise<ChatLine[]> {
  const sim = local.sim;
  const at = nextSnoozeInstant(sim.clock.now());
  await simAdmin(sim, 'POST', '/clock/advance', { ms: at.getTime() - sim.clock.now().getTime() });
  const served = await startServe({
    port: 0,
    env: local.env,
    clock: { now: () => sim.clock.now() },
    log: silentLogger,
    timers: false,
    queueRetryMs: 0,
  });
  const lines: ChatLine[] = [];
  // The demo day holds its virtual clock still between steps; AKS and the worker need it to move.
  const speed = sim.clock.speed;
  if (speed === 0) sim.clock.setSpeed(60);
  try {
    sim.teamsChannel.url = `${served.url}/api/chatops`;
    out(`ChatOps in the Teams channel at ${sim.clock.now().toISOString()} (18:55 in Paris)`);
    const say = async (from: string, text: string): Promise<ChannelExchange> => {
      const ex = await simAdmin<ChannelExchange>(sim, 'POST', '/teams/channel/say', { from, text });
      const reply = (ex.reply as { text?: string } | undefined)?.text ?? '';
      out(`  ${ex.from.name}: @day2 ${text}`);
      out(`    day2 (${ex.status}, ${Math.round(ex.ms)} ms): ${reply}`);
      lines.push({ at: ex.at, from: ex.from.name, text, status: ex.status, ms: ex.ms, reply: ex.reply });
      return ex;
    };
    const runOf = (ex: ChannelExchange): string =>
      /accepted, run (\S+?):/.exec((ex.reply as { text?: string }).text ?? '')?.[1] ?? '';

    // The demo day left aks-dev-weu-01 stopped: Alice starts it a little before, to keep it up tonight.
    const weu01 = async (): Promise<string | undefined> => {
      const state = await simAdmin<{
        clusters: Array<{ name: string; properties?: { powerState?: { code?: string } } }>;
      }>(sim, 'GET', '/state');
      return state.clusters.find((c) => c.name === 'aks-dev-weu-01')?.properties?.powerState?.code;
    };
    if ((await weu01()) === 'Stopped') {
      await say('Alice', 'start aks-dev-weu-01');
      await waitFor('aks-dev-weu-01 to run', async () => ((await weu01()) === 'Running' ? true : undefined));
      await runPowerSchedule(deps); // records how the start ended, as the next tick would
    }
    await say('Alice', 'snooze aks-dev-weu-01 for 2h');
    await waitFor('the snooze to be recorded', async () =>
      (await deps.state.snoozes.all(sim.clock.now())).size > 0 ? true : undefined,
    );
    await say('Alice', 'stop aks-prod-weu-01');
    await say('Chloé', 'upgrade aks-dev-weu-02 next-minor dry-run');
    const asked = await say('Dmitri', 'upgrade aks-prod-weu-01 next-minor');
    const runId = runOf(asked);
    if (runId) {
      await waitFor('the prod run to wait for an approver', async () =>
        (await deps.state.upgradeRuns.get(runId))?.state === 'AwaitingApproval' ? true : undefined,
      );
      await say('Dmitri', `approve ${runId}`);
      await say('Bruno', `approve ${runId}`);
      const run = await waitFor('the approval to be recorded', async () => {
        const r = await deps.state.upgradeRuns.get(runId);
        return r?.approvedBy ? r : undefined;
      });
      out(`  run ${run.id} approved by ${run.approvedBy}; the worker carries it on`);
    }
    // 19:05 in Paris: the stop edge has passed, and the snooze keeps aks-dev-weu-01 running.
    const toStopEdge = at.getTime() + 10 * 60_000 - sim.clock.now().getTime();
    if (toStopEdge > 0) await simAdmin(sim, 'POST', '/clock/advance', { ms: toStopEdge });
    const tick = await runPowerSchedule(deps);
    const kept = tick.outcomes.find((o) => o.cluster.name === 'aks-dev-weu-01');
    if (kept) out(`  power schedule at 19:05 Paris: aks-dev-weu-01 ${kept.outcome}: ${kept.reason}`);
    await say('Chloé', 'status aks-dev-weu-01');
  } finally {
    sim.clock.setSpeed(speed);
    sim.teamsChannel.url = undefined;
    await served.close();
  }
  return lines;
}
