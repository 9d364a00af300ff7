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

@description('Minutes without a new history chunk, before progress 100, after which a history sync counts as stalled. At most 47 hours: a log alert reads at most two days back.')
@minValue(15)
@maxValue(2820)
param historyStallMinutes int = 360

@description('Fan-out latency (seconds from receipt at the door to rows written) above which the latency alert fires.')
@minValue(1)
param fanOutLatencyThresholdSeconds int = 300

@description('Percentage of webhook POSTs answered with 5xx, over 15 minutes, above which the door alert fires.')
@minValue(1)
@maxValue(100)
param door5xxPercentThreshold int = 5

@description('Active messages a Service Bus queue keeps for a whole hour (it never drained below this) before its backlog alert fires.')
@minValue(1)
param backlogAlertThreshold int = 100

@description('Media downloads the provider throttled (outcome throttled) in an hour above which the media throttling alert fires; 0: any.')
@minValue(0)
param mediaThrottledAlertThreshold int = 0

// The Service Bus queues (servicebus.bicep reads the same file): one backlog alert each.
var queueNames = loadJsonContent('queue-names.json')

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

// One per queue: messages wait and none drain. A consumer that cannot start (a bad setting, a role
// not yet granted, a crash at start-up) processes nothing, so no latency or rejection telemetry would
// ever show it; the broker's own count does. Minimum over the hour: a burst that drains (a history
// import) lowers it, only a queue that never got below the threshold in an hour fires.
resource backlogAlerts 'Microsoft.Insights/metricAlerts@2018-03-01' = [
  for queue in queueNames: {
    name: 'alert-backlog-${queue}-${functionAppName}'
    location: 'global'
    tags: tags
    properties: {
      description: 'Queue ${queue} has kept at least ${backlogAlertThreshold} active messages for an hour: its consumer is not draining it. Runbook: docs/operations.md#queue-backlog'
      severity: 2
      enabled: true
      scopes: [serviceBus.id]
      evaluationFrequency: 'PT5M'
      windowSize: 'PT1H'
      autoMitigate: true
      criteria: {
        'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
        allOf: [
          {
            criterionType: 'StaticThresholdCriterion'
            name: 'backlog'
            metricNamespace: 'Microsoft.ServiceBus/namespaces'
            metricName: 'ActiveMessages'
            dimensions: [
              {
                name: 'EntityName'
                operator: 'Include'
                values: [queue]
              }
            ]
            operator: 'GreaterThanOrEqual'
            threshold: backlogAlertThreshold
            timeAggregation: 'Minimum'
          }
        ]
      }
      actions: [for id in actionGroups: { actionGroupId: id }]
    }
  }
]

var door5xxQuery = '''
requests
| where operation_Name == 'ReceiveWebhook' or name == 'ReceiveWebhook'
| summarize total = count(), failed = countif(toint(resultCode) >= 500)
| extend failedPercent = iff(total == 0, 0.0, 100.0 * failed / total)
| project failedPercent
'''

var rejectedQuery = '''
customMetrics
| where name == 'coexistence.changes.processed' and tostring(customDimensions['coexistence.outcome']) == 'rejected'
| extend changeKind = tostring(customDimensions['coexistence.kind']), reason = tostring(customDimensions['coexistence.reason'])
| summarize rejected = sum(valueSum) by changeKind, reason
'''

// Fires once per number, in the evaluation after its sync crossed historyStallMinutes without a new
// chunk, and then stays fired (stateless rule, autoMitigate false: it never resolves itself) until an
// operator closes it. A stateful rule cannot do this: a log alert reads at most two days back, so it
// would resolve itself two days after the last chunk, sync still stalled. The query reads those two
// days (overrideQueryTimeRange); the crossing must fall into the last evaluation period.
var stalledQuery = '''
customMetrics
| where name == 'coexistence.history.progress'
| extend phoneNumberId = tostring(customDimensions['coexistence.phone_number_id'])
| summarize arg_max(timestamp, value) by phoneNumberId
| where value < 100
| extend stalledAt = timestamp + {0}m
| where stalledAt <= now() and stalledAt > ago({1}m)
| project phoneNumberId, progress = value, lastChunk = timestamp, stalledAt
'''

// How often the stalled-sync rule runs, in minutes (its evaluationFrequency, and the query's crossing window).
var stalledEvaluationMinutes = 60

