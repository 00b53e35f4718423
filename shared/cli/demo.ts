import { discoverFleet } from '../fleet/inventory';
import { consoleLogger, silentLogger } from '../log';
import { withAppContext } from './appContext';
import { formatInventoryPlan } from './inventoryPlan';
import { runPowerDemoDay } from '../power/demoDay';

/**
 * `npm run demo`: the app on the embedded simulated fleet (simulator + Azurite, no Azure).
 * Prints the fleet plan; each job adds its part of the simulated day.
 */
export async function runDemo(_argv: string[], out: (line: string) => void): Promise<number> {
  return withAppContext({ sim: true, log: consoleLogger }, async (ctx) => {
    out(`aks-day2 demo: simulator at ${ctx.local!.sim.arm}, Azurite storage, virtual clock ${ctx.clock.now().toISOString()}`);
    const inv = await discoverFleet(ctx.azure, ctx.settings.subscriptions, silentLogger);
    out('');
    out(formatInventoryPlan(inv, ctx.settings));
    await runPowerDemoDay(ctx, out);
    return 0;
  });
}
