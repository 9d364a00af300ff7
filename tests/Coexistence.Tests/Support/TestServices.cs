using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Coexistence.Tests.Support;

/// <summary>
/// The domain as the tests use it: the one wiring (<c>AddCoexistence</c> with the Storage-queue transport, or the
/// Service Bus one on a mocked client), on the given storage, with a clock that stands still unless another is given,
/// and the options a test sets.
/// </summary>
internal static class TestServices
{
    /// <param name="serviceBus">The Service Bus transport on this client (a mock: no broker runs here) instead of Storage queues.</param>
    public static ServiceProvider Build(StorageClients storage, TimeProvider? time = null, IntakeOptions? intake = null,
        WebhookAuthOptions? auth = null, ReadApiOptions? readApi = null, ILoggerFactory? loggers = null, Action<IServiceCollection>? configure = null,
        Azure.Messaging.ServiceBus.ServiceBusClient? serviceBus = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton(time ?? new FixedTime());
        var configuration = new ConfigurationBuilder().Build();
        services.AddCoexistence(configuration, _ => storage);
        if (serviceBus is null) services.AddStorageQueueTransport();
        else services.AddSingleton(serviceBus).AddServiceBusTransport(configuration);
        if (intake is not null) services.Configure<IntakeOptions>(o => CopyInto(intake, o));
        if (auth is not null) services.Configure<WebhookAuthOptions>(o => CopyInto(auth, o));
        if (readApi is not null) services.Configure<ReadApiOptions>(o => CopyInto(readApi, o));
        if (loggers is not null) services.AddSingleton(loggers);
        configure?.Invoke(services);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    /// <summary>
    /// What the container's start-up validation says of these settings (the host runs the same check before any
    /// function): the messages of every rule they break, or fails the test when they break none.
    /// </summary>
    public static string SettingsError(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build();
        using var services = new ServiceCollection()
            .AddCoexistence(configuration, _ => StorageClients.FromConnectionString(Azurite.ConnectionString))
            .AddStorageQueueTransport()
            .BuildServiceProvider();
        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());
        return error.Message;
    }

    /// <summary>Every settable property of a settings object, so that the container's validation still runs on them.</summary>
    private static void CopyInto<T>(T from, T to)
    {
        foreach (var property in typeof(T).GetProperties().Where(p => p.CanRead && p.CanWrite))
            property.SetValue(to, property.GetValue(from));
    }
}
