// Storage account (host storage + the app's state/queues/outbox + the Flex deployment container + the
// Event Grid dead-letter container) with shared-key access OFF: everything reaches it with Entra
// identities. The app's identity holds the Blob, Queue and Table data roles on the account (what the
// Functions host and the app's tables need, as the official Flex Consumption samples grant).
// Key Vault holds the only secrets of the deployment (the Teams webhook URL and outgoing secret); the
// app's identity may read each secret it references (Key Vault Secrets User on the secret).

param location string
param tags object
param resourceToken string
param principalId string
param deploymentContainerName string
param deadLetterContainerName string
@description('Days dead-lettered Event Grid events are kept (DAY2_RETENTION_DAYS).')
param retentionDays int

@secure()
param teamsWebhookUrl string
@secure()
param teamsOutgoingSecret string

var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: 'st${resourceToken}'
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
    // No account keys: the host and the app use AzureWebJobsStorage__* with the managed identity.
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    publicNetworkAccess: 'Enabled'
    networkAcls: { defaultAction: 'Allow', bypass: 'AzureServices' }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: deploymentContainerName
  properties: { publicAccess: 'None' }
}

resource deadLetterContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: deadLetterContainerName
  properties: { publicAccess: 'None' }
}

// Retention of the dead-letter container: blobs older than DAY2_RETENTION_DAYS are deleted.
resource lifecycle 'Microsoft.Storage/storageAccounts/managementPolicies@2023-05-01' = {
  parent: storage
  name: 'default'
  properties: {
    policy: {
      rules: [
        {
          name: 'expire-dead-lettered-events'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: { blobTypes: [ 'blockBlob' ], prefixMatch: [ '${deadLetterContainerName}/' ] }
            actions: { baseBlob: { delete: { daysAfterModificationGreaterThan: retentionDays } } }
          }
        }
      ]
    }
  }
}

resource queueContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: storage
  name: guid(storage.id, principalId, roles.storageQueueDataContributor)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageQueueDataContributor)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

resource tableContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: storage
  name: guid(storage.id, principalId, roles.storageTableDataContributor)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageTableDataContributor)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

resource blobOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: storage
  name: guid(storage.id, principalId, roles.storageBlobDataOwner)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataOwner)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: 'kv-${resourceToken}'
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
    publicNetworkAccess: 'Enabled'
  }
}

resource teamsWebhookSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(teamsWebhookUrl)) {
  parent: vault
  name: 'day2-teams-webhook-url'
  properties: {
    value: teamsWebhookUrl
    contentType: 'Teams Workflows webhook URL (carries a sig= token)'
  }
}

resource teamsOutgoingSecretSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(teamsOutgoingSecret)) {
  parent: vault
  name: 'day2-teams-outgoing-secret'
  properties: {
    value: teamsOutgoingSecret
    contentType: 'Teams outgoing webhook security token (base64)'
  }
}

resource teamsWebhookSecretReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(teamsWebhookUrl)) {
  scope: teamsWebhookSecret
  name: guid(teamsWebhookSecret.id, principalId, roles.keyVaultSecretsUser)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsUser)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

resource teamsOutgoingSecretReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(teamsOutgoingSecret)) {
  scope: teamsOutgoingSecretSecret
  name: guid(teamsOutgoingSecretSecret.id, principalId, roles.keyVaultSecretsUser)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsUser)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

output storageAccountName string = storage.name
output storageAccountId string = storage.id
output deadLetterContainerName string = deadLetterContainer.name
output blobEndpoint string = storage.properties.primaryEndpoints.blob
output queueEndpoint string = storage.properties.primaryEndpoints.queue
output tableEndpoint string = storage.properties.primaryEndpoints.table
// Versionless URIs: the reference follows the latest version after a rotation (App Service re-resolves
// within 24 h, or at once on a restart / config change).
output teamsWebhookSecretUri string = !empty(teamsWebhookUrl) ? teamsWebhookSecret.properties.secretUri : ''
output teamsOutgoingSecretUri string = !empty(teamsOutgoingSecret) ? teamsOutgoingSecretSecret.properties.secretUri : ''
