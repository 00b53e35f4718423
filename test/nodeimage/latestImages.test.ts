import type { PoolSnapshot } from '../../shared/fleet/cluster';
import { answerFits, imageGroupKey } from '../../shared/nodeimage/latestImages';

const pool = (nodeImageVersion?: string): PoolSnapshot => ({
  name: 'system',
  count: 3,
  osType: 'Linux',
  provisioningState: 'Succeeded',
  powerState: 'Running',
  nodeImageVersion,
});

describe('grouping pools for one upgrade-profile read per (region, image family)', () => {
  it('groups by region (any case) and the family of the image the pool runs', () => {
    const a = imageGroupKey({ location: 'WestEurope' }, pool('AKSUbuntu-2204gen2containerd-202609.02.0'));
    const b = imageGroupKey({ location: 'westeurope' }, pool('AKSUbuntu-2204gen2containerd-202610.07.0'));
    expect(a).toBe('westeurope|AKSUbuntu-2204gen2containerd');
    expect(b).toBe(a);
    expect(imageGroupKey({ location: 'westeurope' }, pool('AKSAzureLinux-V2gen2-202610.07.0'))).not.toBe(a);
    expect(imageGroupKey({ location: 'eastus' }, pool('AKSUbuntu-2204gen2containerd-202609.02.0'))).not.toBe(
      a,
    );
  });

  it('leaves a pool without an image family out of every group (it is read on its own)', () => {
    expect(imageGroupKey({ location: 'westeurope' }, pool(undefined))).toBeUndefined();
    expect(imageGroupKey({ location: 'westeurope' }, pool('customimage'))).toBeUndefined();
  });

  it("takes the group's answer for a pool only when it is of the pool's family and not older than its image", () => {
    const p = pool('AKSUbuntu-2204gen2containerd-202609.16.0');
    expect(answerFits(p, 'AKSUbuntu-2204gen2containerd-202610.07.0')).toBe(true);
    expect(answerFits(p, 'AKSUbuntu-2204gen2containerd-202609.16.0')).toBe(true);
    expect(answerFits(p, 'AKSUbuntu-2204gen2containerd-202609.2.0')).toBe(false);
    expect(answerFits(p, 'AKSUbuntu-2404gen2containerd-202610.01.0')).toBe(false);
    expect(answerFits(p, undefined)).toBe(false);
  });
});
