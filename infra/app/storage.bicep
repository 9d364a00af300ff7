// One storage account for everything: the Functions host (AzureWebJobsStorage), the deployment
// package, and the pipeline's own data (CoexistenceStorage). Names match
// functions/Coexistence.Domain/Storage/StorageNames.cs (tests/Coexistence.Tests/Infra checks it).
param name string
param location string
param tags object

@allowed(['Standard_LRS', 'Standard_ZRS', 'Standard_GRS', 'Standard_RAGRS', 'Standard_GZRS', 'Standard_RAGZRS'])
param skuName string = 'Standard_LRS'

@description('Blob container Flex Consumption deploys the app package from.')
param deploymentContainerName string

@description('Days after which raw webhook bodies (personal data) are deleted from raw-webhooks: the outer bound of retention (a number\'s own longer days are capped by it).')
@minValue(1)
param rawArchiveRetentionDays int

var rawArchiveContainerName = 'raw-webhooks'
var tableNames = ['Messages', 'Contacts', 'HistorySync', 'Quarantine', 'Webhooks', 'Numbers']
// The Storage-queue transport's queues and the poison queues the Functions host moves failed messages to.
var queueNames = loadJsonContent('queue-names.json')
var poisonQueueNames = [for queue in queueNames: '${queue}-poison']

resource storage 'Microsoft.Storage/storageAccounts@2024-01-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: skuName
  }
  properties: {
    accessTier: 'Hot'
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2024-01-01' = {
  parent: storage
  name: 'default'
  properties: {
    // A week to undo an accidental delete; lifecycle deletions are soft too, so personal data
    // is gone for good at most 7 days after its retention ends.
    deleteRetentionPolicy: {
      enabled: true
      days: 7
    }
    containerDeleteRetentionPolicy: {
      enabled: true
      days: 7
    }
  }
}

resource containers 'Microsoft.Storage/storageAccounts/blobServices/containers@2024-01-01' = [
  for container in [rawArchiveContainerName, deploymentContainerName]: {
    parent: blobService
    name: container
    properties: {
      publicAccess: 'None'
    }
  }
]

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2024-01-01' = {
  parent: storage
  name: 'default'
}

resource tables 'Microsoft.Storage/storageAccounts/tableServices/tables@2024-01-01' = [
  for table in tableNames: {
    parent: tableService
    name: table
  }
]

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2024-01-01' = {
  parent: storage
  name: 'default'
}

// Only the Storage-queue build (QueueTransport=StorageQueue) consumes these; the deployed Service Bus
// build does not. They are declared so that build can run on this same infrastructure: in Azure the
// app creates nothing at start-up (StorageProvisioning runs only with a connection string, i.e.
// Azurite), so everything it uses exists because the deployment made it. Empty queues cost nothing.
resource queues 'Microsoft.Storage/storageAccounts/queueServices/queues@2024-01-01' = [
  for queue in concat(queueNames, poisonQueueNames): {
    parent: queueService
    name: queue
  }
]

// Raw webhook bodies are personal data: delete them once they are no longer needed. The app's retention
// (ApplyRetention, Retention__ArchiveDays) deletes day folders per number, sooner where a number says so;
// this rule is the outer bound: it deletes by creation time whatever a number's own days say.
resource lifecycle 'Microsoft.Storage/storageAccounts/managementPolicies@2024-01-01' = {
  parent: storage
  name: 'default'
  properties: {
    policy: {
      rules: [
        {
          name: 'delete-raw-webhooks'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: {
              blobTypes: ['blockBlob']
              prefixMatch: ['${rawArchiveContainerName}/']
            }
            actions: {
              baseBlob: {
                delete: {
                  daysAfterCreationGreaterThan: rawArchiveRetentionDays
                }
              }
            }
          }
        }
      ]
    }
  }
  dependsOn: [containers]
}

output name string = storage.name
output id string = storage.id
output blobEndpoint string = storage.properties.primaryEndpoints.blob
output queueEndpoint string = storage.properties.primaryEndpoints.queue
output tableEndpoint string = storage.properties.primaryEndpoints.table
