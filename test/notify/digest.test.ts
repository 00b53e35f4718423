import { MAX_CARD_BYTES } from '../../shared/notify/card';
import { digestIsEmpty, nodeImageDigest, powerDigest, type DigestEntry } from '../../shared/notify/digest';
import { buildDigestCard } from '../../shared/notify/digestCard';

const DAY = '2026-06-08';
const entry = (
  e: Partial<DigestEntry> & Pick<DigestEntry, 'action' | 'outcome' | 'cluster' | 'at'>,
): DigestEntry => ({
  job: e.action === 'node-image-upgrade' ? 'node-image' : 'power-schedule',
  day: DAY,
  clusterId: `/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/${e.cluster}`,
  ...e,
});
const at = (hhmm: string): Date => new Date(`${DAY}T${hhmm}:00Z`);

describe('the power-schedule digest of a day', () => {
  it('counts an accepted stop and its completion once, from the moment AKS accepted it', () => {
    const d = powerDigest(DAY, [
      entry({
        action: 'stop',
        outcome: 'InProgress',
        cluster: 'a',
        at: at('17:00'),
        nodes: 3,
        operationId: 'op1',
      }),
      entry({ action: 'stop', outcome: 'Succeeded', cluster: 'a', at: at('17:05'), operationId: 'op1' }),
    ]);
    expect(d).toMatchObject({ stopped: ['a'], started: [], nodeHoursSaved: 21 });
    expect(d.stoppedAtMidnight).toEqual([
      expect.objectContaining({ cluster: 'a', nodes: 3, since: at('17:00') }),
    ]);
  });

  it('counts node-hours from midnight for a cluster carried stopped, up to its start', () => {
    const d = powerDigest(DAY, [
      entry({ action: 'stop', outcome: 'Succeeded', cluster: 'a', at: at('00:00'), nodes: 4, carried: true }),
      entry({ action: 'start', outcome: 'InProgress', cluster: 'a', at: at('07:30'), operationId: 'op2' }),
    ]);
    expect(d).toMatchObject({ stopped: [], started: ['a'], nodeHoursSaved: 30, stoppedAtMidnight: [] });
  });

  it('keeps dry-run plans and failures apart from what was done', () => {
    const d = powerDigest(DAY, [
      entry({ action: 'stop', outcome: 'Planned', cluster: 'dry', at: at('17:00'), nodes: 2 }),
      entry({
        action: 'stop',
        outcome: 'InProgress',
        cluster: 'bad',
        at: at('17:00'),
        nodes: 2,
        operationId: 'x',
      }),
      entry({ action: 'stop', outcome: 'Failed', cluster: 'bad', at: at('17:05'), operationId: 'x' }),
    ]);
    expect(d).toMatchObject({ stopped: [], plannedStops: ['dry'], failed: ['stop bad'], nodeHoursSaved: 0 });
    expect(digestIsEmpty(d)).toBe(false);
    expect(digestIsEmpty(powerDigest(DAY, []))).toBe(true);
  });
});

describe('the node-image digest of a day', () => {
  it('lists the pools rolled and counts the upgrades started', () => {
    const d = nodeImageDigest(DAY, [
      entry({
        action: 'node-image-upgrade',
        outcome: 'InProgress',
        cluster: 'a',
        nodePool: 'p',
        at: at('01:00'),
        operationId: 'n1',
      }),
      entry({
        action: 'node-image-upgrade',
        outcome: 'Succeeded',
        cluster: 'a',
        nodePool: 'p',
        fromVersion: 'AKSUbuntu-2204gen2containerd-202609.16.0',
        toVersion: 'AKSUbuntu-2204gen2containerd-202610.07.0',
        at: at('01:40'),
        operationId: 'n1',
      }),
      entry({
        action: 'node-image-upgrade',
        outcome: 'InProgress',
        cluster: 'b',
        nodePool: 'q',
        at: at('02:00'),
        operationId: 'n2',
      }),
    ]);
    expect(d).toMatchObject({ rolled: [{ cluster: 'a', pool: 'p' }], started: 1, failed: 0 });
  });
});

describe('the digest card', () => {
  it('stays under the Teams size limit for 5,000 clusters and says how many it left out', () => {
    const stops = Array.from({ length: 5000 }, (_, i) =>
      entry({
        action: 'stop',
        outcome: 'Succeeded',
        cluster: `aks-dev-${String(i).padStart(5, '0')}-with-a-long-name`,
        at: at('17:00'),
        nodes: 3,
      }),
    );
    const card = buildDigestCard(powerDigest(DAY, stops));
    const text = JSON.stringify(card);
    expect(Buffer.byteLength(text, 'utf8')).toBeLessThanOrEqual(MAX_CARD_BYTES);
    expect(text).toContain(
      'Power schedule, 2026-06-08: 5,000 stopped · 0 started · 105,000 node-hours saved',
    );
    expect(text).toMatch(/… and [\d,]+ more/);
  });
});
