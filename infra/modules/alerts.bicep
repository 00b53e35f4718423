// Log search alerts on AksDay2Ops_CL, to one action group that e-mails the platform team (alertEmail).
// Queries: infra/queries/alert-*.kql (run against demo rows by test/infra/workbookQueries.test.ts).
//   - any Failed outcome (a stop/start/upgrade AKS refused or that failed, a run that did not finish)
//   - a dead-lettered notification (the outbox parked a Teams card or rows after retrying)
//   - no power-schedule run for 30 minutes: runs that change nothing write no row, so the query also
//     counts the powerSchedule invocations the Functions host logs to the same workspace (AppRequests)

param location string
param tags object
param resourceToken string
@description('Resource id of the Log Analytics workspace holding AksDay2Ops_CL.')
param workspaceId string
param alertEmail string

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: 'ag-aksday2-${resourceToken}'
  location: 'Global'
  tags: tags
  properties: {
    groupShortName: 'aksday2'
    enabled: true
    emailReceivers: [
      {
        name: 'platform-team'
        emailAddress: alertEmail
        useCommonAlertSchema: true
      }
    ]
  }
}

var rules = [
  {
    name: 'failed-outcome'
    displayName: 'aks-day2: an action failed'
    description: 'A row of AksDay2Ops_CL with Outcome Failed (not counting dead-letter notices, alerted apart).'
    severity: 2
    query: loadTextContent('../queries/alert-failed.kql')
    windowSize: 'PT15M'
    evaluationFrequency: 'PT15M'
    timeAggregation: 'Count'
    metricMeasureColumn: ''
    operator: 'GreaterThan'
    threshold: 0
  }
  {
    name: 'dead-letter'
    displayName: 'aks-day2: a notification was dead-lettered'
    description: 'The outbox parked a Teams card or Log Analytics rows after its retry window (DAY2_DELIVERY_RETRY_HOURS).'
    severity: 2
    query: loadTextContent('../queries/alert-dead-letter.kql')
    windowSize: 'PT15M'
    evaluationFrequency: 'PT15M'
    timeAggregation: 'Count'
    metricMeasureColumn: ''
    operator: 'GreaterThan'
    threshold: 0
  }
  {
    name: 'power-schedule-silent'
    displayName: 'aks-day2: no power-schedule run for 30 minutes'
    description: 'The powerSchedule timer (every 5 minutes by default) has not run for 30 minutes: clusters will not stop or start.'
    severity: 1
    query: loadTextContent('../queries/alert-power-schedule-silent.kql')
    windowSize: 'PT30M'
    evaluationFrequency: 'PT10M'
    timeAggregation: 'Total'
    metricMeasureColumn: 'Runs'
    operator: 'LessThan'
    threshold: 1
  }
]

resource alertRules 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = [for r in rules: {
  name: 'aksday2-${r.name}-${resourceToken}'
  location: location
  tags: tags
  kind: 'LogAlert'
  properties: {
    displayName: r.displayName
    description: r.description
    severity: r.severity
    enabled: true
    scopes: [ workspaceId ]
    evaluationFrequency: r.evaluationFrequency
    windowSize: r.windowSize
    criteria: {
      allOf: [
        union(
          {
            query: r.query
            timeAggregation: r.timeAggregation
            operator: r.operator
            threshold: r.threshold
            failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 }
          },
          empty(r.metricMeasureColumn) ? {} : { metricMeasureColumn: r.metricMeasureColumn }
        )
      ]
    }
    autoMitigate: true
    actions: {
      actionGroups: [ actionGroup.id ]
    }
  }
}]

output actionGroupId string = actionGroup.id
