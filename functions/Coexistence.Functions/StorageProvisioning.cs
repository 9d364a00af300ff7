using Coexistence.Storage;
using Microsoft.Extensions.Hosting;

namespace Coexistence.Functions;

/// <summary>Creates missing tables, queues and containers at start-up (locally; in Azure the deployment already did).</summary>
internal sealed class StorageProvisioning(StorageClients storage) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => storage.EnsureCreatedAsync(cancellationToken);
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
