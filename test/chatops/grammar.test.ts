import { cleanText, parseCommand } from '../../shared/chatops/grammar';
import { resolveCluster } from '../../shared/chatops/resolveCluster';
import { hasRole, roleOf } from '../../shared/chatops/roles';
import { checkTeamsSignature } from '../../shared/chatops/signature';
import { createHmac } from 'node:crypto';
import type { ClusterSnapshot } from '../../shared/fleet/cluster';

describe('the ChatOps grammar', () => {
  it('strips mentions, markup and entities before reading the words', () => {
    expect(cleanText('<at>day2</at>&nbsp;<p>Status&amp;</p>\u00a0 aks-01')).toBe('Status& aks-01');
    expect(parseCommand('<at>Day2 Bot</at> SNOOZE aks-dev-weu-01 FOR 1h 30m')).toEqual({
      ok: true,
      command: { verb: 'snooze', cluster: 'aks-dev-weu-01', snooze: { for: '1h30m' } },
    });
  });

  it('reads every form of upgrade', () => {
    expect(parseCommand('upgrade c1 to 1.33.5 surge 33% dry-run')).toEqual({
      ok: true,
      command: { verb: 'upgrade', cluster: 'c1', to: '1.33.5', surge: '33%', dryRun: true },
    });
    expect(parseCommand('upgrade c1 next-minor')).toMatchObject({
      command: { to: 'next-minor', dryRun: false },
    });
    expect(parseCommand('upgrade c1 to patch surge 2')).toMatchObject({
      command: { to: 'latest-patch', surge: '2' },
    });
    expect(parseCommand('upgrade c1 to 1.33.5 to 1.34.0')).toEqual({
      ok: false,
      usage:
        '"to" is given twice; usage: @day2 upgrade CLUSTER [to VERSION|patch|next-minor] [surge N|N%] [dry-run]',
    });
  });

  it('gives a one-line usage for what it cannot read', () => {
    for (const text of [
      '',
      'stop',
      'node-image c1 bad/pool',
      'approve ../../etc',
      'status a/b',
      'x'.repeat(9_000),
    ]) {
      const r = parseCommand(text);
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.usage).toContain('usage: @day2');
        expect(r.usage).not.toContain('\n');
        expect(r.usage.length).toBeLessThan(400);
      }
    }
  });
});

describe('cluster names, roles and signatures', () => {
  const c = (name: string, rg = 'rg'): ClusterSnapshot =>
    ({
      id: `/subscriptions/s/resourceGroups/${rg}/providers/Microsoft.ContainerService/managedClusters/${name}`,
      name,
      resourceGroup: rg,
      subscriptionId: 's',
    }) as ClusterSnapshot;

  it('resolves a name exactly, by a unique start, and lists the candidates otherwise', () => {
    const fleet = [c('aks-a-01'), c('aks-a-02'), c('aks-b-01'), c('dup', 'rg1'), c('dup', 'rg2')];
    expect(resolveCluster(fleet, 'AKS-A-01')).toMatchObject({ kind: 'one', cluster: { name: 'aks-a-01' } });
    expect(resolveCluster(fleet, 'aks-b')).toMatchObject({ kind: 'one', cluster: { name: 'aks-b-01' } });
    expect(resolveCluster(fleet, 'aks-a')).toMatchObject({
      kind: 'ambiguous',
      candidates: [{ name: 'aks-a-01' }, { name: 'aks-a-02' }],
    });
    expect(resolveCluster(fleet, 'dup')).toMatchObject({
      kind: 'ambiguous',
      candidates: [{ resourceGroup: 'rg1' }, { resourceGroup: 'rg2' }],
    });
    expect(resolveCluster(fleet, 'nope')).toEqual({ kind: 'unknown' });
  });

  it('ranks roles: an approver is an operator and a reader; unknown people have none', () => {
    const settings = { chatopsRoles: { 'AB-1': 'approver' as const, r: 'reader' as const } };
    expect(roleOf(settings, 'ab-1')).toBe('approver');
    expect(hasRole('approver', 'operator')).toBe(true);
    expect(hasRole('reader', 'operator')).toBe(false);
    expect(hasRole(roleOf(settings, 'someone'), 'reader')).toBe(false);
  });

  it('accepts only the HMAC-SHA256 of the exact bytes under the decoded token', () => {
    const key = Buffer.from('c2VjcmV0LXRva2VuLWZvci10ZXN0cw==', 'base64');
    const body = Buffer.from('{"type":"message","text":"help"}');
    const good = `HMAC ${createHmac('sha256', key).update(body).digest('base64')}`;
    expect(checkTeamsSignature(body, good, key)).toBe('valid');
    expect(checkTeamsSignature(Buffer.concat([body, Buffer.from(' ')]), good, key)).toBe('mismatch');
    expect(checkTeamsSignature(body, 'HMAC AAAA', key)).toBe('mismatch');
    expect(checkTeamsSignature(body, 'Bearer x', key)).toBe('malformed');
    expect(checkTeamsSignature(body, null, key)).toBe('missing');
    expect(checkTeamsSignature(body, good, undefined)).toBe('not-configured');
  });
});
