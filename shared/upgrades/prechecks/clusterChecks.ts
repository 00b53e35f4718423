import { DateTime } from 'luxon';
import { settingWindowContains } from '../../config/maintenanceWindowSetting';
import { compileMaintenanceConfiguration } from '../../nodeimage/window';
import type { PreCheckResult } from '../model';
import { result, type CheckContext } from './context';

const BUSY_DONE = ['Succeeded', 'Failed', 'Canceled'];

/** State: running and Succeeded, no operation in flight (AKS's or aks-day2's), not `day2-protect`. */
export function stateCheck(c: CheckContext): PreCheckResult {
  const { cluster, policy } = c.facts;
  const ev = [
    `powerState ${cluster.powerState}, provisioningState ${cluster.provisioningState}`,
    ...cluster.pools.map((p) => `pool ${p.name}: provisioningState ${p.provisioningState}, ${p.powerState}`),
  ];
  if (policy.protect)
    return result(
      'state',
      'fail',
      'protected',
      !c.request.unattended,
      'the cluster is tagged day2-protect=true: nothing is changed on it automatically',
      ['tag day2-protect=true', ...ev],
    );
  if (c.facts.otherRun)
    return result(
      'state',
      'fail',
      'run-in-flight',
      false,
      `upgrade run ${c.facts.otherRun.id} is ${c.facts.otherRun.state} on this cluster`,
      ev,
    );
  if (c.facts.ourOperation)
    return result(
      'state',
      'fail',
      'operation-in-flight',
      false,
      `aks-day2 ${c.facts.ourOperation.job} operation ${c.facts.ourOperation.action} (${c.facts.ourOperation.id}) holds the cluster`,
      ev,
    );
  const busyPool = cluster.pools.find((p) => !BUSY_DONE.includes(p.provisioningState));
  if (!BUSY_DONE.includes(cluster.provisioningState) || busyPool)
    return result(
      'state',
      'fail',
      'busy',
      false,
      `an AKS operation is in progress (${busyPool ? `pool ${busyPool.name} ${busyPool.provisioningState}` : cluster.provisioningState}); it is waited for, not fought`,
      ev,
    );
  if (cluster.powerState === 'Stopped') {
    if (c.wakes)
      return result(
        'state',
        'warn',
        'stopped-wake',
        false,
        'the cluster is stopped: the run starts it first and stops it again after the upgrade',
        ev,
      );
    return result(
      'state',
      'fail',
      'stopped',
      false,
      'the cluster is stopped: AKS upgrades only running clusters; ask with wake to start it for the upgrade and stop it after',
      ev,
    );
  }
  if (cluster.provisioningState !== 'Succeeded')
    return result(
      'state',
      'fail',
      'not-succeeded',
      true,
      `the cluster's last operation ended ${cluster.provisioningState}`,
      ev,
    );
  return result('state', 'pass', 'ready', false, 'running, last operation Succeeded, nothing in flight', ev);
}

/** AKS's auto-upgrade channel set: AKS upgrades this cluster itself; reported, not overridden unless forced. */
export function autoUpgradeCheck(c: CheckContext): PreCheckResult {
  const channel = (c.facts.cluster.upgradeChannel ?? 'none').toLowerCase();
  if (channel === 'none' || channel === 'node-image')
    return result('auto-upgrade', 'pass', 'no-channel', false, `AKS auto-upgrade channel: ${channel}`, [
      `autoUpgradeProfile.upgradeChannel = ${c.facts.cluster.upgradeChannel ?? '(not set)'}`,
    ]);
  return result(
    'auto-upgrade',
    'fail',
    'aks-channel',
    true,
    `AKS upgrades this cluster itself (auto-upgrade channel "${channel}"); aks-day2 leaves it to AKS unless forced`,
    [`autoUpgradeProfile.upgradeChannel = ${c.facts.cluster.upgradeChannel ?? ''}`],
  );
}

/**
 * Window: an unattended run goes only inside the cluster's maintenance window (AKS
 * `aksManagedAutoUpgradeSchedule`, else `default`, else DAY2_MAINTENANCE_WINDOW) and not on a
 * `day2-skip` date. Runs a person asked for are not bound to it.
 */
export function windowCheck(c: CheckContext): PreCheckResult {
  if (!c.request.unattended)
    return result(
      'window',
      'pass',
      'on-demand',
      false,
      'asked for by a person: not bound to the maintenance window',
      [`requested by ${c.request.requestedBy}`],
    );
  const now = c.facts.now;
  const today = DateTime.fromJSDate(now, { zone: c.facts.policy.timezone }).toISODate() ?? '';
  if (c.facts.policy.skipDates.includes(today))
    return result('window', 'fail', 'skip-date', false, `${today} is a day2-skip date of this cluster`, [
      `day2-skip: ${c.facts.policy.skipDates.join(', ')} (zone ${c.facts.policy.timezone})`,
    ]);
  const named = (n: string) =>
    c.facts.maintenance.find((m) => (m.name ?? '').toLowerCase() === n.toLowerCase());
  for (const source of ['aksManagedAutoUpgradeSchedule', 'default'] as const) {
    const cfg = named(source);
    if (!cfg) continue;
    const check = compileMaintenanceConfiguration({ ...cfg, name: source });
    const inside = check.contains(now);
    return result(
      'window',
      inside ? 'pass' : 'fail',
      inside ? 'inside-window' : 'outside-window',
      false,
      inside ? `inside the ${source} window` : `outside the ${source} window`,
      [check.describe(), `now ${now.toISOString()}`],
    );
  }
  const w = c.settings.maintenanceWindow;
  if (w) {
    const inside = settingWindowContains(w, now);
    return result(
      'window',
      inside ? 'pass' : 'fail',
      inside ? 'inside-window' : 'outside-window',
      false,
      inside ? 'inside DAY2_MAINTENANCE_WINDOW' : 'outside DAY2_MAINTENANCE_WINDOW',
      [`DAY2_MAINTENANCE_WINDOW: ${w.text}`, `now ${now.toISOString()}`],
    );
  }
  return result(
    'window',
    'fail',
    'no-window',
    false,
    'no maintenance window: no aksManagedAutoUpgradeSchedule or default configuration and DAY2_MAINTENANCE_WINDOW is not set',
  );
}
