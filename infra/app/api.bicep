// The Function App on Flex Consumption: runs the Service Bus build of functions/Coexistence.Functions
// as a user-assigned identity. Every setting is identity-based; no account key or SAS appears anywhere.
param name string
param planName string
param location string
param tags object

param identityId string
param identityClientId string

param storageAccountName string
param blobEndpoint string
param queueEndpoint string
param tableEndpoint string
param deploymentContainerName string

param serviceBusFullyQualifiedNamespace string
param applicationInsightsConnectionString string

// 40: the lowest value Microsoft documented for Flex Consumption (event-driven-scaling, "Limit scale-out";
// the current page says 1). Valid under both; docs/deploy.md, "Parameters", says how to go lower.
@description('Flex Consumption: the most instances the app scales out to (40 to 1,000 here).')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 40
@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

param intakeMaxBodyBytes int
param intakeClaimCheckThresholdBytes int
param intakeMaxChangesPerBody int
param intakeMaxNumbersPerBody int
param intakeMaxConcurrentWrites int
param intakeAnswerWithinMilliseconds int

@description('Retention:TableDays (0: forever) and Retention:ArchiveDays: the days of a number without its own (docs/operations.md, "Retention").')
param tableRetentionDays int
param archiveRetentionDays int
@description('Retention:Schedule: the ApplyRetention timer\'s NCRONTAB expression; the function cannot be indexed without it.')
param retentionSchedule string

// Webhook authentication (WebhookAuth section) and the read API's token key. The secrets are in Key
// Vault (keyvault.bicep): this module gets only the references, setting name -> @Microsoft.KeyVault(...),
// for the ones that were given. An absent setting means that check is off.
@description('App setting name -> Key Vault reference (keyvault.bicep, output appSettings).')
param keyVaultReferences object
@description('WebhookAuth:HeaderName, the header that carries a shared token (not a secret); empty for none.')
param webhookHeaderName string

// Who may read (App Service authentication in front of the read API; docs/security.md "Read API").
// Either empty: authentication stays on, the Entra ID provider is off, every read request gets 401.
@description('Client id of the Entra ID app registration that stands for the read API (tokens for api://<id>).')
param readApiClientId string
@description('Client ids of the applications allowed to read (partner backends\' managed identities or apps).')
param readApiAllowedClientApplications array
@description('ReadApi:RequireNumberRoles: readers also need an app role naming the number (or all numbers).')
param readApiRequireNumberRoles bool
@description('WebhookAuth:ProviderAccounts: the WABA ids a provider-signed body may name; empty: any.')
param webhookProviderAccounts array
@description('WebhookAuth:MetaAppAccounts: the WABA ids a Meta-signed body may name; empty: any.')
param webhookMetaAppAccounts array

// The media archive (docs/media.md). The credentials are Key Vault references (keyVaultReferences:
// Media__AccessToken, Media__ApiKey, Media__Numbers__<id>__AccessToken and __ApiKey); these are not secrets.
@description('Media:Provider: meta or 360dialog; empty: media are not archived.')
param mediaProvider string
@description('Media:BaseUrl; empty: the provider\'s default.')
param mediaBaseUrl string
@description('phone_number_id -> { provider, baseUrl }, each empty for the account-wide one: Media:Numbers:<id>:Provider and :BaseUrl.')
param mediaNumbers object

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource functionApp 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    // Key Vault references in app settings (docs/deploy.md) resolve with the same identity.
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${blobEndpoint}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }
}

var identitySettings = {
  // Functions host storage (leases, keys, timers).
  AzureWebJobsStorage__accountName: storageAccountName
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identityClientId
  // The pipeline's tables, blobs and queues (functions/Coexistence.Functions/StorageConnection.cs).
  CoexistenceStorage__tableServiceUri: tableEndpoint
  CoexistenceStorage__blobServiceUri: blobEndpoint
  CoexistenceStorage__queueServiceUri: queueEndpoint
  CoexistenceStorage__credential: 'managedidentity'
  CoexistenceStorage__clientId: identityClientId
  // Service Bus triggers and sender (Transport/ServiceBus/QueueTransport.cs).
  ServiceBusConnection__fullyQualifiedNamespace: serviceBusFullyQualifiedNamespace
  ServiceBusConnection__credential: 'managedidentity'
  ServiceBusConnection__clientId: identityClientId
  // Telemetry with Entra ID: the resource has local (key) auth disabled.
  APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsightsConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
  // The door (functions/Coexistence.Domain/Intake/IntakeOptions.cs).
  Intake__MaxBodyBytes: string(intakeMaxBodyBytes)
  Intake__ClaimCheckThresholdBytes: string(intakeClaimCheckThresholdBytes)
  Intake__MaxChangesPerBody: string(intakeMaxChangesPerBody)
  Intake__MaxNumbersPerBody: string(intakeMaxNumbersPerBody)
  Intake__MaxConcurrentWrites: string(intakeMaxConcurrentWrites)
  Intake__AnswerWithinMilliseconds: string(intakeAnswerWithinMilliseconds)
  // Retention (functions/Coexistence.Domain/Operations/RetentionOptions.cs; the ApplyRetention timer).
  Retention__TableDays: string(tableRetentionDays)
  Retention__ArchiveDays: string(archiveRetentionDays)
  Retention__Schedule: retentionSchedule
}

