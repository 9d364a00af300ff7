// Coexistence in Azure: everything the Service Bus build of functions/Coexistence.Functions needs,
// identity-based and keyless. `azd up` deploys it (azure.yaml); docs/deploy.md has the details and
// the plain `az` alternative. Checked by scripts/check-infra.sh and tests/Coexistence.Tests/Infra.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the environment (azd env name): prefixes the resource group and seeds every resource name.')
param environmentName string

@minLength(1)
@description('Region for every resource; it must offer Flex Consumption.')
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@description('Resource group to create or reuse; empty for rg-<environmentName>.')
param resourceGroupName string = ''

@description('Object id of the deploying user or pipeline, given data roles to inspect tables, blobs and queues; empty for none.')
param principalId string = ''
@allowed(['User', 'ServicePrincipal', 'Group'])
param principalType string = 'User'

@description('Service Bus tier: Standard (about US$10 a month base charge, 256 KB messages) or Premium (dedicated capacity).')
@allowed(['Standard', 'Premium'])
param serviceBusSku string = 'Standard'

@description('Storage redundancy.')
@allowed(['Standard_LRS', 'Standard_ZRS', 'Standard_GRS', 'Standard_RAGRS', 'Standard_GZRS', 'Standard_RAGZRS'])
param storageSku string = 'Standard_LRS'

@description('Service Bus duplicate detection window (ISO 8601 duration, at most P7D). Providers retry a webhook for days.')
param duplicateDetectionWindow string = 'P1D'

@description('Service Bus deliveries before a message is dead-lettered.')
@minValue(1)
@maxValue(2000)
param maxDeliveryCount int = 10

@description('Days raw webhook bodies (personal data) are kept in raw-webhooks: the lifecycle policy deletes them after this (the outer bound, whatever a number says), and Retention:ArchiveDays, the days of a number without its own.')
@minValue(1)
@maxValue(36500)
param rawArchiveRetentionDays int = 365

@description('Days after creation at which archived media (container media, docs/media.md) move to the Cool tier.')
@minValue(1)
@maxValue(36500)
param mediaCoolAfterDays int = 30

@description('Days after creation at which the lifecycle policy deletes archived media; 0 keeps them forever.')
@minValue(0)
@maxValue(36500)
param mediaDeleteAfterDays int = 0

@description('Retention:TableDays: days a number\'s messages, statuses and quarantined items are kept in the tables unless its registry row says otherwise; 0 keeps them forever.')
@minValue(0)
@maxValue(36500)
param tableRetentionDays int = 0

@description('Retention:Schedule: when the ApplyRetention timer runs (NCRONTAB, 6 fields, UTC).')
param retentionSchedule string = '0 30 3 * * *'

@description('Days Log Analytics keeps logs and telemetry.')
@minValue(30)
@maxValue(730)
param logRetentionDays int = 30

@description('Email address the alerts notify; empty for none (alerts still show in the portal).')
param alertEmail string = ''

@description('Minutes without a new history chunk, before progress 100, after which the stalled-sync alert fires (at most 47 hours: log alerts read two days back).')
@minValue(15)
@maxValue(2820)
param historyStallMinutes int = 360

@description('Seconds from receipt at the door to rows written above which the fan-out latency alert fires.')
@minValue(1)
param fanOutLatencyThresholdSeconds int = 300

@description('Percentage of webhook POSTs answered 5xx over 15 minutes above which the door alert fires.')
@minValue(1)
@maxValue(100)
param door5xxPercentThreshold int = 5

@description('Active messages a Service Bus queue keeps for a whole hour before its backlog alert fires.')
@minValue(1)
param backlogAlertThreshold int = 100

@description('Media downloads throttled by the provider in an hour above which the media throttling alert fires; 0: any.')
@minValue(0)
param mediaThrottledAlertThreshold int = 0

@description('Flex Consumption: the most instances the app scales out to, 40 to 1,000 (40: the floor Microsoft documented for the plan; docs/deploy.md).')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Flex Consumption: memory per instance.')
@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

@description('Intake:MaxBodyBytes: larger webhook bodies are refused with 413.')
@minValue(1024)
param intakeMaxBodyBytes int = 4194304

