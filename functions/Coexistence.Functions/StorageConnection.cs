using Coexistence.Storage;
using Microsoft.Extensions.Configuration;

namespace Coexistence.Functions;

/// <summary>
/// The <c>CoexistenceStorage</c> connection, shared by our storage clients and the storage-queue
/// triggers: a connection string (Azurite locally), or identity-based service URIs in Azure.
/// </summary>
public static class StorageConnection
{
    public const string Name = "CoexistenceStorage";

    public static StorageClients CreateClients(IConfiguration configuration, StorageNames names)
    {
        if (configuration[Name] is { Length: > 0 } connectionString)
            return StorageClients.FromConnectionString(connectionString, names);

        var section = configuration.GetSection(Name);
        Uri Required(string key) => Uri.TryCreate(section[key], UriKind.Absolute, out var uri)
            ? uri
            : throw new InvalidOperationException(
                $"Setting {Name}__{key} is missing: set {Name} to a connection string, or {Name}__tableServiceUri, __blobServiceUri and __queueServiceUri.");
        return StorageClients.FromServiceUris(Required("tableServiceUri"), Required("blobServiceUri"), Required("queueServiceUri"),
            AzureCredentials.For(section), names);
    }
}