var latencyQuery = '''
customMetrics
| where name == 'coexistence.fanout.latency'
| extend changeKind = tostring(customDimensions['coexistence.kind'])
| summarize maxSeconds = max(valueMax) by changeKind
'''

// A number was removed from the partner, offboarded (a coexistence client re-registered their app; Meta reconnects most
// within minutes: an ACCOUNT_RECONNECTED follows), uninstalled or deleted. The counter counts an event once per number
// (a redelivery does not count again), so a stateless rule fires once per event.
var lifecycleQuery = '''
customMetrics
| where name == 'coexistence.lifecycle.events'
| extend lifecycleEvent = tostring(customDimensions['coexistence.lifecycle_event']), reason = tostring(customDimensions['coexistence.reason'])
| extend phoneNumberId = tostring(customDimensions['coexistence.phone_number_id'])
| where lifecycleEvent in ('PARTNER_REMOVED', 'ACCOUNT_OFFBOARDED', 'PARTNER_APP_UNINSTALLED', 'ACCOUNT_DELETED')
| summarize events = sum(valueSum) by phoneNumberId, lifecycleEvent, reason
'''

// The media archive (docs/media.md): a download job that failed for good (its message then goes to
// coexistence-media-poison), and downloads the provider throttled (the error budget pauses them).
var mediaFailedQuery = '''
customMetrics
| where name == 'coexistence.media.jobs' and tostring(customDimensions['coexistence.outcome']) == 'failed'
| summarize failed = sum(valueSum)
'''

var mediaThrottledQuery = '''
customMetrics
| where name == 'coexistence.media.jobs' and tostring(customDimensions['coexistence.outcome']) == 'throttled'
| summarize throttled = sum(valueSum)
'''

