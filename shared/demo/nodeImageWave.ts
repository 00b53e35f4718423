import { parseMaintenanceWindowSetting } from '../config/maintenanceWindowSetting';
import type { Deps } from '../deps';
import { Day2Error } from '../errors';
import type { SimHandle } from '../sim/server';
import { runSweep } from '../sweeper/runSweep';
import { runNodeImage } from '../nodeimage/runNodeImage';

const WINDOW = 'daily 01:00-05:00';
const MINUTE = 60_000;
const ringOf = (o: { details?: Record<string, unknown> }): string =>
  typeof o.details?.ring === 'number' ? String(o.details.ring) : '?';

/** The next opening of the 01:00 UTC window at or after `t`. */
function nextWindow(t: Date): Date {
  const d = new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate(), 1));
  if (t.getTime() >= d.getTime() + 4 * 3_600_000) d.setUTCDate(d.getUTCDate() + 1);
  return d.getTime() < t.getTime() ? t : d;
}

/**
 * Demo: a ring-ordered node-image wave on the simulator's virtual clock (moved forward only), inside a
 * `DAY2_MAINTENANCE_WINDOW` of `daily 01:00-05:00` UTC: ring 0 upgrades pool by pool, soaks, ring 1
 * goes, its PDB-blocked pool fails and the next ring is halted. Events are not delivered in the demo:
 * the sweeper records each end. Prints a timeline.
 */
export async function demoNodeImageWave(
  deps: Deps,
  sim: Pick<SimHandle, 'clock'>,
  out: (line: string) => void,
): Promise<void> {
  const parsed = parseMaintenanceWindowSetting(WINDOW);
  if ('error' in parsed) throw new Day2Error('Internal', parsed.error);
  const d: Deps = { ...deps, settings: { ...deps.settings, maintenanceWindow: parsed.window } };
  const stamp = () => sim.clock.now().toISOString().slice(0, 16).replace('T', ' ');
  const say = (text: string) => out(`[${stamp()}] ${text}`);

  sim.clock.set(nextWindow(sim.clock.now()));
  say(`maintenance window ${WINDOW} UTC opens; soak ${d.settings.ringSoakHours}h between rings`);
  for (let i = 0; i < 16; i++) {
    const { run } = await runNodeImage(d);
    for (const o of run.outcomes.filter((x) => x.outcome === 'InProgress' || x.outcome === 'Failed')) {
      say(
        `ring ${ringOf(o)} ${o.cluster.name}/${o.nodePool ?? ''}: ${o.outcome === 'InProgress' ? `upgrade started → ${o.toVersion ?? ''}` : `failed: ${o.reason}`}`,
      );
    }
    const halted = run.outcomes.find((o) => o.details?.findingKind === 'halted');
    if (halted) {
      say(`ring ${ringOf(halted)} ${halted.cluster.name}/${halted.nodePool ?? ''}: ${halted.reason}`);
      say('the wave stops here; the card of this run says so');
      return;
    }
    if (run.outcomes.some((o) => o.outcome === 'InProgress')) {
      sim.clock.advance(20 * MINUTE);
    } else {
      const soak = run.outcomes.find((o) => /soaks \d+h more/.test(o.reason));
      if (!soak) {
        say('nothing more to upgrade');
        return;
      }
      say(`${soak.cluster.name} waits: ${soak.reason}`);
      sim.clock.set(nextWindow(new Date(sim.clock.now().getTime() + d.settings.ringSoakHours * 3_600_000)));
    }
    for (const o of (await runSweep(d)).run.outcomes) {
      say(
        `${o.cluster.name}/${o.nodePool ?? ''}: ${o.outcome}${o.outcome === 'Failed' ? `: ${o.reason}` : ''}`,
      );
    }
  }
}
