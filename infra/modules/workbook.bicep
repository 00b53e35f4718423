// Azure Monitor workbook "aks-day2" over AksDay2Ops_CL. Each panel's KQL is a file in infra/queries/
// (workbook-*.kql), run against the rows the demo produces by test/infra/workbookQueries.test.ts.

param location string
param tags object
param environmentName string
@description('Resource id of the Log Analytics workspace holding AksDay2Ops_CL.')
param workspaceId string

var thirtyDays = 2592000000
var panel = {
  version: 'KqlItem/1.0'
  size: 0
  queryType: 0
  resourceType: 'microsoft.operationalinsights/workspaces'
  timeContext: { durationMs: thirtyDays }
}

var items = [
  {
    type: 1
    name: 'intro'
    content: {
      json: '## aks-day2\nWhat the app did to the fleet, from the AksDay2Ops_CL table (one row per action or finding).'
    }
  }
  {
    type: 3
    name: 'hours-saved'
    content: union(panel, {
      title: 'Cluster hours saved by the power schedule, per cluster and week'
      query: loadTextContent('../queries/workbook-hours-saved.kql')
      visualization: 'table'
    })
  }
  {
    type: 3
    name: 'upgrade-outcomes'
    content: union(panel, {
      title: 'Upgrade and node-image outcomes over time'
      query: loadTextContent('../queries/workbook-upgrade-outcomes.kql')
      visualization: 'barchart'
    })
  }
  {
    type: 3
    name: 'fleet-status'
    content: union(panel, {
      title: 'Version support of the fleet today'
      query: loadTextContent('../queries/workbook-fleet-status.kql')
      visualization: 'tiles'
      timeContext: { durationMs: 172800000 }
    })
  }
  {
    type: 3
    name: 'fleet-versions'
    content: union(panel, {
      title: 'Clusters by support status (latest daily report)'
      query: loadTextContent('../queries/workbook-fleet-versions.kql')
      visualization: 'table'
      timeContext: { durationMs: 172800000 }
    })
  }
]

resource workbook 'Microsoft.Insights/workbooks@2023-06-01' = {
  name: guid(resourceGroup().id, 'aks-day2 workbook', environmentName)
  location: location
  tags: tags
  kind: 'shared'
  properties: {
    displayName: 'aks-day2 (${environmentName})'
    category: 'workbook'
    sourceId: workspaceId
    version: 'Notebook/1.0'
    serializedData: string({
      version: 'Notebook/1.0'
      items: items
      isLocked: false
      fallbackResourceIds: [ workspaceId ]
    })
  }
}

output workbookId string = workbook.id
