using Coexistence.Intake;
using Coexistence.Processing;
using Coexistence.Queries;
using Coexistence.Queueing;
using Coexistence.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Coexistence.Functions;

/// <summary>
/// All of the Function App's wiring: options bound and validated, the domain's classes, the transport
/// compiled into this build, telemetry. Program.cs calls it; a test builds the container from it and
/// creates every function class, since no Functions host can run on the build machine.
/// </summary>
public static class AppServices
{
    public static void Add(IServiceCollection services, IConfiguration configuration)
    {
        var intakeOptions = new IntakeOptions();
        configuration.GetSection("Intake").Bind(intakeOptions);
        var authOptions = new WebhookAuthOptions();
        configuration.GetSection("WebhookAuth").Bind(authOptions);
        authOptions.Validate();
        var readApiOptions = new ReadApiOptions();
        configuration.GetSection("ReadApi").Bind(readApiOptions);
        readApiOptions.Validate();

        // Traces, metrics and logs to Application Insights when it is configured; nothing otherwise.
        TelemetrySetup.Register(services, configuration);

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(StorageNames.Default);
        services.AddSingleton(sp => StorageConnection.CreateClients(configuration, sp.GetRequiredService<StorageNames>()));
        services.AddSingleton<WebhookRegistry>();
        services.AddSingleton<RawArchive>();
        services.AddSingleton<WebhookIntake>();
        services.AddSingleton(authOptions);
        services.AddSingleton<WebhookAuthenticator>();
        services.AddSingleton<WebhookDoor>();
        services.AddSingleton<MessageStore>();
        services.AddSingleton<ContactStore>();
        services.AddSingleton<HistorySyncStore>();
        services.AddSingleton<QuarantineStore>();
        services.AddSingleton<ChangeProcessor>();
        services.AddSingleton<ConversationQueries>();
        services.AddSingleton(readApiOptions);
        services.AddSingleton(sp => ContinuationTokens.Create(readApiOptions, sp.GetRequiredService<ILogger<ContinuationTokens>>()));
        services.AddSingleton<ReadApi>();
        services.AddHostedService<StorageProvisioning>();

        // The transport compiled into this build (QueueTransport in the .csproj): its sender, consumer and option defaults.
        QueueTransport.Register(services, configuration, intakeOptions);
        intakeOptions.Validate();
        services.AddSingleton(intakeOptions);
    }
}

/// <summary>Creates missing tables, queues and containers at start-up (locally; in Azure the deployment already did).</summary>
internal sealed class StorageProvisioning(StorageClients storage) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => storage.EnsureCreatedAsync(cancellationToken);
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
