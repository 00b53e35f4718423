/**
 * One outbox delivery pass in a process of its own, so a harness can kill it (SIGKILL) at a moment it
 * chooses, e.g. after Teams accepted a card and before the entry was deleted. Started as
 * `node --import tsx shared/chaos/deliverer.ts '<json DelivererConfig>'`; prints the pass's report as
 * one JSON line. The outbox's clock is fixed at `at` (the harness's virtual time).
 */
import { loadSettings } from '../config/settings';
import { createCredential } from '../azure/credential';
import { createNotifier } from '../notify/notifier';

export interface DelivererConfig {
  env: Record<string, string>;
  tablePrefix: string;
  /** ISO instant the outbox sees as now. */
  at: string;
}

export const DELIVERER_SCRIPT = __filename;

async function main(): Promise<void> {
  const cfg = JSON.parse(process.argv[2] ?? '{}') as DelivererConfig;
  const settings = loadSettings(cfg.env);
  const at = new Date(cfg.at);
  const silent = (): void => undefined;
  const notifier = createNotifier({
    settings,
    credential: createCredential(settings),
    log: { info: silent, warn: silent, error: silent },
    clock: { now: () => at },
    tablePrefix: cfg.tablePrefix,
    teamsPaceMs: 0,
  });
  const report = await notifier.deliverPending();
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
