// aks-day2: one Flex Consumption Function App per tenant, its storage, Key Vault, monitoring and the
// Logs Ingestion path, alerts and a workbook over AksDay2Ops_CL, the Event Grid dead-letter container
// and identity, plus the custom "aks-day2 operator" role assigned in each opted-in subscription.
// Deploy with `azd up`, or `az deployment sub create` (infra/README.md). The per-cluster Event Grid
// system topics are created after the code is deployed, by `aks-day2 events wire` (azure.yaml hook).
targetScope = 'subscription'

@minLength(1)
@maxLength(40)
@description('Environment name (azd): names the resource group and seeds resource names.')
param environmentName string

@minLength(1)
@description('Region of the resource group and every resource. Only regions that offer Flex Consumption (az functionapp list-flexconsumption-locations).')
@allowed([
  'australiaeast'
  'australiasoutheast'
  'brazilsouth'
  'canadacentral'
  'centralindia'
  'centralus'
  'eastasia'
  'eastus'
  'eastus2'
  'eastus2euap'
  'francecentral'
  'germanywestcentral'
  'italynorth'
  'japaneast'
  'koreacentral'
  'northcentralus'
  'northeurope'
  'norwayeast'
  'southafricanorth'
  'southcentralus'
  'southeastasia'
  'southindia'
  'spaincentral'
  'swedencentral'
  'uaenorth'
  'uksouth'
  'ukwest'
  'westcentralus'
  'westeurope'
  'westus'
  'westus2'
  'westus3'
])
@metadata({ azd: { type: 'location' } })
param location string

@description('Resource group to create; default rg-<environmentName>.')
param resourceGroupName string = ''

@description('Opted-in subscriptions (ids): the operator role is assigned in each, and DAY2_SUBSCRIPTIONS lists them. Empty: only the subscription deployed to. Keep the first entry stable: the custom role definitions live there.')
param subscriptionIds array = []

@description('Also create and assign the separate run-command role (managedClusters/runCommand/action). Off unless a job needs it.')
param enableRunCommand bool = false

@minLength(3)
@description('E-mail address the alerts go to (action group): any Failed outcome, a dead-lettered notification, no power-schedule run for 30 minutes.')
param alertEmail string

// ---- user-provided settings (docs/settings.md). `@metadata({ appSetting })` ties a parameter to the setting
// it feeds; test/infra/appSettings.test.ts checks each default against SETTING_DEFAULTS. ----

@metadata({ appSetting: 'DAY2_ARM_ENDPOINT' })
@description('ARM base URL. Public Azure by default; set it for sovereign clouds.')
param armEndpoint string = 'https://management.azure.com'

@metadata({ appSetting: 'DAY2_DRY_RUN' })
@description('Start in dry-run: every job plans and reports, nothing is changed. The app itself defaults to false; a first deployment should watch a day of plans first. Set false to act.')
param dryRun bool = true

@metadata({ appSetting: 'DAY2_TEAMS_WEBHOOK_URL' })
@secure()
@description('Teams Workflows webhook URL (it carries a sig= token, so it is a secret). Stored in Key Vault. Empty: no Teams cards.')
param teamsWebhookUrl string = ''

@metadata({ appSetting: 'DAY2_TEAMS_OUTGOING_SECRET' })
@secure()
@description('Base64 security token of the Teams outgoing webhook (ChatOps HMAC). Stored in Key Vault. Empty: ChatOps rejects every call.')
param teamsOutgoingSecret string = ''

@metadata({ appSetting: 'DAY2_CHATOPS_ROLES' })
@description('Entra object id -> reader | operator | approver.')
param chatopsRoles object = {}

@metadata({ appSetting: 'DAY2_DEFAULT_TIMEZONE' })
@description('IANA zone for clusters without a day2-timezone tag.')
param defaultTimezone string = 'UTC'

@metadata({ appSetting: 'DAY2_CATCHUP_MINUTES' })
@minValue(0)
@maxValue(1440)
param catchupMinutes int = 30

@metadata({ appSetting: 'DAY2_MAINTENANCE_WINDOW' })
@description('Upgrade window for clusters without an AKS maintenance configuration. Empty: none.')
param maintenanceWindow string = ''

@metadata({ appSetting: 'DAY2_SUPPORT_WARN_DAYS' })
@minValue(1)
@maxValue(730)
param supportWarnDays int = 60

