import type { AppContext } from '../cli/appContext';
import { startServe } from '../local/serve/serve';
import { simAdmin } from '../local/simAdmin';
import { silentLogger } from '../log';
import type { TeamsPost } from '../sim/receivers';

interface PreCheck {
  check: string;
  status: string;
  overridable: boolean;
  summary: string;
  evidence: string[];
}
interface Plan {
  fromVersion: string;
  toVersion: string;
  wouldStart: boolean;
  prechecks: PreCheck[];
}
interface Run {
  id: string;
  state: string;
  progress?: { pool?: string; nodesDone?: number; nodesTotal?: number; step: number; steps: number };
  steps: Array<{ kind: string; pool?: string; status: string }>;
}

const TERMINAL = ['Succeeded', 'Failed', 'Halted', 'Cancelled'];

async function send(url: string, method: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method,
    headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, location: res.headers.get('location'), body: await res.json() };
}

/**
 * The demo's on-demand upgrade through the HTTP API, as a pipeline would call it: `aks-day2 serve`
 * in-process on the demo fleet (its queue worker, and its sweeper and outbox timers on the virtual
 * clock), a dry run with every pre-check, the real run (202 + Location), its progress read from
 * `GET /api/upgrades/{id}` while virtual minutes pass, and the run's Teams card.
 */
export async function demoUpgradeApi(
  ctx: AppContext,
  out: (line: string) => void,
  cluster = 'aks-dev-weu-02',
): Promise<void> {
  const local = ctx.local!;
  const sim = local.sim;
  const saved = { ...process.env };
  const served = await startServe({
    port: 0,
    env: local.env,
    clock: ctx.clock,
    log: silentLogger,
    timers: ['upgradeSweeper', 'outboxDelivery'],
    queueRetryMs: 0,
  });
  // The demo day holds the virtual clock still between its steps; the API's pre-checks wait for AKS
  // run-command, so here virtual time runs, a minute a real second.
  const speed = sim.clock.speed;
  sim.clock.setSpeed(60);
  try {
    const api = `${served.url}/api`;
    out(
      `On-demand upgrade through the HTTP API (aks-day2 serve at ${api}, ${ctx.clock.now().toISOString()})`,
    );
    const dry = await send(`${api}/upgrades`, 'POST', { cluster, dryRun: true });
    const plan = dry.body as Plan;
    out(
      `  POST /api/upgrades {"cluster":"${cluster}","dryRun":true} → ${dry.status}: ${plan.fromVersion} → ${plan.toVersion}, would start: ${plan.wouldStart}`,
    );
    for (const c of plan.prechecks)
      out(
        `    ${c.status.padEnd(4)} ${c.check.padEnd(15)} ${c.summary}${c.evidence[0] ? ` (${c.evidence[0]})` : ''}`,
      );

    const real = await send(`${api}/upgrades`, 'POST', { cluster }, { 'idempotency-key': `demo-${cluster}` });
    let run = real.body as Run;
    out(
      `  POST /api/upgrades {"cluster":"${cluster}"} → ${real.status}, Location: ${real.location}, run ${run.id} ${run.state}`,
    );
    let last = '';
    for (let i = 0; i < 30 && !TERMINAL.includes(run.state); i++) {
      sim.clock.advance(5 * 60_000);
      await served.timers?.fireDue(); // the sweeper's minute tick advances the run
      await served.queues?.drain();
      run = (await send(`${api}/upgrades/${run.id}`, 'GET')).body as Run;
      const p = run.progress;
      const line = `${run.state}${p ? `, step ${p.step}/${p.steps}${p.pool ? ` pool ${p.pool}` : ''}${p.nodesTotal ? ` ${p.nodesDone ?? 0}/${p.nodesTotal} nodes` : ''}` : ''}`;
      if (line !== last)
        out(`  ${ctx.clock.now().toISOString().slice(11, 16)}Z GET /api/upgrades/${run.id} → ${line}`);
      last = line;
    }
    await served.timers?.fireDue();
    const { posts } = await simAdmin<{ posts: TeamsPost[] }>(sim, 'GET', '/teams');
    const card = posts.filter((p) => JSON.stringify(p.body).includes(run.id)).pop();
    out(
      `  The run's Teams card: ${card ? 'posted' : 'not posted yet (outbox)'}; run ${run.id} ended ${run.state}`,
    );
  } finally {
    sim.clock.setSpeed(speed);
    await served.close();
    process.env = saved;
  }
}