@description('Intake:ClaimCheckThresholdBytes: larger queue messages name their payload as a byte range of the raw archive blob instead. 200000 fits Service Bus Standard (256 KB).')
@minValue(1024)
@maxValue(250000)
param intakeClaimCheckThresholdBytes int = 200000

@description('Intake:MaxChangesPerBody: a body with more changes is refused (413 too-many-changes) before anything is stored.')
@minValue(1)
param intakeMaxChangesPerBody int = 1000

@description('Intake:MaxNumbersPerBody: a body naming more distinct phone_number_ids is refused (413 too-many-numbers); one archive copy per number.')
@minValue(1)
param intakeMaxNumbersPerBody int = 100

@description('Intake:MaxConcurrentWrites: archive uploads or queue sends of one request in flight at a time.')
@minValue(1)
@maxValue(256)
param intakeMaxConcurrentWrites int = 16

@description('Intake:AnswerWithinMilliseconds: the door answers 503 with Retry-After when storage has not finished by then (senders allow 5 s).')
@minValue(100)
@maxValue(30000)
param intakeAnswerWithinMilliseconds int = 4000

// Webhook authentication (WebhookAuth section) and the read API's token key. Each defaults to empty,
// meaning "this check is off" (no secret, no setting), so azd never prompts for one and `--no-prompt`
// works; the preprovision hook (azure.yaml) still refuses to provision without a webhook credential.
// The secret values go to Key Vault (app/keyvault.bicep), never into app settings or outputs.
@secure()
@description('WebhookAuth:ProviderSecrets:0, the provider\'s signing secret; empty for none.')
param webhookProviderSecret string = ''
@secure()
@description('WebhookAuth:MetaAppSecrets:0, the Meta app secret (X-Hub-Signature-256); empty for none.')
param webhookMetaAppSecret string = ''
@secure()
@description('WebhookAuth:VerifyTokens:0, the token of Meta\'s subscription handshake; empty for none.')
param webhookVerifyToken string = ''
@description('WebhookAuth:HeaderName, the header that carries a shared token; empty for none.')
param webhookHeaderName string = ''
@secure()
@description('WebhookAuth:HeaderTokens:0, the shared token expected in that header; empty for none.')
param webhookHeaderToken string = ''
@secure()
@description('ReadApi:TokenKey, at least 32 characters, signs the read API\'s continuation tokens; empty: each instance makes its own key (tokens then fail across instances and restarts).')
param readApiTokenKey string = ''

// Who may read: App Service authentication with Entra ID in front of the read API (docs/deploy.md,
// "Read API credentials"). Leaving either empty keeps authentication on and answers every read 401.
@description('Client id of the Entra ID app registration that stands for the read API (readers ask for tokens for api://<id>/.default); empty: every read request gets 401.')
param readApiClientId string = ''

@description('Comma-separated client ids of the applications allowed to read: the partner backends\' managed identities or app registrations; empty: every read request gets 401.')
param readApiAllowedClientApplications string = ''

@description('ReadApi:RequireNumberRoles: a reader also needs the app role Numbers.Read.All or Numbers.Read.<phone_number_id> (per-number scope; docs/security.md "Read API").')
param readApiRequireNumberRoles bool = false

@description('WebhookAuth:ProviderAccounts, comma-separated WABA ids a body signed with the provider secret may name; empty: any.')
param webhookProviderAccounts string = ''

@description('WebhookAuth:MetaAppAccounts, comma-separated WABA ids a body signed with the Meta app secret may name; empty: any. Set it when both secrets are given.')
param webhookMetaAppAccounts string = ''

