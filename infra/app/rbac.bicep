// Data-plane roles: the app identity gets exactly what the pipeline and the Functions host use;
// the deploying user (optional) gets enough to inspect data and run the CLI against Azure.
// Role definition ids: https://learn.microsoft.com/azure/role-based-access-control/built-in-roles
param storageAccountName string
param serviceBusNamespaceName string
param applicationInsightsName string
param keyVaultName string

@description('Principal id of the Function App identity.')
param appPrincipalId string

@description('Principal id of the deploying user or pipeline; empty for none.')
param deployerPrincipalId string = ''
@allowed(['User', 'ServicePrincipal', 'Group'])
param deployerPrincipalType string = 'User'

// Literal ids (not variables of variables) so the compiled template lists them plainly for the tests.
// Blob Data Owner rather than Contributor for the app: the Functions host manages blob leases and
// containers through AzureWebJobsStorage, for which the host documentation asks for Owner. Owner holds
// every action of Blob Data Contributor, generateUserDelegationKey included (the media archive signs its
// read links with a user-delegation key, docs/media.md). Queue Data Contributor serves both builds: the
// change queues of the Storage-queue build, and the media queue coexistence-media, a Storage queue in the
// Service Bus build too (its QueueTrigger and sender use CoexistenceStorage).
var appStorageRoles = [
  'b7e6dc6d-f1e8-4753-8033-0f276bb0955b' // Storage Blob Data Owner
  '974c5e8b-45b9-4653-ba55-5f855dd0fb88' // Storage Queue Data Contributor
  '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3' // Storage Table Data Contributor
]
// Data Owner besides Sender and Receiver: the Functions scale controller reads each queue's length with
// the Manage claim, and without it Flex Consumption scales on "at least one message" only. Microsoft's
// Service Bus binding docs list Data Receiver or Data Owner for the trigger, Data Sender for sending.
var appServiceBusRoles = [
  '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39' // Azure Service Bus Data Sender
  '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0' // Azure Service Bus Data Receiver
  '090c5cfd-751d-490a-894a-3ce6f1109419' // Azure Service Bus Data Owner
]
var appTelemetryRole = '3913510d-42f4-4e42-8a64-420c390055eb' // Monitoring Metrics Publisher
// Reads the secrets its app settings reference (keyvault.bicep); cannot list, write or delete them.
var appSecretsRole = '4633458b-17de-408a-b874-0445c86b69e6' // Key Vault Secrets User
var deployerStorageRoles = [
  'ba92f5b4-2d11-453d-a403-e96b0029c9fe' // Storage Blob Data Contributor
  '974c5e8b-45b9-4653-ba55-5f855dd0fb88' // Storage Queue Data Contributor
  '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3' // Storage Table Data Contributor
]
var deployerServiceBusRoles = [
  '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39' // Azure Service Bus Data Sender
  '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0' // Azure Service Bus Data Receiver
]
// To rotate a secret (a new version) or add one (WebhookAuth__ProviderSecrets__1, docs/deploy.md).
var deployerSecretsRole = 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7' // Key Vault Secrets Officer

resource storage 'Microsoft.Storage/storageAccounts@2024-01-01' existing = {
  name: storageAccountName
}

resource serviceBus 'Microsoft.ServiceBus/namespaces@2024-01-01' existing = {
  name: serviceBusNamespaceName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName
}

resource appStorage 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for role in appStorageRoles: {
    name: guid(storage.id, appPrincipalId, role)
    scope: storage
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
      principalId: appPrincipalId
      principalType: 'ServicePrincipal'
    }
  }
]

resource appServiceBus 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for role in appServiceBusRoles: {
    name: guid(serviceBus.id, appPrincipalId, role)
    scope: serviceBus
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
      principalId: appPrincipalId
      principalType: 'ServicePrincipal'
    }
  }
]

resource appTelemetry 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(applicationInsights.id, appPrincipalId, appTelemetryRole)
  scope: applicationInsights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', appTelemetryRole)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource appSecrets 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, appPrincipalId, appSecretsRole)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', appSecretsRole)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource deployerStorage 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for role in deployerStorageRoles: if (!empty(deployerPrincipalId)) {
    name: guid(storage.id, deployerPrincipalId, role)
    scope: storage
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
      principalId: deployerPrincipalId
      principalType: deployerPrincipalType
    }
  }
]

resource deployerServiceBus 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for role in deployerServiceBusRoles: if (!empty(deployerPrincipalId)) {
    name: guid(serviceBus.id, deployerPrincipalId, role)
    scope: serviceBus
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
      principalId: deployerPrincipalId
      principalType: deployerPrincipalType
    }
  }
]

resource deployerSecrets 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(deployerPrincipalId)) {
  name: guid(vault.id, deployerPrincipalId, deployerSecretsRole)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', deployerSecretsRole)
    principalId: deployerPrincipalId
    principalType: deployerPrincipalType
  }
}
