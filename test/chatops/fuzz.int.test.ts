import { fuzzChatops } from '../../shared/bench/chatopsFuzz';
import { CHANNEL_MEMBERS } from '../../shared/sim/teamsChannel';
import { startServedApp, type ServedApp } from '../support/serve';

/** Messages per run in npm test (a few seconds on 2 cores); `npm run bench` sends 10,000. */
const RUNS = Number(process.env.DAY2_CHATOPS_FUZZ_RUNS ?? 300);

describe('the chatops endpoint under generated messages with a valid HMAC', () => {
  let s: ServedApp;
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown): void => void rejections.push(reason);
  beforeAll(async () => {
    process.on('unhandledRejection', onRejection);
    s = await startServedApp();
  });
  afterAll(async () => {
    process.off('unhandledRejection', onRejection);
    await s.close();
  });

  it(`never answers 5xx, never leaves a rejection unhandled, and answers every message that is not a command with the usage (${RUNS} messages)`, async () => {
    const reader = CHANNEL_MEMBERS.find((m) => m.role === 'reader')!.aadObjectId;
    const nobody = CHANNEL_MEMBERS.find((m) => m.role === 'none')!.aadObjectId;
    const report = await fuzzChatops(`${s.serve.url}/api/chatops`, s.app.sim.teamsOutgoingSecret, {
      runs: RUNS,
      seed: 20260112,
      concurrency: 8,
      clusters: ['aks-dev-weu-01', 'aks-dev-weu', 'aks-prod-weu-01', 'AKS-TEST-EUS-01'],
      senders: [reader, nobody],
    });
    process.stdout.write(
      `ChatOps fuzz: ${report.runs} messages, by kind ${JSON.stringify(report.byKind)}, answers by status ${JSON.stringify(report.byStatus)}\n`,
    );
    expect(report.violations).toEqual([]);
    expect(rejections).toEqual([]);
    expect(Object.keys(report.byStatus)).toEqual(['200']);
    for (const kind of [
      'random-text',
      'mentions-unicode',
      'near-command',
      'huge',
      'bad-json',
      'not-an-activity',
    ])
      expect(report.byKind[kind]).toBeGreaterThan(0);
  });
});
