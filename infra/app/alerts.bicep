// Alerts and a workbook for operators (docs/operations.md is the runbook for each alert). Metric names
// and dimensions are the ones functions/Coexistence.Domain/Telemetry/CoexistenceTelemetry.cs emits
// (OpenTelemetry -> Azure Monitor: customMetrics, dimensions in customDimensions); the function names
// are the classes in functions/Coexistence.Functions. Checked by tests/Coexistence.Tests/Infra.
param location string
param tags object
param applicationInsightsName string
param serviceBusNamespaceName string
param functionAppName string

@description('Email address the alerts notify; empty for no action group (alerts still fire and show in the portal).')
param alertEmail string = ''

@description('Minutes without a new history chunk, before progress 100, after which a history sync counts as stalled.')
@minValue(15)
param historyStallMinutes int = 360

@description('Fan-out latency (seconds from receipt at the door to rows written) above which the latency alert fires.')
@minValue(1)
param fanOutLatencyThresholdSeconds int = 300

@description('Percentage of webhook POSTs answered with 5xx, over 15 minutes, above which the door alert fires.')
@minValue(1)
@maxValue(100)
param door5xxPercentThreshold int = 5

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource serviceBus 'Microsoft.ServiceBus/namespaces@2024-01-01' existing = {
  name: serviceBusNamespaceName
}

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = if (!empty(alertEmail)) {
  name: 'ag-${functionAppName}'
  location: 'global'
  tags: tags
  properties: {
    groupShortName: 'coexist'
    enabled: true
    emailReceivers: [
      {
        name: 'operators'
        emailAddress: alertEmail
        useCommonAlertSchema: true
      }
    ]
  }
}

var actionGroups = empty(alertEmail) ? [] : [actionGroup.id]

// Dead-lettered messages in any of the three Service Bus queues (EntityName split: one alert per queue).
resource deadLetterAlert 'Microsoft.Insights/metricAlerts@2018-03-01' = {
  name: 'alert-deadletters-${functionAppName}'
  location: 'global'
  tags: tags
  properties: {
    description: 'Messages in a Service Bus dead-letter queue. Runbook: docs/operations.md#dead-lettered-messages'
    severity: 2
    enabled: true
    scopes: [serviceBus.id]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    autoMitigate: true
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          criterionType: 'StaticThresholdCriterion'
          name: 'deadLettered'
          metricNamespace: 'Microsoft.ServiceBus/namespaces'
          metricName: 'DeadletteredMessages'
          dimensions: [
            {
              name: 'EntityName'
              operator: 'Include'
              values: ['*']
            }
          ]
          operator: 'GreaterThan'
          threshold: 0
          timeAggregation: 'Maximum'
        }
      ]
    }
    actions: [for id in actionGroups: { actionGroupId: id }]
  }
}

var door5xxQuery = '''
requests
| where operation_Name == 'ReceiveWebhook'
| summarize total = count(), failed = countif(toint(resultCode) >= 500)
| extend failedPercent = iff(total == 0, 0.0, 100.0 * failed / total)
| project failedPercent
'''

var rejectedQuery = '''
customMetrics
| where name == 'coexistence.changes.processed' and tostring(customDimensions['coexistence.outcome']) == 'rejected'
| extend kind = tostring(customDimensions['coexistence.kind']), reason = tostring(customDimensions['coexistence.reason'])
| summarize rejected = sum(valueSum) by kind, reason
'''

var stalledQuery = '''
customMetrics
| where timestamp > ago(7d) and name == 'coexistence.history.progress'
| extend phoneNumberId = tostring(customDimensions['coexistence.phone_number_id'])
| summarize lastReport = max(timestamp), progress = max(value) by phoneNumberId
| where progress < 100 and lastReport < ago({0}m)
'''

var latencyQuery = '''
customMetrics
| where name == 'coexistence.fanout.latency'
| extend kind = tostring(customDimensions['coexistence.kind'])
| summarize maxSeconds = max(valueMax) by kind
'''

