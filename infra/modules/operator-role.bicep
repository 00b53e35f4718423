// Custom role definitions for aks-day2, deployed once (into the first opted-in subscription) and
// assignable in every opted-in subscription. Actions: infra/roles/roles.json (see below).
targetScope = 'subscription'

param environmentName string
@description('Subscriptions the roles may be assigned in (the opted-in subscriptions).')
param subscriptionIds array
@description('Also define the separate, powerful run-command role.')
param enableRunCommand bool = false

// The actions are written from the code: infra/roles/roles.json, kept equal to what the product code's SDK
// calls need by test/infra/roleFromCode.test.ts (table with sources: infra/roles/sdk-operations.json).
var roleActions = loadJsonContent('../roles/roles.json')
var operatorActions = roleActions.operator
var runCommandActions = roleActions.runCommand

var assignableScopes = [for id in subscriptionIds: '/subscriptions/${id}']

resource operatorRole 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid(tenant().tenantId, 'aks-day2 operator', environmentName)
  properties: {
    roleName: 'aks-day2 operator (${environmentName})'
    description: 'aks-day2: read AKS clusters and pools, start/stop clusters, upgrade clusters, pools and node images, and the reads and linked checks those need. Nothing else.'
    type: 'CustomRole'
    permissions: [
      {
        actions: operatorActions
        notActions: []
        dataActions: []
        notDataActions: []
      }
    ]
    assignableScopes: assignableScopes
  }
}

resource runCommandRole 'Microsoft.Authorization/roleDefinitions@2022-04-01' = if (enableRunCommand) {
  name: guid(tenant().tenantId, 'aks-day2 run-command', environmentName)
  properties: {
    roleName: 'aks-day2 run-command (${environmentName})'
    description: 'aks-day2: run commands inside AKS clusters (powerful: kubectl with cluster-admin reach). Only with enableRunCommand.'
    type: 'CustomRole'
    permissions: [
      {
        actions: runCommandActions
        notActions: []
        dataActions: []
        notDataActions: []
      }
    ]
    assignableScopes: assignableScopes
  }
}

// Role definition GUIDs; callers build the id in the subscription they assign in.
output operatorRoleGuid string = operatorRole.name
output runCommandRoleGuid string = enableRunCommand ? runCommandRole.name : ''
