using Azure.Core;
using Azure.Identity;
using Coexistence.Intake;
using Coexistence.Processing;
using Coexistence.Queries;
using Coexistence.Queueing;
using Coexistence.Storage;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// All wiring lives here; the function classes only translate between triggers and the domain.
var builder = FunctionsApplication.CreateBuilder(args);

var intakeOptions = new IntakeOptions();
builder.Configuration.GetSection("Intake").Bind(intakeOptions);
intakeOptions.Validate();

builder.Services.AddSingleton(intakeOptions);
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton(_ => StorageConnection.CreateClients(builder.Configuration));
builder.Services.AddSingleton<IChangeQueue, StorageQueueChangeQueue>();
builder.Services.AddSingleton<RawArchive>();
builder.Services.AddSingleton<ClaimCheckStore>();
builder.Services.AddSingleton<WebhookIntake>();
builder.Services.AddSingleton<MessageStore>();
builder.Services.AddSingleton<ContactStore>();
builder.Services.AddSingleton<HistorySyncStore>();
builder.Services.AddSingleton<QuarantineStore>();
builder.Services.AddSingleton<ChangeProcessor>();
builder.Services.AddSingleton<PoisonQueue>();
builder.Services.AddSingleton<ConversationQueries>();
builder.Services.AddSingleton<Coexistence.Functions.QueueConsumer>();
builder.Services.AddHostedService<StorageProvisioning>();

builder.Build().Run();

/// <summary>
/// Builds the storage clients from the <c>CoexistenceStorage</c> connection, the same setting the queue
/// triggers use: a connection string (Azurite locally), or identity-based service URIs in Azure.
/// </summary>
internal static class StorageConnection
{
    public const string Name = "CoexistenceStorage";

    public static StorageClients CreateClients(IConfiguration configuration)
    {
        if (configuration[Name] is { Length: > 0 } connectionString)
            return StorageClients.FromConnectionString(connectionString);

        var section = configuration.GetSection(Name);
        Uri Required(string key) => Uri.TryCreate(section[key], UriKind.Absolute, out var uri)
            ? uri
            : throw new InvalidOperationException($"Setting {Name}__{key} is missing: set {Name} to a connection string, or {Name}__tableServiceUri, __blobServiceUri and __queueServiceUri.");
        TokenCredential credential = section["clientId"] is { Length: > 0 } clientId
            ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId))
            : new DefaultAzureCredential();
        return StorageClients.FromServiceUris(Required("tableServiceUri"), Required("blobServiceUri"), Required("queueServiceUri"), credential);
    }
}

/// <summary>Creates missing tables, queues and containers at start-up (locally; in Azure the deployment already did).</summary>
internal sealed class StorageProvisioning(StorageClients storage) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => storage.EnsureCreatedAsync(cancellationToken);
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
