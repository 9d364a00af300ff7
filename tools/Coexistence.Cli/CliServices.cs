using Coexistence.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Coexistence.Cli;

/// <summary>
/// The domain as the CLI uses it: the one wiring (<see cref="CoexistenceServiceCollectionExtensions.AddCoexistence"/>)
/// with the default settings, on the storage the command line chose, with the Storage-queue transport (the CLI
/// drains the queues itself).
/// </summary>
internal static class CliServices
{
    public static ServiceProvider Build(StorageClients storage) =>
        new ServiceCollection()
            .AddCoexistence(new ConfigurationBuilder().Build(), _ => storage)
            .AddStorageQueueTransport()
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
}
