import { demoNodeImageWave } from '../../shared/demo/nodeImageWave';
import { demoVersionReport } from '../../shared/demo/versionReport';
import { startTestApp, type TestApp } from '../support/app';
import { THURSDAY } from '../nodeimage/helpers';

describe('demo: version report and node-image wave on the demo fleet', () => {
  let app: TestApp;
  beforeEach(async () => {
    app = await startTestApp({ speed: 0, startTime: THURSDAY });
  });
  afterEach(async () => {
    await app.close();
  });

  it('prints the version report of the demo fleet worst first', async () => {
    const lines: string[] = [];
    await demoVersionReport(app.deps, (l) => void lines.push(l));
    expect(lines.join('\n')).toMatch(/aks-test-eus-01\s+1\.30\.14\s+unsupported/);
  });

  it('prints a wave where ring 0 goes first, soaks, ring 1 fails on the PDB and ring 2 is halted', async () => {
    const lines: string[] = [];
    await demoNodeImageWave(app.deps, app.sim, (l) => void lines.push(l));
    const text = lines.join('\n');
    if (process.env.SHOW_DEMO) console.log(text);
    expect(text.indexOf('ring 0 aks-dev-weu-01/apps: upgrade started')).toBeGreaterThan(-1);
    expect(text.indexOf('ring 1 aks-test-weu-01/payments: upgrade started')).toBeGreaterThan(
      text.indexOf('soaks'),
    );
    expect(text).toMatch(/aks-test-weu-01\/payments: Failed: .*UpgradeFailed/);
    expect(text).toMatch(
      /ring 2 aks-prod-weu-01\/system: halted: ring 1 failed on aks-test-weu-01\/payments/,
    );
  });
});
