// The user-assigned identity the Function App runs as: every connection (host storage, our storage,
// Service Bus, Application Insights, the deployment package) authenticates with it; no keys anywhere.
param name string
param location string
param tags object

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: name
  location: location
  tags: tags
}

output id string = identity.id
output name string = identity.name
output clientId string = identity.properties.clientId
output principalId string = identity.properties.principalId
