// Log Analytics workspace, the AksDay2Ops_CL table (docs/records.md), Application Insights, and the
// Logs Ingestion path (Data Collection Endpoint + Data Collection Rule) the app writes records through.
// Grants the app's identity exactly what it needs here:
//   - Monitoring Metrics Publisher on the DCR (Logs Ingestion upload)
//   - Monitoring Metrics Publisher on Application Insights (Entra-authenticated telemetry; local auth is off)
//   - Log Analytics Reader on the workspace (pre-checks and run history queries)

param location string
param tags object
param resourceToken string
@description('Principal (object) id of the app\'s user-assigned identity.')
param principalId string
@description('Workspace default retention; the AksDay2Ops_CL table sets its own (logs/AksDay2Ops_CL.table.json).')
param retentionInDays int = 30

// Table schema and DCR stream/dataFlows come from the shared JSON (also read by the app and its tests),
// so the columns of docs/records.md have one source of truth.
var tableDef = loadJsonContent('../logs/AksDay2Ops_CL.table.json')
var dcrParts = loadJsonContent('../logs/dcr-stream.json')
// The stream the app sends (DAY2_LOGS_STREAM) is the one the DCR declares.
var logsStream = dcrParts.dataFlows[0].streams[0]
// dcr-stream.json's dataFlows name this destination.
var workspaceDestination = dcrParts.dataFlows[0].destinations[0]

var roles = {
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
  logAnalyticsReader: '73c42c96-874c-492b-b04d-ab87d138a893'
}

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: 'log-${resourceToken}'
  location: location
  tags: tags
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: retentionInDays
  }
}

resource table 'Microsoft.OperationalInsights/workspaces/tables@2022-10-01' = {
  parent: workspace
  name: tableDef.name
  properties: tableDef.properties
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: 'appi-${resourceToken}'
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    DisableLocalAuth: true
  }
}

resource dce 'Microsoft.Insights/dataCollectionEndpoints@2023-03-11' = {
  name: 'dce-${resourceToken}'
  location: location
  tags: tags
  properties: {
    networkAcls: { publicNetworkAccess: 'Enabled' }
  }
}

resource dcr 'Microsoft.Insights/dataCollectionRules@2023-03-11' = {
  name: 'dcr-aksday2-${resourceToken}'
  location: location
  tags: tags
  properties: {
    dataCollectionEndpointId: dce.id
    streamDeclarations: dcrParts.streamDeclarations
    destinations: {
      logAnalytics: [
        {
          name: workspaceDestination
          workspaceResourceId: workspace.id
        }
      ]
    }
    dataFlows: dcrParts.dataFlows
  }
  dependsOn: [ table ]
}

resource dcrPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: dcr
  name: guid(dcr.id, principalId, roles.monitoringMetricsPublisher)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

resource appInsightsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: appInsights
  name: guid(appInsights.id, principalId, roles.monitoringMetricsPublisher)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

resource workspaceReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: workspace
  name: guid(workspace.id, principalId, roles.logAnalyticsReader)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.logAnalyticsReader)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

output workspaceCustomerId string = workspace.properties.customerId
output workspaceId string = workspace.id
output appInsightsConnectionString string = appInsights.properties.ConnectionString
output logsIngestionEndpoint string = dce.properties.logsIngestion.endpoint
output dcrImmutableId string = dcr.properties.immutableId
output dcrId string = dcr.id
output logsStream string = logsStream
