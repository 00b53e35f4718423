/**
 * A pool's `upgradeSettings` from a PUT, checked as AKS checks them: `maxSurge` / `maxUnavailable`
 * an integer or a percentage, `drainTimeoutInMinutes` 1-1440, `nodeSoakDurationInMinutes` 0-30,
 * `undrainableNodeBehavior` Cordon | Schedule. Refusals are 400 InvalidParameter.
 */
import { badRequest } from './errors';
import { isRecord } from './http';
import type { UpgradeSettings } from './state';

const SURGE = /^(\d+)(%?)$/;

function invalid(field: string, value: unknown, rule: string): never {
  throw badRequest(
    'InvalidParameter',
    `The value of parameter agentPoolProfile.upgradeSettings.${field} is invalid. Error details: '${String(value).slice(0, 64)}' ${rule}.`,
  );
}

function surgeValue(field: string, v: unknown): string | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  const m = typeof v === 'string' ? SURGE.exec(v.trim()) : null;
  if (!m) invalid(field, v, 'must be an integer or a percentage, e.g. "3" or "33%"');
  const n = Number(m[1]);
  if (m[2] === '%' && (n < 0 || n > 100)) invalid(field, v, 'must be a percentage between 0% and 100%');
  return `${n}${m[2]}`;
}

function intIn(field: string, v: unknown, min: number, max: number): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
    invalid(field, v, `must be an integer between ${min} and ${max}`);
  return v;
}

/** The settings a PUT carries (undefined when it carries none), or AKS's 400. */
export function parseUpgradeSettings(raw: unknown): UpgradeSettings | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!isRecord(raw)) invalid('', raw, 'must be an object');
  const out: UpgradeSettings = {};
  const maxSurge = surgeValue('maxSurge', raw.maxSurge);
  const maxUnavailable = surgeValue('maxUnavailable', raw.maxUnavailable);
  if (maxSurge !== undefined) out.maxSurge = maxSurge;
  if (maxUnavailable !== undefined) out.maxUnavailable = maxUnavailable;
  if (
    maxSurge !== undefined &&
    /^0%?$/.test(maxSurge) &&
    (maxUnavailable === undefined || /^0%?$/.test(maxUnavailable))
  )
    invalid('maxSurge', raw.maxSurge, 'must be greater than 0 when maxUnavailable is 0');
  const drain = intIn('drainTimeoutInMinutes', raw.drainTimeoutInMinutes, 1, 1440);
  const soak = intIn('nodeSoakDurationInMinutes', raw.nodeSoakDurationInMinutes, 0, 30);
  if (drain !== undefined) out.drainTimeoutInMinutes = drain;
  if (soak !== undefined) out.nodeSoakDurationInMinutes = soak;
  const b = raw.undrainableNodeBehavior;
  if (b !== undefined && b !== null) {
    if (b !== 'Cordon' && b !== 'Schedule')
      invalid('undrainableNodeBehavior', b, 'must be Cordon or Schedule');
    out.undrainableNodeBehavior = b;
  }
  return out;
}
