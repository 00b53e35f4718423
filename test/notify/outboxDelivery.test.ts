import { InvocationContext, type Timer } from '@azure/functions';
import { outboxDelivery } from '../../functions/outboxDelivery';
import { startAzurite, type AzuriteHandle } from '../../shared/local/azurite';
import { notifyWorld, RULE_ID, type NotifyWorld } from './helpers';
import { nodeImageRun } from './runs';

const timer: Timer = {
  isPastDue: false,
  schedule: { adjustForDST: false },
  scheduleStatus: { last: '', next: '', lastUpdated: '' },
};

describe('outboxDelivery timer function', () => {
  let w: NotifyWorld;
  let azurite: AzuriteHandle;
  const saved = { ...process.env };
  beforeEach(async () => {
    // The function reads its settings from the environment and uses the app's default table names:
    // this test has an Azurite of its own, so no other test file shares that outbox.
    azurite = await startAzurite();
    w = await notifyWorld({ AzureWebJobsStorage: azurite.connectionString });
    Object.assign(process.env, {
      AzureWebJobsStorage: azurite.connectionString,
      DAY2_ARM_ENDPOINT: w.sim.arm,
      DAY2_AUTH: 'local',
      DAY2_LOCAL_CA_CERT: w.sim.caCertPath,
      DAY2_TEAMS_WEBHOOK_URL: w.sim.teamsWebhookUrl,
      DAY2_LOGS_ENDPOINT: w.sim.logsEndpoint,
      DAY2_LOGS_RULE_ID: RULE_ID,
    });
  });
  afterEach(async () => {
    process.env = { ...saved };
    await w.close();
    await azurite.close();
  });

  it('delivers what a job left in the outbox and says so in the invocation log', async () => {
    const run = nodeImageRun('20261005T060000000Z-f0f0f0f0');
    // A job stored its records (default tables, as the app uses) but stopped before delivering them.
    await w
      .notifier({ tablePrefix: undefined, deliverOnReport: false, clock: { now: () => new Date() } })
      .report(run);

    const logs: string[] = [];
    const ctx = new InvocationContext({
      functionName: 'outboxDelivery',
      logHandler: (level, ...args) => logs.push(`${level}: ${args.map(String).join(' ')}`),
    });
    await outboxDelivery(timer, ctx);

    // The run's own card (it has a failure and a finding), and the digest of its day, which is over.
    const headlines = (await w.teamsPosts()).map(
      (p) =>
        (p.body as { attachments: Array<{ content: { body: Array<{ text: string }> } }> }).attachments[0]!
          .content.body[0]!.text,
    );
    expect(headlines).toEqual([
      expect.stringMatching(/^Node image upgrades: .* 1 failed/),
      expect.stringMatching(/^Node image upgrades, 2026-10-05: 1 pools rolled/),
    ]);
    expect((await w.logRows()).filter((r) => r.row.RunId === run.runId)).toHaveLength(run.outcomes.length);
    expect(logs).toContainEqual(
      expect.stringMatching(/^information: outbox: delivered \d+, parked 0, waiting 0$/),
    );
    expect(logs.join('\n')).not.toContain('sig=');
  });
});
