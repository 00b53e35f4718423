// Storage account (host storage + the app's state/queues/outbox + the Flex deployment container) and a
// Key Vault holding the only secrets of the deployment. The app's identity may read each secret it
// references (Key Vault Secrets User on the secret, not on the vault) and may read/write blobs
// (Storage Blob Data Owner on the account: Flex Consumption reads the deployment package with it).

param location string
param tags object
param resourceToken string
param principalId string
param deploymentContainerName string

@secure()
param teamsWebhookUrl string
@secure()
param teamsOutgoingSecret string

var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
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
    // Shared key stays enabled only because the app's loadSettings reads AzureWebJobsStorage as a
    // connection string (see infra/README.md, "Storage connection"). Turn it off once the app accepts
    // the identity-based AzureWebJobsStorage__* form.
    allowSharedKeyAccess: true
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

resource storageSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'AzureWebJobsStorage'
  properties: {
    value: 'DefaultEndpointsProtocol=https;AccountName=${storage.name};AccountKey=${storage.listKeys().keys[0].value};EndpointSuffix=${environment().suffixes.storage}'
    contentType: 'storage connection string'
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

resource storageSecretReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: storageSecret
  name: guid(storageSecret.id, principalId, roles.keyVaultSecretsUser)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsUser)
    principalId: principalId
    principalType: 'ServicePrincipal'
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
output blobEndpoint string = storage.properties.primaryEndpoints.blob
// Versionless URIs: the reference follows the latest version after a rotation (App Service re-resolves
// within 24 h, or at once on a restart / config change).
output storageSecretUri string = storageSecret.properties.secretUri
output teamsWebhookSecretUri string = !empty(teamsWebhookUrl) ? teamsWebhookSecret.properties.secretUri : ''
output teamsOutgoingSecretUri string = !empty(teamsOutgoingSecret) ? teamsOutgoingSecretSecret.properties.secretUri : ''
