using Coexistence.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Coexistence.Functions;

/// <summary>
/// The Function App's wiring: the domain (<see cref="CoexistenceServiceCollectionExtensions.AddCoexistence"/>) on the
/// <c>CoexistenceStorage</c> connection, the transport compiled into this build, telemetry, the refusal to start without
/// webhook authentication or with an unresolved Key Vault reference, and, locally, the creation of missing storage at
/// start-up. Program.cs calls it; a test builds the container from it and creates every function class, since no
/// Functions host can run on the build machine.
/// </summary>
public static class AppServices
{
    public static void Add(IServiceCollection services, IConfiguration configuration)
    {
        // In Azure the secrets are Key Vault references (infra/app/keyvault.bicep). One that App Service could not
        // resolve (its identity not yet allowed, the secret missing) reaches the app as its own text, which is no
        // secret: the vault and secret names follow from the app's. Refuse to start rather than check webhooks with it.
        if (UnresolvedKeyVaultReferences(configuration) is { Count: > 0 } unresolved)
            throw new InvalidOperationException(
                $"Unresolved Key Vault reference in {string.Join(", ", unresolved)}: App Service could not read the secret "
                + "(check the setting's Key Vault reference status, and the identity's Key Vault Secrets User role), then restart the app. "
                + "See docs/deploy.md, \"Secrets\".");

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

    /// <summary>The settings whose value is still an <c>@Microsoft.KeyVault(...)</c> reference, by name (never their values).</summary>
    private static List<string> UnresolvedKeyVaultReferences(IConfiguration configuration) =>
        configuration.AsEnumerable()
            .Where(setting => setting.Value?.TrimStart().StartsWith("@Microsoft.KeyVault(", StringComparison.OrdinalIgnoreCase) == true)
            .Select(setting => setting.Key)
            .Order(StringComparer.Ordinal)
            .ToList();
}
