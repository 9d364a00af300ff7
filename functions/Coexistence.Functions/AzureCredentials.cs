using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.Configuration;

namespace Coexistence.Functions;

/// <summary>
/// The credential for an identity-based connection section (<c>X__credential</c>, <c>X__clientId</c>),
/// following the Functions convention: a user-assigned managed identity when a client id is given,
/// otherwise whatever DefaultAzureCredential finds (developer sign-in locally).
/// </summary>
public static class AzureCredentials
{
    public static TokenCredential For(IConfigurationSection connection) =>
        connection["clientId"] is { Length: > 0 } clientId
            ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId))
            : connection["credential"] == "managedidentity"
                ? new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned)
                : new DefaultAzureCredential();
}
