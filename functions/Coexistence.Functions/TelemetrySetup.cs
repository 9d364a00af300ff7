using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Coexistence.Telemetry;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;

namespace Coexistence.Functions;

/// <summary>
/// OpenTelemetry with the Azure Monitor exporter (docs/operations.md says why): the worker's invocation
/// spans, the pipeline's <c>Coexistence</c> ActivitySource and Meter, and the logs, all to Application
/// Insights. Nothing is registered when APPLICATIONINSIGHTS_CONNECTION_STRING is unset (local runs, tests).
/// </summary>
public static class TelemetrySetup
{
    public const string ConnectionStringSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";
    public const string AuthenticationStringSetting = "APPLICATIONINSIGHTS_AUTHENTICATION_STRING";

    /// <summary>True when telemetry was registered.</summary>
    public static bool Register(IServiceCollection services, IConfiguration configuration)
    {
        if (configuration[ConnectionStringSetting] is not { Length: > 0 } connectionString) return false;
        services.AddOpenTelemetry()
            .UseFunctionsWorkerDefaults()
            .WithTracing(tracing => tracing.AddSource(CoexistenceTelemetry.Name))
            .WithMetrics(metrics => metrics.AddMeter(CoexistenceTelemetry.Name))
            .UseAzureMonitorExporter(options =>
            {
                options.ConnectionString = connectionString;
                // Application Insights accepts Entra ID telemetry only (DisableLocalAuth): the app's user-assigned identity.
                if (ClientIdOf(configuration[AuthenticationStringSetting]) is { } clientId)
                    options.Credential = new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId));
            });
        return true;
    }

    /// <summary><c>ClientId=&lt;id&gt;;Authorization=AAD</c> to the client id; null when absent or not AAD.</summary>
    internal static string? ClientIdOf(string? authenticationString)
    {
        if (string.IsNullOrEmpty(authenticationString)) return null;
        var parts = authenticationString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2)).Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1], StringComparer.OrdinalIgnoreCase);
        return parts.GetValueOrDefault("Authorization")?.Equals("AAD", StringComparison.OrdinalIgnoreCase) == true
            && parts.GetValueOrDefault("ClientId") is { Length: > 0 } clientId ? clientId : null;
    }
}
