import { fuzzHttpApi } from '../../shared/bench/httpFuzz';
import { startServedApp, type ServedApp } from '../support/serve';

/** Requests per run in npm test (well-formed ones make real pre-checks, seconds each); `npm run bench` sends 10,000. */
const RUNS = Number(process.env.DAY2_FUZZ_RUNS ?? 300);

describe('the HTTP API under generated requests (bodies, headers, paths, sizes)', () => {
  let s: ServedApp;
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown): void => void rejections.push(reason);
  beforeAll(async () => {
    process.on('unhandledRejection', onRejection);
    s = await startServedApp({ easyAuth: true });
  });
  afterAll(async () => {
    process.off('unhandledRejection', onRejection);
    await s.close();
  });

  it(`never answers 5xx, never leaves a rejection unhandled, and rejects only with problem details naming the field (${RUNS} requests)`, async () => {
    const clusters = [
      'aks-dev-weu-01',
      'aks-dev-weu-02',
      'aks-prod-weu-01',
      'aks-test-weu-01',
      'aks-test-eus-01',
    ];
    const report = await fuzzHttpApi(s.serve.url, clusters, { runs: RUNS, seed: 20260112 });
    process.stdout.write(
      `HTTP fuzz: ${report.runs} requests, answers by status ${JSON.stringify(report.byStatus)}, ${report.unsendable} not sendable by the client\n`,
    );
    expect(report.violations).toEqual([]);
    expect(rejections).toEqual([]);
    const answered = Object.values(report.byStatus).reduce((a, b) => a + b, 0);
    expect(answered + report.unsendable).toBe(RUNS);
    // The generator reaches the API's answers, not only its doorstep.
    for (const st of ['200', '202', '400', '401', '403', '404', '409', '413', '415', '422'])
      expect(report.byStatus[st]).toBeGreaterThan(0);
  }, 300_000); // an upper bound only: a loaded 2-core machine answers slowly
});
