// The Flex Consumption plan and the Function App (Node 22) running as the user-assigned identity.
// siteConfig.appSettings below is the contract with shared/config/settings.ts (SETTING_NAMES), checked
// by test/infra/appSettings.test.ts: one entry per setting, `name: '<SETTING>'`.
//
// Not set on purpose (Flex Consumption deprecations): FUNCTIONS_WORKER_RUNTIME (functionAppConfig.runtime),
// FUNCTIONS_EXTENSION_VERSION (managed by the platform), WEBSITE_RUN_FROM_PACKAGE, WEBSITE_CONTENT*,
// WEBSITE_NODE_DEFAULT_VERSION, WEBSITE_TIME_ZONE / TZ (not supported; zones are evaluated in code).
// Not set because they are local-simulator only: DAY2_AUTH (defaults to "default"), DAY2_LOCAL_CA_CERT.

param location string
param tags object
param resourceToken string
param identityId string
param identityClientId string
param blobEndpoint string
param queueEndpoint string
param tableEndpoint string
param deploymentContainerName string
param maximumInstanceCount int = 40
@allowed([ 512, 2048, 4096 ])
param instanceMemoryMB int = 2048

// Setting values, resolved by main.bicep.
param subscriptions string
param armEndpoint string
param dryRun string
param teamsWebhookUrlRef string
param teamsOutgoingSecretRef string
param logsEndpoint string
param logsRuleId string
param logsStream string
param logsWorkspaceId string
param chatopsRoles string
param defaultTimezone string
param catchupMinutes string
param maintenanceWindow string
param supportWarnDays string
param ringSoakHours string
param powerCron string
param nodeImageCron string
param versionCron string
param sweepCron string
param upgradeCron string
param housekeepingCron string
param upgradeUnsupported string
param retentionDays string
param deliveryRetryHours string
param teamsRoutine string
param listingMaxAgeSeconds string
param discovery string
param appInsightsConnectionString string

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: 'plan-${resourceToken}'
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true
  }
}

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: 'func-aksday2-${resourceToken}'
  location: location
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    // Key Vault references resolve with the user-assigned identity (there is no system-assigned one).
    keyVaultReferenceIdentity: identityId
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${blobEndpoint}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'node'
        version: '22'
      }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      appSettings: [
        // --- aks-day2 settings (docs/settings.md) ---
        { name: 'DAY2_SUBSCRIPTIONS', value: subscriptions }
        { name: 'DAY2_ARM_ENDPOINT', value: armEndpoint }
        { name: 'DAY2_DRY_RUN', value: dryRun }
        { name: 'DAY2_TEAMS_WEBHOOK_URL', value: teamsWebhookUrlRef }
        { name: 'DAY2_TEAMS_OUTGOING_SECRET', value: teamsOutgoingSecretRef }
        { name: 'DAY2_LOGS_ENDPOINT', value: logsEndpoint }
        { name: 'DAY2_LOGS_RULE_ID', value: logsRuleId }
        { name: 'DAY2_LOGS_STREAM', value: logsStream }
        { name: 'DAY2_LOGS_WORKSPACE_ID', value: logsWorkspaceId }
        { name: 'DAY2_CHATOPS_ROLES', value: chatopsRoles }
        { name: 'DAY2_DEFAULT_TIMEZONE', value: defaultTimezone }
        { name: 'DAY2_CATCHUP_MINUTES', value: catchupMinutes }
        { name: 'DAY2_MAINTENANCE_WINDOW', value: maintenanceWindow }
        { name: 'DAY2_SUPPORT_WARN_DAYS', value: supportWarnDays }
        { name: 'DAY2_RING_SOAK_HOURS', value: ringSoakHours }
        { name: 'DAY2_POWER_CRON', value: powerCron }
        { name: 'DAY2_NODE_IMAGE_CRON', value: nodeImageCron }
        { name: 'DAY2_VERSION_CRON', value: versionCron }
        { name: 'DAY2_SWEEP_CRON', value: sweepCron }
        { name: 'DAY2_UPGRADE_CRON', value: upgradeCron }
        { name: 'DAY2_HOUSEKEEPING_CRON', value: housekeepingCron }
        { name: 'DAY2_UPGRADE_UNSUPPORTED', value: upgradeUnsupported }
        { name: 'DAY2_RETENTION_DAYS', value: retentionDays }
        { name: 'DAY2_DELIVERY_RETRY_HOURS', value: deliveryRetryHours }
        { name: 'DAY2_TEAMS_ROUTINE', value: teamsRoutine }
        { name: 'DAY2_LISTING_MAX_AGE_SECONDS', value: listingMaxAgeSeconds }
        // Host storage AND the app's state store, identity-based (no account key; the account refuses
        // shared keys). The host reads all of them; the app's tables read __tableServiceUri + __clientId.
        { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
        { name: 'AzureWebJobsStorage__clientId', value: identityClientId }
        { name: 'AzureWebJobsStorage__blobServiceUri', value: blobEndpoint }
        { name: 'AzureWebJobsStorage__queueServiceUri', value: queueEndpoint }
        { name: 'AzureWebJobsStorage__tableServiceUri', value: tableEndpoint }
        { name: 'DAY2_DISCOVERY', value: discovery }
        // --- host / platform settings ---
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: appInsightsConnectionString }
        { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'ClientId=${identityClientId};Authorization=AAD' }
        // DefaultAzureCredential picks the user-assigned identity by this client id.
        { name: 'AZURE_CLIENT_ID', value: identityClientId }
      ]
    }
  }
}

output name string = site.name
output id string = site.id
output defaultHostName string = site.properties.defaultHostName
