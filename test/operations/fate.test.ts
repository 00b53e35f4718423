import { fateOf } from '../../shared/operations/fate';
import type { PendingOperation } from '../../shared/state/operationStore';

const cluster = {
  id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/c',
  name: 'c',
  subscriptionId: 's',
  resourceGroup: 'rg',
};
const stop: PendingOperation = {
  id: 'op',
  runId: 'r',
  job: 'power-schedule',
  action: 'stop',
  actor: 'timer',
  cluster,
  startedAt: new Date('2026-06-08T17:00:00Z'),
  stage: 'Submitting',
  intent: {
    expect: { powerState: 'Stopped' },
    during: ['Stopping'],
    before: { provisioningState: 'Succeeded', powerState: 'Running' },
  },
};

describe('the fate of an operation whose answer was lost is read from ARM, never assumed', () => {
  it('was never sent when only the lock was taken', () => {
    expect(fateOf({ ...stop, stage: 'Starting' }, { provisioningState: 'Stopping' })).toEqual({
      fate: 'not-sent',
    });
  });

  it('runs when the cluster shows the operation in progress', () => {
    expect(fateOf(stop, { provisioningState: 'Stopping', powerState: 'Running' }).fate).toBe('running');
  });

  it('was not ours when the cluster is busy with another kind of operation', () => {
    expect(fateOf(stop, { provisioningState: 'Upgrading', powerState: 'Running' }).fate).toBe('not-accepted');
  });

  it('succeeded when the cluster shows the effect it did not show before', () => {
    expect(fateOf(stop, { provisioningState: 'Succeeded', powerState: 'Stopped' })).toMatchObject({
      fate: 'ended',
      status: 'Succeeded',
    });
  });

  it('failed, with AKS error, when the cluster failed after it was seen healthy', () => {
    expect(
      fateOf(stop, { provisioningState: 'Failed', powerState: 'Running', error: 'InternalError: boom' }),
    ).toMatchObject({
      fate: 'ended',
      status: 'Failed',
      reason: expect.stringContaining('InternalError: boom') as unknown,
    });
  });

  it('was not accepted when the cluster is as it was before', () => {
    expect(fateOf(stop, { provisioningState: 'Succeeded', powerState: 'Running' }).fate).toBe('not-accepted');
  });

  it('is not counted a success when the effect was already there before', () => {
    const already = {
      ...stop,
      intent: { ...stop.intent, before: { provisioningState: 'Succeeded', powerState: 'Stopped' } },
    };
    expect(fateOf(already, { provisioningState: 'Succeeded', powerState: 'Stopped' }).fate).toBe(
      'not-accepted',
    );
  });

  describe('an upgrade: the version ARM was asked for tells whose operation runs', () => {
    const upgrade: PendingOperation = {
      ...stop,
      job: 'upgrade',
      action: 'upgrade-control-plane',
      intent: {
        expect: { kubernetesVersion: '1.33.3' },
        during: ['Upgrading', 'Updating'],
        before: { provisioningState: 'Succeeded', powerState: 'Running', kubernetesVersion: '1.33.2' },
      },
    };

    it('runs when ARM was asked for its version', () => {
      expect(
        fateOf(upgrade, {
          provisioningState: 'Upgrading',
          kubernetesVersion: '1.33.2',
          askedVersion: '1.33.3',
        }).fate,
      ).toBe('running');
    });

    it("was not accepted when ARM shows someone else's update (Updating, still asked for the old version)", () => {
      expect(
        fateOf(upgrade, {
          provisioningState: 'Updating',
          kubernetesVersion: '1.33.2',
          askedVersion: '1.33.2',
        }),
      ).toEqual({
        fate: 'not-accepted',
        reason:
          'ARM shows another operation running (provisioningState Updating, asked for 1.33.2, not 1.33.3)',
      });
    });
  });
});
