import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { createDeps } from '../../deps';
import { Day2Error } from '../../errors';
import { consoleLogger } from '../../log';
import {
  advanceRun,
  isTerminalRun,
  PRECHECK_NAMES,
  requestUpgrade,
  UpgradeError,
  type ForceSpec,
  type PreCheckName,
  type UpgradeRequest,
} from '../../upgrades/api';
import { formatPlan, formatPreChecks, formatRun, progressLine } from '../../upgrades/format';
import { flagString, parseArgs } from '../args';
import { withAppContext, type AppContext } from '../appContext';
import { emit, OUTPUT_FLAG, outputFormat, type OutputFormat } from '../output';
import type { Command } from '../command';

const usage =
  'upgrade CLUSTER [--to x.y.z|latest-patch|next-minor] [--pools a,b] [--max-surge N|N%] [--wake] [--force CHECK,…|all] [--dry-run [--output table|json]] [--wait] [--sim] [--fleet FILE]';

/** How often `--wait` looks at the run against Azure; against the simulator its clock is moved on instead. */
const WAIT_POLL_MS = 15_000;
const SIM_STEP_MS = 60_000;
const SIM_MAX_STEPS = 24 * 60;

function parseForce(v: string | undefined): ForceSpec | undefined {
  if (v === undefined) return undefined;
  if (v === 'all') return true;
  const names = v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = names.filter((n) => !(PRECHECK_NAMES as readonly string[]).includes(n));
  if (bad.length > 0 || names.length === 0)
    throw new Day2Error(
      'BadRequest',
      `--force: unknown check ${bad.join(', ') || '(none)'} (checks: ${PRECHECK_NAMES.join(', ')}, or all)\nusage: aks-day2 ${usage}`,
    );
  return names as PreCheckName[];
}

/** The request a command line asks for (validated again by the engine). */
export function upgradeRequestOf(
  argv: string[],
  actor: UpgradeRequest['requestedBy'],
): { req: UpgradeRequest; wait: boolean; sim: boolean; fleet?: string; output: OutputFormat } {
  const a = parseArgs(
    argv,
    {
      value: ['to', 'pools', 'max-surge', 'force', 'fleet', OUTPUT_FLAG],
      bool: ['wake', 'dry-run', 'wait', 'sim'],
    },
    `usage: aks-day2 ${usage}`,
  );
  const [cluster, ...extra] = a.positionals;
  if (cluster === undefined || extra.length > 0)
    throw new Day2Error('BadRequest', `give one cluster (name or resource id)\nusage: aks-day2 ${usage}`);
  const pools = flagString(a, 'pools');
  const force = parseForce(flagString(a, 'force'));
  const req: UpgradeRequest = {
    cluster,
    requestedBy: actor,
    ...(flagString(a, 'to') ? { to: flagString(a, 'to') } : {}),
    ...(pools
      ? {
          pools: pools
            .split(',')
            .map((p) => p.trim())
            .filter(Boolean),
        }
      : {}),
    ...(flagString(a, 'max-surge') ? { maxSurge: flagString(a, 'max-surge') } : {}),
    ...(a.flags.has('wake') ? { wake: true } : {}),
    ...(force !== undefined ? { force } : {}),
    ...(a.flags.has('dry-run') ? { dryRun: true } : {}),
  };
  const output = outputFormat(a);
  if (output === 'json' && !req.dryRun)
    throw new Day2Error('BadRequest', `--output json goes with --dry-run\nusage: aks-day2 ${usage}`);
  return {
    req,
    output,
    wait: a.flags.has('wait'),
    sim: a.flags.has('sim'),
    ...(flagString(a, 'fleet') ? { fleet: flagString(a, 'fleet') } : {}),
  };
}

async function waitFor(ctx: AppContext, runId: string, out: (l: string) => void): Promise<number> {
  const deps = createDeps(ctx.settings, { log: { ...ctx.log, info: () => undefined }, clock: ctx.clock });
  let last = '';
  for (let i = 0; ; i++) {
    const run = await advanceRun(deps, runId);
    if (!run) throw new Day2Error('NotFound', `run ${runId} is gone`);
    const line = progressLine(run);
    if (line !== last) out(line);
    last = line;
    if (isTerminalRun(run.state)) {
      out(formatRun(run));
      return run.state === 'Succeeded' ? 0 : 1;
    }
    if (run.state === 'AwaitingApproval') {
      out(
        `${run.id} awaits approval by a second person (POST /api/upgrades/${run.id}/approve or "@day2 approve ${run.id}")`,
      );
      return 0;
    }
    if (ctx.local) {
      if (i >= SIM_MAX_STEPS)
        throw new Day2Error('Internal', `run ${runId} did not end within a simulated day`);
      ctx.local.sim.clock.advance(SIM_STEP_MS);
      await sleep(20);
    } else await sleep(WAIT_POLL_MS);
  }
}

/** `aks-day2 upgrade`: one on-demand Kubernetes upgrade through the same engine as the HTTP API and ChatOps. */
export const upgradeCommand: Command = {
  name: 'upgrade',
  usage: `${usage}    one on-demand Kubernetes upgrade; --dry-run prints every pre-check with its evidence`,
  examples: [
    'aks-day2 upgrade aks-dev-weu-01 --dry-run --sim',
    'aks-day2 upgrade aks-dev-weu-01 --to next-minor --max-surge 33% --wait --sim',
    'aks-day2 upgrade aks-test-weu-01 --force pdbs',
    'aks-day2 upgrade aks-dev-weu-02 --to next-minor --dry-run --output json --sim',
  ],
  async run(argv, out) {
    const { req, wait, sim, fleet, output } = upgradeRequestOf(argv, `cli:${os.userInfo().username}`);
    return withAppContext({ sim, fleet, log: consoleLogger }, async (ctx) => {
      const deps = createDeps(ctx.settings, { log: { ...ctx.log, info: () => undefined }, clock: ctx.clock });
      try {
        const r = await requestUpgrade(deps, req);
        if (r.dryRun) {
          emit(out, output, { text: () => formatPlan(r.plan), data: () => r.plan });
          return r.plan.wouldStart ? 0 : 1;
        }
        out(`Run ${r.run.id} created on ${r.run.cluster.name}: ${r.run.fromVersion} → ${r.run.toVersion}`);
        if (!wait) {
          const run = (await advanceRun(deps, r.run.id)) ?? r.run;
          out(formatRun(run));
          return 0;
        }
        return await waitFor(ctx, r.run.id, out);
      } catch (err) {
        if (err instanceof UpgradeError && err.kind === 'prechecks-failed' && err.prechecks) {
          out(err.message);
          out(formatPreChecks(err.prechecks));
          return 1;
        }
        if (err instanceof UpgradeError && err.kind === 'run-in-flight') {
          out(err.message);
          return 1;
        }
        throw err;
      }
    });
  },
};
