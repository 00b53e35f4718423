import { aksDay2 } from '../support/cli';

describe('the aks-day2 power-schedule commands', () => {
  it('shows the power plan: zone, policy, next stop and start in local time and UTC, and the decision now', () => {
    const r = aksDay2('plan', '--sim', '--job', 'power-schedule');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    for (const col of ['CLUSTER', 'ZONE', 'POLICY', 'NEXT STOP local (UTC)', 'NEXT START local (UTC)', 'NOW'])
      expect(r.stdout).toContain(col);
    expect(r.stdout).toMatch(
      /aks-dev-weu-01 +Europe\/Paris .*stop 0 19 \* \* 1-5; start 30 7 \* \* 1-5 .*\d\d:\d\d \(\d\d:\d\dZ\)/,
    );
    expect(r.stdout).toMatch(/aks-prod-weu-01 .*prod/);
    expect(r.stdout).toMatch(/Tag errors[\s\S]*aks-dev-weu-02: day2-stop="0 25 \* \* \*"/);
  });

  it('runs one power-schedule tick in a dry run and prints its outcomes', () => {
    const r = aksDay2('run', 'power-schedule', '--sim', '--dry-run');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/\(dry run\) +power-schedule +timer/);
    expect(r.stdout).toMatch(
      /aks-dev-weu-02 +tag-check +Skipped +day2-stop="0 25 \* \* \*": hour 25 is out of range 0-23/,
    );
  });

  it('snoozes a cluster by name and confirms until when, in its zone', () => {
    const r = aksDay2('snooze', 'aks-dev-weu-01', '--for', '2h', '--sim');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(
      /^aks-dev-weu-01 snoozed until (\d{4}-\d\d-\d\d )?\d\d:\d\d Europe\/Paris \(\d\d:\d\dZ\): /,
    );
  });

  it.each([
    [['run', 'nightly-cleanup', '--sim'], 'no such job "nightly-cleanup" (jobs: power-schedule'],
    [['snooze', 'aks-dev-weu-01', '--sim'], 'give either --until HH:MM or --for DURATION'],
    [['snooze', 'aks-dev-weu-01', '--for', '3 days', '--sim'], 'for: expected a duration such as 2h'],
  ])('refuses %j with a one-line reason and exit code 2', (args, message) => {
    const r = aksDay2(...args);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(message);
  });
});
