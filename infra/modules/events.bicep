// Event Grid side of the deployment. The per-cluster system topics and their `aks-day2` subscriptions
// are NOT created here: a system topic's source is one managed cluster, clusters come and go, and the
// subscription needs the deployed aksEvents function. `aks-day2 events wire` creates them (the azd
// postdeploy hook runs it; run it again when a cluster is tagged later). This module creates what those
// subscriptions use: the identity a system topic writes dead letters with, and its access to the
// dead-letter container (Storage Blob Data Contributor on that container only).

param location string
param tags object
param resourceToken string
param storageAccountName string
param deadLetterContainerName string

var storageBlobDataContributor = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-aksday2-events-${resourceToken}'
  location: location
  tags: tags
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' existing = {
  parent: storage
  name: 'default'
}

resource container 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' existing = {
  parent: blobService
  name: deadLetterContainerName
}

resource deadLetterWriter 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: container
  name: guid(container.id, identity.id, storageBlobDataContributor)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataContributor)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

output identityId string = identity.id
