using Coexistence.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Coexistence.Functions;

/// <summary>
/// The Function App's wiring: the domain (<see cref="CoexistenceServiceCollectionExtensions.AddCoexistence"/>) on the
/// <c>CoexistenceStorage</c> connection, the transport compiled into this build, telemetry, the refusal to start without
/// webhook authentication, and, locally, the creation of missing storage at start-up. Program.cs calls it; a test builds
/// the container from it and creates every function class, since no Functions host can run on the build machine.
/// </summary>
public static class AppServices
{
    public static void Add(IServiceCollection services, IConfiguration configuration)
    {
        // Traces, metrics and logs to Application Insights when it is configured; nothing otherwise.
        TelemetrySetup.Register(services, configuration);

        services.AddCoexistence(configuration, _ => StorageConnection.CreateClients(configuration, StorageNames.Default));
        // The door faces the internet: no start without webhook authentication, unless explicitly allowed (local runs).
        services.RequireWebhookAuthentication();
        services.AddHostedService<WebhookAuthenticationReport>();
        // The transport compiled into this build (QueueTransport in the .csproj): its sender, its consumer and option defaults.
        QueueTransport.Register(services, configuration);
        if (StorageProvisioning.AppliesTo(configuration))
            services.AddHostedService<StorageProvisioning>();
    }
}