resource door5xxAlert 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: 'alert-door-5xx-${functionAppName}'
  location: location
  tags: tags
  properties: {
    displayName: 'Webhook door 5xx rate'
    description: 'The webhook door answers 5xx (storage or the queue refused the webhook). Runbook: docs/operations.md#door-5xx-rate'
    severity: 1
    enabled: true
    scopes: [applicationInsights.id]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    autoMitigate: true
    criteria: {
      allOf: [
        {
          query: door5xxQuery
          timeAggregation: 'Maximum'
          metricMeasureColumn: 'failedPercent'
          operator: 'GreaterThan'
          threshold: door5xxPercentThreshold
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    actions: {
      actionGroups: actionGroups
    }
  }
}

// Queue messages the consumers rejected (moved to a poison or dead-letter queue with a reason).
resource rejectedAlert 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: 'alert-rejected-messages-${functionAppName}'
  location: location
  tags: tags
  properties: {
    displayName: 'Queue messages rejected by the consumers'
    description: 'A queue message could never be processed and was dead-lettered or poisoned. Runbook: docs/operations.md#rejected-queue-messages'
    severity: 2
    enabled: true
    scopes: [applicationInsights.id]
    evaluationFrequency: 'PT15M'
    windowSize: 'PT15M'
    autoMitigate: true
    criteria: {
      allOf: [
        {
          query: rejectedQuery
          timeAggregation: 'Total'
          metricMeasureColumn: 'rejected'
          dimensions: [
            {
              name: 'kind'
              operator: 'Include'
              values: ['*']
            }
            {
              name: 'reason'
              operator: 'Include'
              values: ['*']
            }
          ]
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    actions: {
      actionGroups: actionGroups
    }
  }
}

resource historyStalledAlert 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: 'alert-history-stalled-${functionAppName}'
  location: location
  tags: tags
  properties: {
    displayName: 'History sync stalled'
    description: 'A history sync has reported no new chunk for ${historyStallMinutes} minutes before reaching 100. Runbook: docs/operations.md#history-sync-stalled'
    severity: 2
    enabled: true
    scopes: [applicationInsights.id]
    evaluationFrequency: 'PT1H'
    windowSize: 'P1D'
    autoMitigate: true
    criteria: {
      allOf: [
        {
          query: format(stalledQuery, historyStallMinutes)
          timeAggregation: 'Count'
          dimensions: [
            {
              name: 'phoneNumberId'
              operator: 'Include'
              values: ['*']
            }
          ]
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    actions: {
      actionGroups: actionGroups
    }
  }
}

resource fanOutLatencyAlert 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: 'alert-fanout-latency-${functionAppName}'
  location: location
  tags: tags
  properties: {
    displayName: 'Fan-out latency high'
    description: 'Webhooks take more than ${fanOutLatencyThresholdSeconds} s from the door to the tables. Runbook: docs/operations.md#fan-out-latency-high'
    severity: 3
    enabled: true
    scopes: [applicationInsights.id]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    autoMitigate: true
    criteria: {
      allOf: [
        {
          query: latencyQuery
          timeAggregation: 'Maximum'
          metricMeasureColumn: 'maxSeconds'
          dimensions: [
            {
              name: 'kind'
              operator: 'Include'
              values: ['*']
            }
          ]
          operator: 'GreaterThan'
          threshold: fanOutLatencyThresholdSeconds
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    actions: {
      actionGroups: actionGroups
    }
  }
}

// The workbook: the same views, one query each, over the Application Insights resource.
var workbookQueries = [
  {
    title: 'Webhooks at the door, by outcome and reason'
    query: 'customMetrics | where name == \'coexistence.webhooks\' | extend outcome = tostring(customDimensions[\'coexistence.outcome\']), reason = tostring(customDimensions[\'coexistence.reason\']) | summarize webhooks = sum(valueSum) by bin(timestamp, 1h), outcome, reason | render timechart'
  }
  {
    title: 'Door 5xx rate (%)'
    query: 'requests | where operation_Name == \'ReceiveWebhook\' | summarize failedPercent = 100.0 * countif(toint(resultCode) >= 500) / count() by bin(timestamp, 15m) | render timechart'
  }
  {
    title: 'Rows written, by kind'
    query: 'customMetrics | where name in (\'coexistence.messages.written\', \'coexistence.contacts.written\', \'coexistence.facts.received\', \'coexistence.items.quarantined\') | summarize total = sum(valueSum) by bin(timestamp, 1h), name | render timechart'
  }
  {
    title: 'Rejected queue messages (poison / dead-letter), by kind and reason'
    query: rejectedQuery
  }
  {
    title: 'History sync progress per number'
    query: 'customMetrics | where timestamp > ago(30d) and name == \'coexistence.history.progress\' | extend phoneNumberId = tostring(customDimensions[\'coexistence.phone_number_id\']) | summarize progress = max(value), lastChunk = max(timestamp) by phoneNumberId | extend stalled = progress < 100 and lastChunk < ago(${historyStallMinutes}m) | order by stalled desc, lastChunk asc'
  }
  {
    title: 'Fan-out latency (s), receipt to rows'
    query: 'customMetrics | where name == \'coexistence.fanout.latency\' | extend kind = tostring(customDimensions[\'coexistence.kind\']) | summarize avgSeconds = sum(valueSum) / sum(valueCount), maxSeconds = max(valueMax) by bin(timestamp, 15m), kind | render timechart'
  }
  {
    title: 'Claim-checked payloads and sizes'
    query: 'customMetrics | where name == \'coexistence.claim_check.size\' | summarize payloads = sum(valueCount), avgBytes = sum(valueSum) / sum(valueCount), maxBytes = max(valueMax) by bin(timestamp, 1h) | render timechart'
  }
]

var workbookItems = [
  for (item, i) in workbookQueries: {
    type: 3
    name: 'query-${i}'
    content: {
      version: 'KqlItem/1.0'
      title: item.title
      query: item.query
      queryType: 0
      resourceType: 'microsoft.insights/components'
      timeContext: {
        durationMs: 86400000
      }
    }
  }
]

var workbookContent = {
  version: 'Notebook/1.0'
  items: workbookItems
  isLocked: false
  fallbackResourceIds: [applicationInsights.id]
}

resource workbook 'Microsoft.Insights/workbooks@2023-06-01' = {
  name: guid(resourceGroup().id, functionAppName, 'coexistence-workbook')
  location: location
  tags: tags
  kind: 'shared'
  properties: {
    displayName: 'Coexistence pipeline'
    category: 'workbook'
    sourceId: applicationInsights.id
    serializedData: string(workbookContent)
  }
}

output actionGroupId string = empty(alertEmail) ? '' : actionGroup.id
output workbookId string = workbook.id
output alertNames array = [deadLetterAlert.name, door5xxAlert.name, rejectedAlert.name, historyStalledAlert.name, fanOutLatencyAlert.name]
