// Resource logs to the Log Analytics workspace: what the platform sees that the app's own telemetry
// cannot (a 403 from storage after a role change, a Service Bus entity change, the Functions host's own
// logs, who read a secret). Categories per resource type, from Microsoft Learn's "Supported log
// categories" pages (docs/deploy.md cites them); metrics stay in Azure Monitor metrics (the alerts read
// them there) and are not copied. Checked by tests/Coexistence.Tests/Infra.
param workspaceId string
param serviceBusNamespaceName string
@allowed(['Standard', 'Premium'])
param serviceBusSku string
param storageAccountName string
param functionAppName string
param keyVaultName string

resource serviceBus 'Microsoft.ServiceBus/namespaces@2024-01-01' existing = {
  name: serviceBusNamespaceName
}

resource storage 'Microsoft.Storage/storageAccounts@2024-01-01' existing = {
  name: storageAccountName

  resource blobService 'blobServices' existing = {
    name: 'default'
  }
  resource queueService 'queueServices' existing = {
    name: 'default'
  }
  resource tableService 'tableServices' existing = {
    name: 'default'
  }
}

resource functionApp 'Microsoft.Web/sites@2024-04-01' existing = {
  name: functionAppName
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName
}

var settingName = 'to-log-analytics'

// Management operations and network filtering on every tier; the data-plane audit log (who sent or
// received) exists on Premium only.
var serviceBusCategories = concat(['OperationalLogs', 'VNetAndIPFilteringLogs'], serviceBusSku == 'Premium' ? ['RuntimeAuditLogs'] : [])
// Blob, queue and table services alike: every request, failed ones (403, 409, 503) included.
var storageCategories = ['StorageRead', 'StorageWrite', 'StorageDelete']

resource serviceBusLogs 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: settingName
  scope: serviceBus
  properties: {
    workspaceId: workspaceId
    // Resource-specific tables (AZMSOperationalLogs, AZMSVnetConnectionEvents, AZMSRunTimeAuditLogs).
    logAnalyticsDestinationType: 'Dedicated'
    logs: [for category in serviceBusCategories: { category: category, enabled: true }]
  }
}

resource blobLogs 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: settingName
  scope: storage::blobService
  properties: {
    workspaceId: workspaceId
    logs: [for category in storageCategories: { category: category, enabled: true }]
  }
}

resource queueLogs 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: settingName
  scope: storage::queueService
  properties: {
    workspaceId: workspaceId
    logs: [for category in storageCategories: { category: category, enabled: true }]
  }
}

resource tableLogs 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: settingName
  scope: storage::tableService
  properties: {
    workspaceId: workspaceId
    logs: [for category in storageCategories: { category: category, enabled: true }]
  }
}

// The Functions host's and the platform's log of the app (table FunctionAppLogs).
resource functionAppLogs 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: settingName
  scope: functionApp
  properties: {
    workspaceId: workspaceId
    logs: [
      {
        category: 'FunctionAppLogs'
        enabled: true
      }
    ]
  }
}

// Every read of a secret (the app resolving its references) and every change to one (table AZKVAuditLogs).
resource vaultLogs 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: settingName
  scope: vault
  properties: {
    workspaceId: workspaceId
    logAnalyticsDestinationType: 'Dedicated'
    logs: [
      {
        category: 'AuditEvent'
        enabled: true
      }
    ]
  }
}
