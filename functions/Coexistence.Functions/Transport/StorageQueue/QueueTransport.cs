using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Coexistence.Functions;

/// <summary>The Storage-queue transport (QueueTransport=StorageQueue): Azurite locally, a storage account in Azure.</summary>
internal static class QueueTransport
{
    public const string Name = "StorageQueue";

    public static void Register(IServiceCollection services, IConfiguration configuration) => services.AddStorageQueueTransport();
}