resource lifecycleAlert 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: 'alert-number-disconnected-${functionAppName}'
  location: location
  tags: tags
  properties: {
    displayName: 'A business number was removed or offboarded'
    description: 'An account_update removed the partner from a number, offboarded, uninstalled or deleted it. Runbook: docs/operations.md#a-number-was-removed-or-offboarded'
    severity: 1
    enabled: true
    scopes: [applicationInsights.id]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT5M'
    autoMitigate: false
    criteria: {
      allOf: [
        {
          query: lifecycleQuery
          timeAggregation: 'Total'
          metricMeasureColumn: 'events'
          dimensions: [
            {
              name: 'phoneNumberId'
              operator: 'Include'
              values: ['*']
            }
            {
              name: 'lifecycleEvent'
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
              name: 'changeKind'
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

resource mediaFailedAlert 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: 'alert-media-failed-${functionAppName}'
  location: location
  tags: tags
  properties: {
    displayName: 'Media downloads failed'
    description: 'A media download job failed for good: its media is not archived and the job is in coexistence-media-poison. Runbook: docs/operations.md#media-downloads-failed'
    severity: 2
    enabled: true
    scopes: [applicationInsights.id]
    evaluationFrequency: 'PT15M'
    windowSize: 'PT15M'
    autoMitigate: true
    criteria: {
      allOf: [
        {
          query: mediaFailedQuery
          timeAggregation: 'Total'
          metricMeasureColumn: 'failed'
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

resource mediaThrottledAlert 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: 'alert-media-throttled-${functionAppName}'
  location: location
  tags: tags
  properties: {
    displayName: 'Media downloads throttled'
    description: 'The media API throttled more than ${mediaThrottledAlertThreshold} downloads in an hour; they are retried later. Runbook: docs/operations.md#media-downloads-throttled'
    severity: 3
    enabled: true
    scopes: [applicationInsights.id]
    evaluationFrequency: 'PT15M'
    windowSize: 'PT1H'
    autoMitigate: true
    criteria: {
      allOf: [
        {
          query: mediaThrottledQuery
          timeAggregation: 'Total'
          metricMeasureColumn: 'throttled'
          operator: 'GreaterThan'
          threshold: mediaThrottledAlertThreshold
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
    description: 'A history sync has reported no new chunk for ${historyStallMinutes} minutes before reaching 100. Stays fired until closed. Runbook: docs/operations.md#history-sync-stalled'
    severity: 2
    enabled: true
    scopes: [applicationInsights.id]
    evaluationFrequency: 'PT${stalledEvaluationMinutes}M'
    windowSize: 'PT${stalledEvaluationMinutes}M'
    overrideQueryTimeRange: 'P2D'
    autoMitigate: false
    criteria: {
      allOf: [
        {
          query: format(stalledQuery, historyStallMinutes, stalledEvaluationMinutes)
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
              name: 'changeKind'
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

// The workbook: the same views, one query each, over the Application Insights resource, each over the
// last `days` days.
var workbookQueries = [
  {
    title: 'Lifecycle events by number (removed, offboarded, reconnected, ...)'
    query: 'customMetrics | where name == \'coexistence.lifecycle.events\' | extend phoneNumberId = tostring(customDimensions[\'coexistence.phone_number_id\']), lifecycleEvent = tostring(customDimensions[\'coexistence.lifecycle_event\']), reason = tostring(customDimensions[\'coexistence.reason\']) | summarize events = sum(valueSum), lastAt = max(timestamp) by phoneNumberId, lifecycleEvent, reason | order by lastAt desc'
    days: 30
  }
  {
    title: 'Webhooks at the door, by outcome and reason'
    query: 'customMetrics | where name == \'coexistence.webhooks\' | extend outcome = tostring(customDimensions[\'coexistence.outcome\']), reason = tostring(customDimensions[\'coexistence.reason\']) | summarize webhooks = sum(valueSum) by bin(timestamp, 1h), outcome, reason | render timechart'
    days: 1
  }
  {
    title: 'Door 5xx rate (%)'
    query: 'requests | where operation_Name == \'ReceiveWebhook\' or name == \'ReceiveWebhook\' | summarize failedPercent = 100.0 * countif(toint(resultCode) >= 500) / count() by bin(timestamp, 15m) | render timechart'
    days: 1
  }
  {
    title: 'Rows written, by kind'
    query: 'customMetrics | where name in (\'coexistence.messages.written\', \'coexistence.contacts.written\', \'coexistence.facts.received\', \'coexistence.items.quarantined\') | summarize total = sum(valueSum) by bin(timestamp, 1h), name | render timechart'
    days: 1
  }
  {
    title: 'Rejected queue messages (poison / dead-letter), by kind and reason'
    query: rejectedQuery
    days: 1
  }
  {
    title: 'History sync progress per number (last 30 days)'
    query: 'customMetrics | where name == \'coexistence.history.progress\' | extend phoneNumberId = tostring(customDimensions[\'coexistence.phone_number_id\']) | summarize arg_max(timestamp, value) by phoneNumberId | project phoneNumberId, progress = value, lastChunk = timestamp | extend stalled = progress < 100 and lastChunk < ago(${historyStallMinutes}m) | order by stalled desc, lastChunk asc'
    days: 30
  }
  {
    title: 'Fan-out latency (s), receipt to rows'
    query: 'customMetrics | where name == \'coexistence.fanout.latency\' | extend changeKind = tostring(customDimensions[\'coexistence.kind\']) | summarize avgSeconds = sum(valueSum) / sum(valueCount), maxSeconds = max(valueMax) by bin(timestamp, 15m), changeKind | render timechart'
    days: 1
  }
  {
    title: 'Media jobs by outcome (queued, archived, failed, throttled, ...)'
    query: 'customMetrics | where name in (\'coexistence.media.jobs\', \'coexistence.media.jobs.queued\') | extend outcome = iff(name == \'coexistence.media.jobs.queued\', \'queued\', tostring(customDimensions[\'coexistence.outcome\'])) | summarize jobs = sum(valueSum) by bin(timestamp, 1h), outcome | render timechart'
    days: 1
  }
  {
    title: 'Claim-checked payloads and sizes'
    query: 'customMetrics | where name == \'coexistence.claim_check.size\' | summarize payloads = sum(valueCount), avgBytes = sum(valueSum) / sum(valueCount), maxBytes = max(valueMax) by bin(timestamp, 1h) | render timechart'
    days: 1
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
      // The tile's time range bounds the query: an ago() inside cannot reach further back.
      timeContext: {
        durationMs: item.days * 86400000
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
output alertNames array = concat(
  [deadLetterAlert.name, door5xxAlert.name, rejectedAlert.name, historyStalledAlert.name, fanOutLatencyAlert.name, mediaFailedAlert.name, mediaThrottledAlert.name],
  map(queueNames, queue => 'alert-backlog-${queue}-${functionAppName}')
)
