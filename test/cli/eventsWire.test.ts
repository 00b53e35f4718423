import { parseArgs } from '../../shared/cli/args';
import { subscriptionsFrom, targetFrom } from '../../shared/cli/commands/eventsWire';
import { Day2Error } from '../../shared/errors';

const args = (...argv: string[]) =>
  parseArgs(
    argv,
    { value: ['subscriptions', 'function-app', 'dead-letter-storage', 'dead-letter-container', 'identity'] },
    'usage',
  );
const SUB_A = '00000000-0000-0000-0000-00000000000a';
const SUB_B = '00000000-0000-0000-0000-00000000000b';

describe('events wire: where it looks and where events go', () => {
  it('wires the opted-in subscriptions azd deploys with, and only the deployed one when that list is empty', () => {
    expect(subscriptionsFrom(args(), { DAY2_SUBSCRIPTION_IDS: `["${SUB_A}","${SUB_B}"]` })).toEqual([
      SUB_A,
      SUB_B,
    ]);
    expect(subscriptionsFrom(args(), { DAY2_SUBSCRIPTION_IDS: '[]', AZURE_SUBSCRIPTION_ID: SUB_B })).toEqual([
      SUB_B,
    ]);
    expect(subscriptionsFrom(args(`--subscriptions=${SUB_A}`), { AZURE_SUBSCRIPTION_ID: SUB_B })).toEqual([
      SUB_A,
    ]);
    expect(subscriptionsFrom(args(), { DAY2_SUBSCRIPTIONS: `${SUB_A}, ${SUB_B}` })).toEqual([SUB_A, SUB_B]);
    expect(() => subscriptionsFrom(args(), { DAY2_SUBSCRIPTION_IDS: SUB_A })).toThrow(Day2Error);
  });

  it('takes the deployment outputs from the environment, the flags winning, and names what is missing', () => {
    const env = {
      AZURE_FUNCTION_APP_ID: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/func-a',
      DAY2_EVENTS_DEADLETTER_STORAGE_ID:
        '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st',
      DAY2_EVENTS_DEADLETTER_CONTAINER: 'aks-events-deadletter',
      DAY2_EVENTS_IDENTITY_ID:
        '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id',
    };
    expect(targetFrom(args('--dead-letter-container', 'other'), env)).toEqual({
      functionResourceId: `${env.AZURE_FUNCTION_APP_ID}/functions/aksEvents`,
      deadLetterStorageId: env.DAY2_EVENTS_DEADLETTER_STORAGE_ID,
      deadLetterContainer: 'other',
      identityId: env.DAY2_EVENTS_IDENTITY_ID,
    });
    expect(() => targetFrom(args(), { ...env, DAY2_EVENTS_IDENTITY_ID: '' })).toThrow(
      /--identity or DAY2_EVENTS_IDENTITY_ID is required/,
    );
  });
});