// Set only what was given: an absent setting means that check is off.
var webhookHeaderSettings = empty(webhookHeaderName) ? {} : { WebhookAuth__HeaderName: webhookHeaderName }
// A list setting is one app setting per entry (WebhookAuth__ProviderAccounts__0, __1, ...).
var webhookAccountSettings = union(
  toObject(range(0, length(webhookProviderAccounts)), i => 'WebhookAuth__ProviderAccounts__${i}', i => webhookProviderAccounts[i]),
  toObject(range(0, length(webhookMetaAppAccounts)), i => 'WebhookAuth__MetaAppAccounts__${i}', i => webhookMetaAppAccounts[i])
)
var readApiScopeSettings = readApiRequireNumberRoles ? { ReadApi__RequireNumberRoles: 'true' } : {}
// Media: only what was given; an absent setting takes the code's default (no provider: media are not archived).
var mediaNumberSettings = toObject(
  filter(
    flatten(map(items(mediaNumbers), number => [
      { name: 'Media__Numbers__${number.key}__Provider', value: number.value.?provider ?? '' }
      { name: 'Media__Numbers__${number.key}__BaseUrl', value: number.value.?baseUrl ?? '' }
    ])),
    setting => !empty(setting.value)
  ),
  setting => setting.name,
  setting => setting.value
)
var mediaSettings = union(
  empty(mediaProvider) ? {} : { Media__Provider: mediaProvider },
  empty(mediaBaseUrl) ? {} : { Media__BaseUrl: mediaBaseUrl },
  mediaNumberSettings
)

resource appSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: functionApp
  name: 'appsettings'
  properties: union(identitySettings, webhookHeaderSettings, webhookAccountSettings, readApiScopeSettings, mediaSettings, keyVaultReferences)
}

// App Service authentication ("Easy Auth") in front of everything but the webhook door: a request
// needs an Entra ID access token for the read API, obtained by an allowed application (403 for any
// other), else 401 before any function runs. The function keys are still checked after it.
// Fail closed: without a client id or without allowed applications the provider is off, so nothing
// can authenticate and every read request gets 401; the platform switch itself is never off. (An
// empty allowedApplications would let any application in the tenant in, hence the second condition.)
var readApiAuthConfigured = !empty(readApiClientId) && !empty(readApiAllowedClientApplications)

resource authSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: functionApp
  name: 'authsettingsV2'
  properties: {
    platform: {
      enabled: true
    }
    globalValidation: {
      requireAuthentication: true
      unauthenticatedClientAction: 'Return401'
      // The door authenticates its callers itself (function key, signature or header token). One exact
      // path, no trailing /*: ReceiveWebhook (POST) and VerifyWebhookSubscription (GET, Meta's
      // handshake) share it, and the query string (?code=, hub.*) is not part of the path.
      excludedPaths: [
        '/api/webhooks'
      ]
    }
    httpSettings: {
      requireHttps: true
    }
    login: {
      tokenStore: {
        enabled: false
      }
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: readApiAuthConfigured
        registration: {
          clientId: readApiClientId
          openIdIssuer: '${environment().authentication.loginEndpoint}${tenant().tenantId}/v2.0'
        }
        validation: {
          // v1 tokens carry aud api://<id>, v2 tokens the bare client id.
          allowedAudiences: readApiAuthConfigured ? ['api://${readApiClientId}', readApiClientId] : []
          defaultAuthorizationPolicy: {
            allowedApplications: readApiAllowedClientApplications
          }
        }
      }
    }
  }
  // One configuration write to the site at a time.
  dependsOn: [appSettings]
}

// Deployments (azd, az, func) authenticate with Entra ID; publishing passwords stay off.
resource ftpCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: functionApp
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: functionApp
  name: 'scm'
  properties: {
    allow: false
  }
}

output name string = functionApp.name
output defaultHostName string = functionApp.properties.defaultHostName
