// The webhook, read API and media API secrets: a Key Vault with Azure RBAC (no access policies), one secret per
// secure parameter that was given, and the app settings that reference them. The app resolves the
// references with its user-assigned identity (api.bicep: keyVaultReferenceIdentity), which rbac.bicep
// makes Key Vault Secrets User on this vault. So no secret value is an app setting, and a secret is
// rotated by adding a version in the vault (docs/deploy.md, "Secrets").
param name string
param location string
param tags object

// Empty: that check is off; no secret and no setting are created for it.
@secure()
param webhookProviderSecret string = ''
@secure()
param webhookMetaAppSecret string = ''
@secure()
param webhookVerifyToken string = ''
@secure()
param webhookHeaderToken string = ''
@secure()
param readApiTokenKey string = ''
// The media API's credentials (Media section, docs/media.md): Meta's bearer token, 360dialog's API key.
@secure()
param mediaAccessToken string = ''
@secure()
param mediaApiKey string = ''
@secure()
@description('phone_number_id -> { accessToken?, apiKey?, ... }: per-number media credentials; only the two secrets are used here.')
param mediaNumberCredentials object = {}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    // Azure RBAC decides who reads secrets, not vault access policies.
    enableRbacAuthorization: true
    enableSoftDelete: true
    // The shortest allowed: a deleted environment's vault name is free again after a week (or at once
    // with `azd down --purge`). Purge protection stays off so that purge works; see docs/deploy.md.
    softDeleteRetentionInDays: 7
    // Flex Consumption without a virtual network reaches the vault over its public endpoint.
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }
}

// Secret name -> the app setting that references it. Literal names, so tests and docs can list them.
var settingOfSecret = {
  'webhook-provider-secret': 'WebhookAuth__ProviderSecrets__0'
  'webhook-meta-app-secret': 'WebhookAuth__MetaAppSecrets__0'
  'webhook-verify-token': 'WebhookAuth__VerifyTokens__0'
  'webhook-header-token': 'WebhookAuth__HeaderTokens__0'
  'read-api-token-key': 'ReadApi__TokenKey'
  'media-access-token': 'Media__AccessToken'
  'media-api-key': 'Media__ApiKey'
}

resource providerSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(webhookProviderSecret)) {
  parent: vault
  name: 'webhook-provider-secret'
  properties: {
    value: webhookProviderSecret
  }
}

resource metaAppSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(webhookMetaAppSecret)) {
  parent: vault
  name: 'webhook-meta-app-secret'
  properties: {
    value: webhookMetaAppSecret
  }
}

resource verifyToken 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(webhookVerifyToken)) {
  parent: vault
  name: 'webhook-verify-token'
  properties: {
    value: webhookVerifyToken
  }
}

resource headerToken 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(webhookHeaderToken)) {
  parent: vault
  name: 'webhook-header-token'
  properties: {
    value: webhookHeaderToken
  }
}

resource tokenKey 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(readApiTokenKey)) {
  parent: vault
  name: 'read-api-token-key'
  properties: {
    value: readApiTokenKey
  }
}

resource mediaAccessTokenSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(mediaAccessToken)) {
  parent: vault
  name: 'media-access-token'
  properties: {
    value: mediaAccessToken
  }
}

resource mediaApiKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(mediaApiKey)) {
  parent: vault
  name: 'media-api-key'
  properties: {
    value: mediaApiKey
  }
}

// A number's own media credentials, those given: secret media-number-<id>-access-token or -api-key, referenced
// by Media__Numbers__<id>__AccessToken or __ApiKey. A phone_number_id is digits, so the name is a valid secret name.
var mediaNumberSecrets = flatten(map(items(mediaNumberCredentials), number => filter([
  {
    secret: 'media-number-${number.key}-access-token'
    setting: 'Media__Numbers__${number.key}__AccessToken'
    value: number.value.?accessToken ?? ''
  }
  {
    secret: 'media-number-${number.key}-api-key'
    setting: 'Media__Numbers__${number.key}__ApiKey'
    value: number.value.?apiKey ?? ''
  }
], credential => !empty(credential.value))))

resource mediaNumberSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = [
  for credential in mediaNumberSecrets: {
    parent: vault
    name: credential.secret
    properties: {
      value: credential.value
    }
  }
]

var given = {
  'webhook-provider-secret': !empty(webhookProviderSecret)
  'webhook-meta-app-secret': !empty(webhookMetaAppSecret)
  'webhook-verify-token': !empty(webhookVerifyToken)
  'webhook-header-token': !empty(webhookHeaderToken)
  'read-api-token-key': !empty(readApiTokenKey)
  'media-access-token': !empty(mediaAccessToken)
  'media-api-key': !empty(mediaApiKey)
}

output name string = vault.name
output id string = vault.id
// App setting -> Key Vault reference, for the secrets that were given: references, never values.
// Versionless, so the app takes the newest version (App Service reads references again at least every
// 24 hours, and at once on a configuration change). Module outputs exist only once every resource of
// the module, the secrets included, is deployed: the app settings never name a secret not yet there.
output appSettings object = union(
  toObject(
    filter(items(settingOfSecret), secret => given[secret.key]),
    secret => secret.value,
    secret => '@Microsoft.KeyVault(SecretUri=${vault.properties.vaultUri}secrets/${secret.key}/)'
  ),
  toObject(
    mediaNumberSecrets,
    credential => credential.setting,
    credential => '@Microsoft.KeyVault(SecretUri=${vault.properties.vaultUri}secrets/${credential.secret}/)'
  )
)
