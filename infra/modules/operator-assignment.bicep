// Assigns the aks-day2 custom role(s) to the app's identity in one opted-in subscription.
// Deployed once per entry of subscriptionIds (main.bicep), scoped to that subscription.
targetScope = 'subscription'

param principalId string
param operatorRoleGuid string
@description('Empty unless enableRunCommand is true.')
param runCommandRoleGuid string = ''

var operatorRoleId = subscriptionResourceId('Microsoft.Authorization/roleDefinitions', operatorRoleGuid)
var runCommandRoleId = subscriptionResourceId('Microsoft.Authorization/roleDefinitions', empty(runCommandRoleGuid) ? operatorRoleGuid : runCommandRoleGuid)

resource operator 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(subscription().id, principalId, operatorRoleId)
  properties: {
    roleDefinitionId: operatorRoleId
    principalId: principalId
    principalType: 'ServicePrincipal'
    description: 'aks-day2 operator'
  }
}

resource runCommand 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(runCommandRoleGuid)) {
  name: guid(subscription().id, principalId, runCommandRoleId)
  properties: {
    roleDefinitionId: runCommandRoleId
    principalId: principalId
    principalType: 'ServicePrincipal'
    description: 'aks-day2 run-command (enableRunCommand)'
  }
}