@metadata({ appSetting: 'DAY2_RING_SOAK_HOURS' })
@minValue(0)
@maxValue(720)
param ringSoakHours int = 24

@metadata({ appSetting: 'DAY2_POWER_CRON' })
param powerCron string = '0 */5 * * * *'

@metadata({ appSetting: 'DAY2_NODE_IMAGE_CRON' })
param nodeImageCron string = '0 0 * * * *'

@metadata({ appSetting: 'DAY2_VERSION_CRON' })
param versionCron string = '0 0 6 * * *'

@metadata({ appSetting: 'DAY2_SWEEP_CRON' })
param sweepCron string = '0 * * * * *'

@metadata({ appSetting: 'DAY2_UPGRADE_CRON' })
param upgradeCron string = '0 30 * * * *'

@metadata({ appSetting: 'DAY2_HOUSEKEEPING_CRON' })
param housekeepingCron string = '0 15 3 * * *'

@metadata({ appSetting: 'DAY2_UPGRADE_UNSUPPORTED' })
@allowed([ 'notify', 'patch', 'minor' ])
param upgradeUnsupported string = 'notify'

@metadata({ appSetting: 'DAY2_RETENTION_DAYS' })
@minValue(7)
@maxValue(3650)
param retentionDays int = 90

@metadata({ appSetting: 'DAY2_DELIVERY_RETRY_HOURS' })
@minValue(1)
@maxValue(720)
param deliveryRetryHours int = 24

@metadata({ appSetting: 'DAY2_TEAMS_ROUTINE' })
@allowed([ 'digest', 'each' ])
param teamsRoutine string = 'digest'

@metadata({ appSetting: 'DAY2_LISTING_MAX_AGE_SECONDS' })
@minValue(0)
@maxValue(600)
param listingMaxAgeSeconds int = 30

@metadata({ appSetting: 'DAY2_DISCOVERY' })
@description('resource-graph: one Azure Resource Graph query finds every cluster (falls back to ARM per subscription); arm: ARM listing only')
@allowed([ 'resource-graph', 'arm' ])
param discovery string = 'resource-graph'

var targetSubscriptionIds = empty(subscriptionIds) ? [ subscription().subscriptionId ] : subscriptionIds
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName, app: 'aks-day2' }
var deploymentContainerName = 'app-package-${resourceToken}'
var deadLetterContainerName = 'aks-events-deadletter'

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: !empty(resourceGroupName) ? resourceGroupName : 'rg-${environmentName}'
  location: location
  tags: tags
}

