// The production transport: one queue per webhook kind. Names match StorageNames.Default*Queue
// (functions/Coexistence.Domain/Storage/StorageNames.cs); tests/Coexistence.Tests/Infra checks it.
param name string
param location string
param tags object

@description('Standard (256 KB messages, shared capacity) or Premium (dedicated, up to 100 MB messages).')
@allowed(['Standard', 'Premium'])
param skuName string = 'Standard'

@description('How long a MessageId is remembered to drop re-sent duplicates (ISO 8601, 20 seconds to 7 days). Providers retry for days.')
param duplicateDetectionWindow string = 'P1D'

@description('Deliveries before a message is dead-lettered.')
@minValue(1)
param maxDeliveryCount int = 10

// One list for the namespace, the storage account and the backlog alerts (queue-names.json).
var queueNames = loadJsonContent('queue-names.json')

resource namespace 'Microsoft.ServiceBus/namespaces@2024-01-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: skuName
    tier: skuName
    capacity: skuName == 'Premium' ? 1 : null
  }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
    publicNetworkAccess: 'Enabled'
  }
}

resource queues 'Microsoft.ServiceBus/namespaces/queues@2024-01-01' = [
  for queue in queueNames: {
    parent: namespace
    name: queue
    properties: {
      // Handlers are idempotent and order-independent: no sessions.
      requiresSession: false
      // A webhook retried by the provider gets the same MessageId: the broker drops the copy.
      requiresDuplicateDetection: true
      duplicateDetectionHistoryTimeWindow: duplicateDetectionWindow
      // The maximum: a multi-megabyte history chunk can take a while (the host renews the lock too).
      lockDuration: 'PT5M'
      maxDeliveryCount: maxDeliveryCount
      deadLetteringOnMessageExpiration: true
      defaultMessageTimeToLive: 'P14D'
      maxSizeInMegabytes: 5120
      enableBatchedOperations: true
    }
  }
]

output name string = namespace.name
output id string = namespace.id
// <name>.servicebus.windows.net (or the sovereign-cloud equivalent), as ServiceBusConnection__fullyQualifiedNamespace wants it.
output fullyQualifiedNamespace string = split(replace(namespace.properties.serviceBusEndpoint, 'https://', ''), ':')[0]
