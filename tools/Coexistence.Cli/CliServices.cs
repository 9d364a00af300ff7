using Coexistence.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Coexistence.Cli;

/// <summary>
/// The domain as the CLI uses it: the one wiring (<see cref="CoexistenceServiceCollectionExtensions.AddCoexistence"/>)
/// with the default settings but for retention's days and the media archive's settings, which come from the environment
/// variables that name them as the Function App's settings do (<c>Retention__TableDays</c>, <c>Media__Provider</c>, ...),
/// on the storage the command line chose, with the Storage-queue transport (the CLI drains the queues itself).
/// </summary>
internal static class CliServices
{
    /// <summary>
    /// The settings the CLI takes from its environment: retention's days (docs/cli.md, "coexistence retention") and the
    /// media archive's partner-wide ones (docs/media.md, "Settings"; per-number credentials are the Function App's alone).
    /// </summary>
    public static readonly string[] EnvironmentSettings =
    [
        "Retention__TableDays", "Retention__ArchiveDays",
        "Media__Provider", "Media__BaseUrl", "Media__AccessToken", "Media__ApiKey", "Media__IdLifetimeDays", "Media__MaxBytes",
        "Media__TimeoutSeconds", "Media__MaxAttempts", "Media__ErrorBudgetPerHour", "Media__ErrorPauseMinutes",
    ];

    public static ServiceProvider Build(StorageClients storage, CliHost host)
    {
        var settings = EnvironmentSettings
            .Select(name => (Key: name.Replace("__", ":", StringComparison.Ordinal), Value: host.GetEnvironmentVariable(name)))
            .Where(s => !string.IsNullOrEmpty(s.Value))
            .Select(s => KeyValuePair.Create(s.Key, s.Value));
        var services = new ServiceCollection();
        if (host.Time is { } time) services.AddSingleton(time);
        return services
            .AddCoexistence(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), _ => storage)
            .AddStorageQueueTransport()
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }
}