// The media archive (issue 20, docs/media.md): the Media section. No provider: media are not archived and no
// job is queued. The credentials go to Key Vault like the webhook secrets; the limits keep the code's defaults.
@description('Media:Provider, the media API the app downloads through: meta or 360dialog; empty: media are not archived.')
@allowed(['', 'meta', '360dialog'])
param mediaProvider string = ''
@description('Media:BaseUrl, the media API\'s base URL; empty: the provider\'s default.')
param mediaBaseUrl string = ''
@secure()
@description('Media:AccessToken, Meta\'s bearer token for the media API; empty for none.')
param mediaAccessToken string = ''
@secure()
@description('Media:ApiKey, 360dialog\'s D360-API-KEY; empty for none.')
param mediaApiKey string = ''
// An object: azd (1.23.4 and later; azure.yaml requires 1.23.7) parses the variable's value as JSON for an object
// parameter, and leaves the parameter out, so its default applies, while the variable is unset.
@secure()
@description('Media:Numbers: a number\'s own media API, {"<phone_number_id>": {"provider": "...", "baseUrl": "...", "accessToken": "...", "apiKey": "..."}}, each property optional; the tokens and keys go to Key Vault.')
param mediaNumberCredentials object = {}

// Comma-separated strings, not arrays: azd substitutes environment values into string parameters only.
var readApiAllowedClientApplicationIds = filter(map(split(readApiAllowedClientApplications, ','), id => trim(id)), id => !empty(id))
var webhookProviderAccountIds = filter(map(split(webhookProviderAccounts, ','), id => trim(id)), id => !empty(id))
var webhookMetaAppAccountIds = filter(map(split(webhookMetaAppAccounts, ','), id => trim(id)), id => !empty(id))
// Only the secrets of a number go to Key Vault; its provider and base URL are plain settings (the api module).
var mediaNumberEndpoints = toObject(items(mediaNumberCredentials), number => number.key, number => {
  provider: number.value.?provider ?? ''
  baseUrl: number.value.?baseUrl ?? ''
})

var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
}
var functionAppName = 'func-api-${resourceToken}'
var deploymentContainerName = 'app-package-${take(functionAppName, 32)}-${take(resourceToken, 7)}'

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: !empty(resourceGroupName) ? resourceGroupName : 'rg-${environmentName}'
  location: location
  tags: tags
}

module identity 'app/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: 'id-api-${resourceToken}'
    location: location
    tags: tags
  }
}

module monitoring 'app/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: 'log-${resourceToken}'
    applicationInsightsName: 'appi-${resourceToken}'
    location: location
    tags: tags
    retentionInDays: logRetentionDays
  }
}

module storage 'app/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: 'st${resourceToken}'
    location: location
    tags: tags
    skuName: storageSku
    deploymentContainerName: deploymentContainerName
    rawArchiveRetentionDays: rawArchiveRetentionDays
    mediaCoolAfterDays: mediaCoolAfterDays
    mediaDeleteAfterDays: mediaDeleteAfterDays
  }
}

module serviceBus 'app/servicebus.bicep' = {
  name: 'servicebus'
  scope: rg
  params: {
    name: 'sb-${resourceToken}'
    location: location
    tags: tags
    skuName: serviceBusSku
    duplicateDetectionWindow: duplicateDetectionWindow
    maxDeliveryCount: maxDeliveryCount
  }
}

module keyVault 'app/keyvault.bicep' = {
  name: 'keyvault'
  scope: rg
  params: {
    name: 'kv-${resourceToken}'
    location: location
    tags: tags
    webhookProviderSecret: webhookProviderSecret
    webhookMetaAppSecret: webhookMetaAppSecret
    webhookVerifyToken: webhookVerifyToken
    webhookHeaderToken: webhookHeaderToken
    readApiTokenKey: readApiTokenKey
    mediaAccessToken: mediaAccessToken
    mediaApiKey: mediaApiKey
    mediaNumberCredentials: mediaNumberCredentials
  }
}

module rbac 'app/rbac.bicep' = {
  name: 'rbac'
  scope: rg
  params: {
    storageAccountName: storage.outputs.name
    serviceBusNamespaceName: serviceBus.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    keyVaultName: keyVault.outputs.name
    appPrincipalId: identity.outputs.principalId
    deployerPrincipalId: principalId
    deployerPrincipalType: principalType
  }
}

