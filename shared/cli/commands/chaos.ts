import { DEFAULT_CHAOS, formatChaosReport, invariantsHeld, runChaos } from '../../chaos/runChaos';
import { Day2Error } from '../../errors';
import { flagString, parseArgs } from '../args';
import type { Command } from '../command';

const usage =
  'chaos [--clusters N] [--image-clusters N] [--upgrade-clusters N] [--days N] [--fuzz N] [--seed N]';

/** `aks-day2 chaos` (`npm run chaos`): the fault matrix on the simulator; exit 1 when an invariant broke. */
export const chaosCommand: Command = {
  name: 'chaos',
  examples: ['aks-day2 chaos', 'aks-day2 chaos --clusters 50 --days 7 --fuzz 1000 --seed 7'],
  usage: `${usage}    the fault matrix on the simulator: ARM faults, kills, receivers down, fuzzed input; prints what was due, done, lost, doubled`,
  async run(argv, out) {
    const a = parseArgs(
      argv,
      { value: ['clusters', 'image-clusters', 'upgrade-clusters', 'days', 'fuzz', 'seed'], bool: [] },
      `usage: aks-day2 ${usage}`,
    );
    const num = (name: string): number | undefined => {
      const v = flagString(a, name);
      if (v === undefined) return undefined;
      if (!/^\d+$/.test(v))
        throw new Day2Error(
          'BadRequest',
          `--${name}: expected a whole number, got "${v}"\nusage: aks-day2 ${usage}`,
        );
      return Number(v);
    };
    const opts = {
      clusters: num('clusters') ?? DEFAULT_CHAOS.clusters,
      imageClusters: num('image-clusters') ?? DEFAULT_CHAOS.imageClusters,
      upgradeClusters: num('upgrade-clusters') ?? DEFAULT_CHAOS.upgradeClusters,
      days: num('days') ?? DEFAULT_CHAOS.days,
      fuzz: num('fuzz') ?? DEFAULT_CHAOS.fuzz,
      seed: num('seed') ?? DEFAULT_CHAOS.seed,
    };
    out(
      `chaos: ${opts.clusters} scheduled clusters, ${opts.imageClusters} on node-image auto, ${opts.upgradeClusters} on unattended patch upgrades, over ${opts.days} virtual days, ARM faults 20% of every kind, seed ${opts.seed}`,
    );
    const r = await runChaos({ ...opts, progress: out });
    out(formatChaosReport(r));
    const ok = invariantsHeld(r);
    out(ok ? 'chaos: every invariant held' : 'chaos: an invariant broke (see above)');
    return ok ? 0 : 1;
  },
};
