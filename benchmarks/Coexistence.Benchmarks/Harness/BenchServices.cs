using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Coexistence.Benchmarks.Harness;

/// <summary>The domain as the harness runs it: the one wiring, on the harness's storage, with the Storage-queue transport.</summary>
internal static class BenchServices
{
    public static ServiceProvider Build(StorageClients storage, IEnumerable<KeyValuePair<string, string?>>? settings = null) =>
        new ServiceCollection()
            .AddCoexistence(new ConfigurationBuilder().AddInMemoryCollection(settings ?? []).Build(), _ => storage)
            .AddStorageQueueTransport()
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
}
