using Coexistence.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Coexistence.Functions;

/// <summary>
/// Creates missing tables, queues and containers at start-up, locally only: when <c>CoexistenceStorage</c> is a
/// connection string (Azurite). In Azure the connection is identity-based and the deployment has created all of it
/// (infra/app/storage.bicep); creating it again there would make the first start wait on role assignments that may
/// not have propagated yet, and a failure would stop the app.
/// </summary>
internal sealed class StorageProvisioning(StorageClients storage) : IHostedService
{
    /// <summary>Whether the app creates its storage at start-up: only with a connection string (Azurite, a local run).</summary>
    public static bool AppliesTo(IConfiguration configuration) => configuration[StorageConnection.Name] is { Length: > 0 };

    public Task StartAsync(CancellationToken cancellationToken) => storage.EnsureCreatedAsync(cancellationToken);
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