module identity 'modules/identity.bicep' = {
  name: 'aksday2-identity'
  scope: rg
  params: {
    location: location
    tags: tags
    resourceToken: resourceToken
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'aksday2-monitoring'
  scope: rg
  params: {
    location: location
    tags: tags
    resourceToken: resourceToken
    principalId: identity.outputs.principalId
  }
}

module storage 'modules/storage-keyvault.bicep' = {
  name: 'aksday2-storage'
  scope: rg
  params: {
    location: location
    tags: tags
    resourceToken: resourceToken
    principalId: identity.outputs.principalId
    deploymentContainerName: deploymentContainerName
    deadLetterContainerName: deadLetterContainerName
    retentionDays: retentionDays
    teamsWebhookUrl: teamsWebhookUrl
    teamsOutgoingSecret: teamsOutgoingSecret
  }
}

module app 'modules/functionapp.bicep' = {
  name: 'aksday2-app'
  scope: rg
  params: {
    location: location
    tags: tags
    resourceToken: resourceToken
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    blobEndpoint: storage.outputs.blobEndpoint
    queueEndpoint: storage.outputs.queueEndpoint
    tableEndpoint: storage.outputs.tableEndpoint
    deploymentContainerName: deploymentContainerName
    subscriptions: join(targetSubscriptionIds, ',')
    armEndpoint: armEndpoint
    // string(bool) would give "True"; the app expects exactly "true" | "false".
    dryRun: dryRun ? 'true' : 'false'
    teamsWebhookUrlRef: empty(teamsWebhookUrl) ? '' : '@Microsoft.KeyVault(SecretUri=${storage.outputs.teamsWebhookSecretUri})'
    teamsOutgoingSecretRef: empty(teamsOutgoingSecret) ? '' : '@Microsoft.KeyVault(SecretUri=${storage.outputs.teamsOutgoingSecretUri})'
    logsEndpoint: monitoring.outputs.logsIngestionEndpoint
    logsRuleId: monitoring.outputs.dcrImmutableId
    // DAY2_LOGS_STREAM: the stream infra/logs/dcr-stream.json declares (no parameter: it must match the DCR).
    logsStream: monitoring.outputs.logsStream
    logsWorkspaceId: monitoring.outputs.workspaceCustomerId
    chatopsRoles: empty(chatopsRoles) ? '' : string(chatopsRoles)
    defaultTimezone: defaultTimezone
    catchupMinutes: string(catchupMinutes)
    maintenanceWindow: maintenanceWindow
    supportWarnDays: string(supportWarnDays)
    ringSoakHours: string(ringSoakHours)
    powerCron: powerCron
    nodeImageCron: nodeImageCron
    versionCron: versionCron
    upgradeCron: upgradeCron
    housekeepingCron: housekeepingCron
    upgradeUnsupported: upgradeUnsupported
    retentionDays: string(retentionDays)
    deliveryRetryHours: string(deliveryRetryHours)
    teamsRoutine: teamsRoutine
    listingMaxAgeSeconds: string(listingMaxAgeSeconds)
    discovery: discovery
    sweepCron: sweepCron
    appInsightsConnectionString: monitoring.outputs.appInsightsConnectionString
  }
  // No explicit dependsOn: the outputs used above make this module wait for the whole storage and
  // monitoring deployments, including their role assignments (Key Vault secrets, storage data roles).
}

// Event Grid: the identity system topics dead-letter with, and its write access to the container.
module events 'modules/events.bicep' = {
  name: 'aksday2-events'
  scope: rg
  params: {
    location: location
    tags: tags
    resourceToken: resourceToken
    storageAccountName: storage.outputs.storageAccountName
    deadLetterContainerName: storage.outputs.deadLetterContainerName
  }
}

// Alerts on AksDay2Ops_CL to an action group that e-mails alertEmail.
module alerts 'modules/alerts.bicep' = {
  name: 'aksday2-alerts'
  scope: rg
  params: {
    location: location
    tags: tags
    resourceToken: resourceToken
    workspaceId: monitoring.outputs.workspaceId
    alertEmail: alertEmail
  }
}

// Azure Monitor workbook over AksDay2Ops_CL (queries in infra/workbook/, tested in test/infra/).
module workbook 'modules/workbook.bicep' = {
  name: 'aksday2-workbook'
  scope: rg
  params: {
    location: location
    tags: tags
    environmentName: environmentName
    workspaceId: monitoring.outputs.workspaceId
  }
}

// Custom role(s): defined once, in the first opted-in subscription, assignable in all of them.
module operatorRole 'modules/operator-role.bicep' = {
  name: 'aksday2-operator-role-${resourceToken}'
  scope: subscription(targetSubscriptionIds[0])
  params: {
    environmentName: environmentName
    subscriptionIds: targetSubscriptionIds
    enableRunCommand: enableRunCommand
  }
}

// One subscription-scoped deployment per opted-in subscription.
module operatorAssignments 'modules/operator-assignment.bicep' = [for subscriptionId in targetSubscriptionIds: {
  name: 'aksday2-operator-${take(uniqueString(subscriptionId, resourceToken), 13)}'
  scope: subscription(subscriptionId)
  params: {
    principalId: identity.outputs.principalId
    operatorRoleGuid: operatorRole.outputs.operatorRoleGuid
    runCommandRoleGuid: operatorRole.outputs.runCommandRoleGuid
  }
}]

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = app.outputs.name
output SERVICE_API_NAME string = app.outputs.name
output DAY2_LOGS_RULE_ID string = monitoring.outputs.dcrImmutableId
output DAY2_LOGS_ENDPOINT string = monitoring.outputs.logsIngestionEndpoint
output DAY2_LOGS_WORKSPACE_ID string = monitoring.outputs.workspaceCustomerId
output AZURE_CLIENT_ID string = identity.outputs.clientId
// Read by `aks-day2 events wire` (the postdeploy hook, or by hand after `azd env get-values`).
output AZURE_FUNCTION_APP_ID string = app.outputs.id
output DAY2_EVENTS_DEADLETTER_STORAGE_ID string = storage.outputs.storageAccountId
output DAY2_EVENTS_DEADLETTER_CONTAINER string = storage.outputs.deadLetterContainerName
output DAY2_EVENTS_IDENTITY_ID string = events.outputs.identityId