module api 'app/api.bicep' = {
  name: 'api'
  scope: rg
  params: {
    name: functionAppName
    planName: 'plan-${resourceToken}'
    location: location
    tags: tags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    blobEndpoint: storage.outputs.blobEndpoint
    queueEndpoint: storage.outputs.queueEndpoint
    tableEndpoint: storage.outputs.tableEndpoint
    deploymentContainerName: deploymentContainerName
    serviceBusFullyQualifiedNamespace: serviceBus.outputs.fullyQualifiedNamespace
    applicationInsightsConnectionString: monitoring.outputs.applicationInsightsConnectionString
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    intakeMaxBodyBytes: intakeMaxBodyBytes
    intakeClaimCheckThresholdBytes: intakeClaimCheckThresholdBytes
    intakeMaxChangesPerBody: intakeMaxChangesPerBody
    intakeMaxNumbersPerBody: intakeMaxNumbersPerBody
    intakeMaxConcurrentWrites: intakeMaxConcurrentWrites
    intakeAnswerWithinMilliseconds: intakeAnswerWithinMilliseconds
    tableRetentionDays: tableRetentionDays
    archiveRetentionDays: rawArchiveRetentionDays
    retentionSchedule: retentionSchedule
    keyVaultReferences: keyVault.outputs.appSettings
    webhookHeaderName: webhookHeaderName
    readApiClientId: readApiClientId
    readApiAllowedClientApplications: readApiAllowedClientApplicationIds
    readApiRequireNumberRoles: readApiRequireNumberRoles
    webhookProviderAccounts: webhookProviderAccountIds
    webhookMetaAppAccounts: webhookMetaAppAccountIds
    mediaProvider: mediaProvider
    mediaBaseUrl: mediaBaseUrl
    mediaNumbers: mediaNumberEndpoints
  }
  // The app must not start before its identity may read its package, reach storage and read its secrets.
  dependsOn: [rbac]
}

module diagnostics 'app/diagnostics.bicep' = {
  name: 'diagnostics'
  scope: rg
  params: {
    workspaceId: monitoring.outputs.logAnalyticsId
    serviceBusNamespaceName: serviceBus.outputs.name
    serviceBusSku: serviceBusSku
    storageAccountName: storage.outputs.name
    functionAppName: api.outputs.name
    keyVaultName: keyVault.outputs.name
  }
}

module alerts 'app/alerts.bicep' = {
  name: 'alerts'
  scope: rg
  params: {
    location: location
    tags: tags
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    serviceBusNamespaceName: serviceBus.outputs.name
    functionAppName: functionAppName
    alertEmail: alertEmail
    historyStallMinutes: historyStallMinutes
    fanOutLatencyThresholdSeconds: fanOutLatencyThresholdSeconds
    door5xxPercentThreshold: door5xxPercentThreshold
    backlogAlertThreshold: backlogAlertThreshold
    mediaThrottledAlertThreshold: mediaThrottledAlertThreshold
  }
}

// azd reads these into the environment (.azure/<env>/.env). No secrets here.
output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_NAME string = api.outputs.name
output SERVICE_API_NAME string = api.outputs.name
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output AZURE_STORAGE_BLOB_ENDPOINT string = storage.outputs.blobEndpoint
output AZURE_STORAGE_QUEUE_ENDPOINT string = storage.outputs.queueEndpoint
output AZURE_STORAGE_TABLE_ENDPOINT string = storage.outputs.tableEndpoint
output AZURE_SERVICEBUS_NAMESPACE string = serviceBus.outputs.name
output AZURE_SERVICEBUS_FULLY_QUALIFIED_NAMESPACE string = serviceBus.outputs.fullyQualifiedNamespace
output AZURE_USER_ASSIGNED_IDENTITY_NAME string = identity.outputs.name
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output APPLICATIONINSIGHTS_NAME string = monitoring.outputs.applicationInsightsName
output LOG_ANALYTICS_NAME string = monitoring.outputs.logAnalyticsName
output AZURE_WORKBOOK_ID string = alerts.outputs.workbookId
@description('Where the provider posts webhooks; add ?code=<the provider\'s function key of ReceiveWebhook> or an x-functions-key header (docs/deploy.md).')
output WEBHOOK_URL string = 'https://${api.outputs.defaultHostName}/api/webhooks'
@description('The build flavour this infrastructure runs; azd passes environment values to dotnet publish (azure.yaml).')
output QueueTransport string = 'ServiceBus'
