using Coexistence.Functions;
using Coexistence.Intake;
using Coexistence.Processing;
using Coexistence.Queries;
using Coexistence.Queueing;
using Coexistence.Storage;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// All wiring lives here; the function classes only translate between triggers and the domain.
var builder = FunctionsApplication.CreateBuilder(args);

var intakeOptions = new IntakeOptions();
builder.Configuration.GetSection("Intake").Bind(intakeOptions);
var authOptions = new WebhookAuthOptions();
builder.Configuration.GetSection("WebhookAuth").Bind(authOptions);
authOptions.Validate();
var readApiOptions = new ReadApiOptions();
builder.Configuration.GetSection("ReadApi").Bind(readApiOptions);
readApiOptions.Validate();

// Traces, metrics and logs to Application Insights when it is configured; nothing otherwise.
TelemetrySetup.Register(builder.Services, builder.Configuration);

builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton(StorageNames.Default);
builder.Services.AddSingleton(sp => StorageConnection.CreateClients(builder.Configuration, sp.GetRequiredService<StorageNames>()));
builder.Services.AddSingleton<WebhookRegistry>();
builder.Services.AddSingleton<RawArchive>();
builder.Services.AddSingleton<ClaimCheckStore>();
builder.Services.AddSingleton<WebhookIntake>();
builder.Services.AddSingleton(authOptions);
builder.Services.AddSingleton<WebhookAuthenticator>();
builder.Services.AddSingleton<WebhookDoor>();
builder.Services.AddSingleton<MessageStore>();
builder.Services.AddSingleton<ContactStore>();
builder.Services.AddSingleton<HistorySyncStore>();
builder.Services.AddSingleton<QuarantineStore>();
builder.Services.AddSingleton<ChangeProcessor>();
builder.Services.AddSingleton<ConversationQueries>();
builder.Services.AddSingleton(readApiOptions);
builder.Services.AddSingleton(sp => ContinuationTokens.Create(readApiOptions, sp.GetRequiredService<ILogger<ContinuationTokens>>()));
builder.Services.AddSingleton<ReadApi>();
builder.Services.AddHostedService<StorageProvisioning>();

// The transport compiled into this build (QueueTransport in the .csproj): its sender, consumer and option defaults.
QueueTransport.Register(builder.Services, builder.Configuration, intakeOptions);
intakeOptions.Validate();
builder.Services.AddSingleton(intakeOptions);

builder.Build().Run();

/// <summary>Creates missing tables, queues and containers at start-up (locally; in Azure the deployment already did).</summary>
internal sealed class StorageProvisioning(StorageClients storage) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => storage.EnsureCreatedAsync(cancellationToken);
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
