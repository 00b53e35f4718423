import { createAzureClients } from '../../azure/clients';
import { SETTING_DEFAULTS } from '../../config/settings';
import { Day2Error } from '../../errors';
import { consoleLogger } from '../../log';
import { wireEvents, type WireReport } from '../../events/wire';
import type { WireTarget } from '../../events/wirePlan';
import { flagString, parseArgs, type ParsedArgs } from '../args';
import { withAppContext } from '../appContext';
import type { Command } from '../command';

const usage =
  'events wire [--sim] [--subscriptions ID,ID] [--function-app ID] [--dead-letter-storage ID] [--dead-letter-container NAME] [--identity ID]';

/**
 * The deployment's outputs that say where events go; azd exports them to hooks and `azd env get-values`
 * prints them. Flags win over the environment.
 */
const TARGET_ENV = {
  functionApp: 'AZURE_FUNCTION_APP_ID',
  deadLetterStorage: 'DAY2_EVENTS_DEADLETTER_STORAGE_ID',
  deadLetterContainer: 'DAY2_EVENTS_DEADLETTER_CONTAINER',
  identity: 'DAY2_EVENTS_IDENTITY_ID',
} as const;

function required(a: ParsedArgs, flag: string, envName: string, env: NodeJS.ProcessEnv): string {
  const v = flagString(a, flag) ?? env[envName]?.trim();
  if (!v)
    throw new Day2Error(
      'BadRequest',
      `--${flag} or ${envName} is required (azd sets ${envName} after provisioning; see "azd env get-values")\nusage: aks-day2 ${usage}`,
    );
  return v;
}

export function targetFrom(a: ParsedArgs, env: NodeJS.ProcessEnv): WireTarget {
  const app = required(a, 'function-app', TARGET_ENV.functionApp, env).replace(/\/+$/, '');
  return {
    functionResourceId: `${app}/functions/aksEvents`,
    deadLetterStorageId: required(a, 'dead-letter-storage', TARGET_ENV.deadLetterStorage, env),
    deadLetterContainer: required(a, 'dead-letter-container', TARGET_ENV.deadLetterContainer, env),
    identityId: required(a, 'identity', TARGET_ENV.identity, env),
  };
}

/**
 * `--subscriptions`; else azd's DAY2_SUBSCRIPTION_IDS (a JSON array), and when that is empty the
 * subscription azd deployed to (AZURE_SUBSCRIPTION_ID), as the Bicep does; else DAY2_SUBSCRIPTIONS;
 * else (empty) every subscription the caller can list.
 */
export function subscriptionsFrom(a: ParsedArgs, env: NodeJS.ProcessEnv): string[] {
  const split = (v: string): string[] =>
    v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  const flag = flagString(a, 'subscriptions');
  if (flag !== undefined) return split(flag);
  const azd = env.DAY2_SUBSCRIPTION_IDS?.trim();
  if (azd) {
    let ids: unknown;
    try {
      ids = JSON.parse(azd);
    } catch {
      ids = undefined;
    }
    if (!Array.isArray(ids))
      throw new Day2Error('BadRequest', `DAY2_SUBSCRIPTION_IDS is not a JSON array: ${azd.slice(0, 200)}`);
    if (ids.length > 0) return ids.map(String).filter(Boolean);
  }
  const deployed = env.AZURE_SUBSCRIPTION_ID?.trim();
  if (deployed) return [deployed];
  return split(env.DAY2_SUBSCRIPTIONS ?? '');
}

/** One line per cluster: what was done through which topic, and why. */
export function formatWireReport(report: WireReport): string[] {
  const lines: string[] = [];
  const counts = new Map<string, number>();
  for (const r of report.results) {
    const d = r.decision;
    const what = r.error
      ? 'FAILED'
      : {
          create: 'created',
          subscribe: 'subscribed',
          update: 'updated',
          unchanged: 'unchanged',
          skip: 'skipped',
        }[d.kind];
    counts.set(what, (counts.get(what) ?? 0) + 1);
    if (d.kind === 'skip') continue;
    const topic = r.topicId ? ` → topic ${r.topicId.split('/').pop()}` : '';
    const where = `${d.cluster.name} (${d.cluster.subscriptionId}/${d.cluster.resourceGroup})`;
    lines.push(`${what.padEnd(10)} ${where}${topic}: ${r.error ? r.error.message : d.reason}`);
  }
  for (const f of report.failures)
    lines.push(`FAILED     subscription ${f.subscriptionId}: ${f.error.message}`);
  const summary = ['created', 'subscribed', 'updated', 'unchanged', 'skipped', 'FAILED']
    .filter((k) => counts.has(k))
    .map((k) => `${counts.get(k)} ${k}`)
    .join(', ');
  lines.push(
    `events wire: ${summary || 'no clusters'}${report.failures.length ? `, ${report.failures.length} subscriptions unreadable` : ''}`,
  );
  return lines;
}

/** `aks-day2 events wire`: one AKS system topic + `aks-day2` event subscription per opted-in cluster. */
export const eventsWireCommand: Command = {
  name: 'events',
  examples: [
    'aks-day2 events wire --sim',
    'aks-day2 events wire --subscriptions 00000000-0000-0000-0000-000000000000',
  ],
  usage: `${usage}    wire each opted-in cluster's AKS events to aksEvents (idempotent; lists what it did)`,
  async run(argv, out) {
    const a = parseArgs(
      argv,
      {
        value: [
          'subscriptions',
          'function-app',
          'dead-letter-storage',
          'dead-letter-container',
          'identity',
          'fleet',
        ],
        bool: ['sim'],
      },
      `usage: aks-day2 ${usage}`,
    );
    if (a.positionals.join(' ') !== 'wire') throw new Day2Error('BadRequest', `usage: aks-day2 ${usage}`);
    const log = { ...consoleLogger, info: () => undefined };
    const finish = (report: WireReport): number => {
      for (const line of formatWireReport(report)) out(line);
      return report.failures.length > 0 || report.results.some((r) => r.error) ? 1 : 0;
    };
    if (!a.flags.has('sim')) {
      const env = process.env;
      const target = targetFrom(a, env);
      const armEndpoint = (env.DAY2_ARM_ENDPOINT?.trim() || SETTING_DEFAULTS.DAY2_ARM_ENDPOINT).replace(
        /\/+$/,
        '',
      );
      const azure = createAzureClients({ armEndpoint, auth: 'default' });
      return finish(await wireEvents(azure, subscriptionsFrom(a, env), target, log));
    }
    return withAppContext({ sim: true, fleet: flagString(a, 'fleet'), log }, async (ctx) => {
      const sub = ctx.local!.sim.subscriptions[0]!;
      const rg = `/subscriptions/${sub}/resourceGroups/rg-aks-day2`;
      const target: WireTarget = {
        functionResourceId: `${rg}/providers/Microsoft.Web/sites/func-aksday2-local/functions/aksEvents`,
        deadLetterStorageId: `${rg}/providers/Microsoft.Storage/storageAccounts/staksday2local`,
        deadLetterContainer: 'aks-events-deadletter',
        identityId: `${rg}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-aksday2-events-local`,
      };
      return finish(await wireEvents(ctx.azure, ctx.settings.subscriptions, target, log));
    });
  },
};
