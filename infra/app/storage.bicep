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

@description('Days after creation at which archived media (container media) move to the Cool tier.')
@minValue(1)
@maxValue(36500)
param mediaCoolAfterDays int = 30

@description('Days after creation at which archived media are deleted; 0 keeps them forever.')
@minValue(0)
@maxValue(36500)
param mediaDeleteAfterDays int = 0

var rawArchiveContainerName = 'raw-webhooks'
// Media the app downloads through the provider's media API (issue 20, docs/media.md): private, like
// every container here; the app hands readers short-lived user-delegation SAS links, never the account.
var mediaContainerName = 'media'
var tableNames = ['Messages', 'Contacts', 'HistorySync', 'Quarantine', 'Webhooks', 'Numbers']
// The Storage-queue transport's queues and the poison queues the Functions host moves failed messages to.
var queueNames = loadJsonContent('queue-names.json')
var poisonQueueNames = [for queue in queueNames: '${queue}-poison']
// The media download jobs: a Storage queue in both builds (the Service Bus build too; its QueueTrigger
// uses the CoexistenceStorage connection), so not in queue-names.json, which lists the change queues
// that are Service Bus queues in the deployed build. The Functions host moves a job that failed
// maxDequeueCount times to the poison queue.
var mediaQueueName = 'coexistence-media'
var mediaPoisonQueueName = '${mediaQueueName}-poison'

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
  for container in [rawArchiveContainerName, mediaContainerName, deploymentContainerName]: {
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

// Both builds consume the media queue; the app creates it nowhere in Azure (see above), so it is declared.
resource mediaQueues 'Microsoft.Storage/storageAccounts/queueServices/queues@2024-01-01' = [
  for queue in [mediaQueueName, mediaPoisonQueueName]: {
    parent: queueService
    name: queue
  }
]

// Media: Cool after mediaCoolAfterDays (they are rarely read again once the conversation moved on), and
// deleted after mediaDeleteAfterDays when that is set (docs/media.md). The Cool action is left out when
// the deletion comes first or on the same day: it would never apply.
var mediaCool = mediaDeleteAfterDays == 0 || mediaDeleteAfterDays > mediaCoolAfterDays
var mediaActions = union(
  mediaCool ? { tierToCool: { daysAfterCreationGreaterThan: mediaCoolAfterDays } } : {},
  mediaDeleteAfterDays > 0 ? { delete: { daysAfterCreationGreaterThan: mediaDeleteAfterDays } } : {}
)

// Raw webhook bodies are personal data: delete them once they are no longer needed. The app's retention
// (ApplyRetention, Retention__ArchiveDays) deletes day folders per number, sooner where a number says so;
// this rule is the outer bound: it deletes by creation time whatever a number's own days say.
// An account has one management policy ('default'): every rule of it is here.
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
        {
          name: 'media-tiering'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: {
              blobTypes: ['blockBlob']
              prefixMatch: ['${mediaContainerName}/']
            }
            actions: {
              baseBlob: mediaActions
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
