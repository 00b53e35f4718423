import { httpFunction } from '../shared/host/registry';
import { apiHandler } from '../shared/upgradesHttp/apiHandler';
import {
  approveUpgrade,
  cancelUpgrade,
  getOpenApi,
  getUpgrade,
  listUpgrades,
  postUpgrade,
} from '../shared/upgradesHttp/routes';

/**
 * `upgradesApi` on-demand upgrades over HTTP. The handlers accept, check and enqueue;
 * `commandWorker` carries the change out. Function key, and app roles when App Service authentication is on.
 */
export const upgradesApi = {
  requestOrList: apiHandler('upgrades', { in: 'body', field: 'cluster' }, (call) =>
    call.req.method === 'POST' ? postUpgrade(call) : listUpgrades(call),
  ),
  get: apiHandler('upgrades/{id}', { in: 'path', field: 'id' }, getUpgrade),
  cancel: apiHandler('upgrades/{id}/cancel', { in: 'path', field: 'id' }, cancelUpgrade),
  approve: apiHandler('upgrades/{id}/approve', { in: 'path', field: 'id' }, approveUpgrade),
  openApi: apiHandler('openapi.json', { in: 'path', field: 'path' }, getOpenApi),
};

httpFunction({
  name: 'upgradesApi',
  methods: ['GET', 'POST'],
  route: 'upgrades',
  authLevel: 'function',
  handler: upgradesApi.requestOrList,
});
httpFunction({
  name: 'upgradesApiRun',
  methods: ['GET'],
  route: 'upgrades/{id}',
  authLevel: 'function',
  handler: upgradesApi.get,
});
httpFunction({
  name: 'upgradesApiCancel',
  methods: ['POST'],
  route: 'upgrades/{id}/cancel',
  authLevel: 'function',
  handler: upgradesApi.cancel,
});
httpFunction({
  name: 'upgradesApiApprove',
  methods: ['POST'],
  route: 'upgrades/{id}/approve',
  authLevel: 'function',
  handler: upgradesApi.approve,
});
httpFunction({
  name: 'upgradesApiOpenApi',
  methods: ['GET'],
  route: 'openapi.json',
  authLevel: 'function',
  handler: upgradesApi.openApi,
});
