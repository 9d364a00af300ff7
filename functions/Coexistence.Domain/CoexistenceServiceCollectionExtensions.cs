using Azure.Messaging.ServiceBus;
using Coexistence.Archive;
using Coexistence.Changes;
using Coexistence.Intake;
using Coexistence.Media;
using Coexistence.Operations;
using Coexistence.Processing;
using Coexistence.Queries;
using Coexistence.Queueing;
using Coexistence.Storage;
using Coexistence.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Coexistence;

/// <summary>
/// The one wiring of the domain: <see cref="AddCoexistence"/> and one transport (<see cref="AddStorageQueueTransport"/>
/// or <see cref="AddServiceBusTransport"/>). The Function App, the CLI, the soak harness, the benchmarks and the
/// tests all build their services through it; each says only where storage is and which transport carries changes.
/// </summary>
public static class CoexistenceServiceCollectionExtensions
{
    /// <summary>
    /// The domain's services, and its settings bound from <paramref name="configuration"/> (sections <c>Intake</c>,
    /// <c>WebhookAuth</c>, <c>ReadApi</c>, <c>Retention</c>, <c>Media</c>; README, "Settings") and validated at start-up. A <see cref="TimeProvider"/>
    /// registered before is kept (the system clock otherwise).
    /// </summary>
    /// <param name="storage">Where the pipeline's tables, blobs and queues are.</param>
    public static IServiceCollection AddCoexistence(this IServiceCollection services, IConfiguration configuration,
        Func<IServiceProvider, StorageClients> storage)
    {
        services.AddLogging();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(storage);

        AddSettings<IntakeOptions>(services, configuration, "Intake")
            .Validate(o => o.MaxBodyBytes >= 1024, "Intake:MaxBodyBytes must be at least 1024.")
            .Validate(o => o.ClaimCheckThresholdBytes >= 1024, "Intake:ClaimCheckThresholdBytes must be at least 1024.")
            .Validate(o => o.MaxChangesPerBody >= 1, "Intake:MaxChangesPerBody must be at least 1.")
            .Validate(o => o.MaxNumbersPerBody >= 1 && o.MaxNumbersPerBody <= o.MaxChangesPerBody,
                "Intake:MaxNumbersPerBody must be between 1 and Intake:MaxChangesPerBody.")
            .Validate(o => o.AnswerWithinMilliseconds is >= IntakeOptions.MinAnswerWithinMilliseconds and <= IntakeOptions.MaxAnswerWithinMilliseconds,
                $"Intake:AnswerWithinMilliseconds must be between {IntakeOptions.MinAnswerWithinMilliseconds} and {IntakeOptions.MaxAnswerWithinMilliseconds}.")
            .Validate(o => o.MaxConcurrentWrites is >= 1 and <= IntakeOptions.ConcurrentWritesLimit,
                $"Intake:MaxConcurrentWrites must be between 1 and {IntakeOptions.ConcurrentWritesLimit}.");
        AddSettings<WebhookAuthOptions>(services, configuration, "WebhookAuth");
        services.AddSingleton<IValidateOptions<WebhookAuthOptions>, WebhookAuthValidation>();
        AddSettings<ReadApiOptions>(services, configuration, "ReadApi")
            .Validate(o => o.MaxPageSize is >= 1 and <= ReadApiOptions.PageSizeLimit,
                $"ReadApi:MaxPageSize must be between 1 and {ReadApiOptions.PageSizeLimit}.")
            .Validate(o => o.DefaultPageSize >= 1 && o.DefaultPageSize <= o.MaxPageSize,
                "ReadApi:DefaultPageSize must be between 1 and ReadApi:MaxPageSize.")
            .Validate(o => string.IsNullOrEmpty(o.TokenKey) || o.TokenKey.Length >= ReadApiOptions.MinTokenKeyLength,
                $"ReadApi:TokenKey must be at least {ReadApiOptions.MinTokenKeyLength} characters (or unset).");
        AddSettings<RetentionOptions>(services, configuration, "Retention")
            .Validate(o => RetentionOptions.IsValidDays(o.TableDays), $"Retention:TableDays must be from 0 (keep forever) to {RetentionOptions.MaxDays}.")
            .Validate(o => RetentionOptions.IsValidDays(o.ArchiveDays), $"Retention:ArchiveDays must be from 0 (keep forever) to {RetentionOptions.MaxDays}.")
            .Validate(o => RetentionOptions.IsValidSchedule(o.Schedule),
                "Retention:Schedule must be an NCRONTAB expression of 6 fields (seconds first; 5 are accepted), e.g. 0 30 3 * * *.");

        AddSettings<MediaOptions>(services, configuration, "Media");
        services.AddSingleton<IValidateOptions<MediaOptions>, MediaOptionsValidation>();

        // What the door and the consumers share: the archive and the tables.
        services.AddSingleton(sp => new RawArchive(sp.GetRequiredService<StorageClients>()));
        services.AddSingleton(sp => new WebhookRegistry(sp.GetRequiredService<StorageClients>()));
        services.AddSingleton(sp => new MessageStore(sp.GetRequiredService<StorageClients>(), sp.GetRequiredService<ILogger<MessageStore>>()));
        services.AddSingleton(sp => new StatusStore(sp.GetRequiredService<StorageClients>()));
        services.AddSingleton(sp => new ContactStore(sp.GetRequiredService<StorageClients>(), sp.GetRequiredService<ILogger<ContactStore>>()));
        services.AddSingleton(sp => new IdentityStore(sp.GetRequiredService<StorageClients>(), sp.GetRequiredService<MessageStore>(),
            sp.GetRequiredService<ContactStore>(), sp.GetRequiredService<ILogger<IdentityStore>>()));
        services.AddSingleton(sp => new HistorySyncStore(sp.GetRequiredService<StorageClients>()));
        services.AddSingleton(sp => new QuarantineStore(sp.GetRequiredService<StorageClients>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new NumberSnapshots(sp.GetRequiredService<StorageClients>()));
        services.AddSingleton(sp => new NumberRegistry(sp.GetRequiredService<StorageClients>(), sp.GetRequiredService<NumberSnapshots>(),
            sp.GetRequiredService<ILogger<NumberRegistry>>()));
        services.AddSingleton(sp => new ErasureStore(sp.GetRequiredService<StorageClients>()));

        // The door (the transport adds the IChangeQueue it sends to).
        services.AddSingleton(sp => new WebhookIntake(sp.GetRequiredService<WebhookRegistry>(), sp.GetRequiredService<RawArchive>(),
            sp.GetRequiredService<IChangeQueue>(), sp.GetRequiredService<IntakeOptions>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<WebhookIntake>>()));
        services.AddSingleton(sp => new WebhookAuthenticator(sp.GetRequiredService<WebhookAuthOptions>()));
        services.AddSingleton(sp => new WebhookDoor(sp.GetRequiredService<WebhookIntake>(), sp.GetRequiredService<WebhookAuthenticator>(),
            sp.GetRequiredService<WebhookAuthOptions>(), sp.GetRequiredService<IntakeOptions>(), sp.GetRequiredService<ILogger<WebhookDoor>>()));

        // The consumers' work.
        services.AddSingleton(sp => new ChangeProcessor(sp.GetRequiredService<RawArchive>(), sp.GetRequiredService<MessageStore>(),
            sp.GetRequiredService<StatusStore>(), sp.GetRequiredService<ContactStore>(), sp.GetRequiredService<IdentityStore>(), sp.GetRequiredService<HistorySyncStore>(), sp.GetRequiredService<QuarantineStore>(),
            sp.GetRequiredService<NumberSnapshots>(), sp.GetRequiredService<NumberRegistry>(),
            sp.GetRequiredService<ILogger<ChangeProcessor>>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IMediaJobQueue>(),
            sp.GetRequiredService<MediaOptions>()));

        // The media archive (docs/media.md): its jobs travel on a Storage queue whichever transport carries the changes.
        services.AddSingleton<IMediaJobQueue>(sp => new StorageQueueMediaJobQueue(sp.GetRequiredService<StorageClients>()));
        services.AddSingleton(sp => new MediaDownloader(new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            Timeout = Timeout.InfiniteTimeSpan, // each download has its own (Media:TimeoutSeconds)
        }, sp.GetRequiredService<MediaOptions>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new MediaThrottle(sp.GetRequiredService<StorageClients>(), sp.GetRequiredService<MediaOptions>(),
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new MediaArchiver(sp.GetRequiredService<StorageClients>(), sp.GetRequiredService<MessageStore>(),
            sp.GetRequiredService<NumberSnapshots>(), sp.GetRequiredService<QuarantineStore>(), sp.GetRequiredService<MediaDownloader>(), sp.GetRequiredService<MediaThrottle>(),
            sp.GetRequiredService<IMediaJobQueue>(), sp.GetRequiredService<MediaOptions>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<MediaArchiver>>()));
        services.AddSingleton(sp => new MediaQueueDrainer(sp.GetRequiredService<StorageClients>(), sp.GetRequiredService<MediaArchiver>(),
            sp.GetRequiredService<ILogger<MediaQueueDrainer>>()));
        services.AddSingleton(sp => new MediaRefetch(sp.GetRequiredService<StorageClients>(), sp.GetRequiredService<IMediaJobQueue>(),
            sp.GetRequiredService<MediaOptions>(), sp.GetRequiredService<MediaQueueDrainer>(), sp.GetRequiredService<TimeProvider>()));

        // Reads: the CLI's show and the read API.
        services.AddSingleton(sp => new ConversationQueries(sp.GetRequiredService<StorageClients>(), sp.GetRequiredService<StatusStore>(),
            sp.GetRequiredService<HistorySyncStore>(), sp.GetRequiredService<NumberRegistry>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<MediaOptions>()));
        services.AddSingleton(sp => ContinuationTokens.Create(sp.GetRequiredService<ReadApiOptions>(), sp.GetRequiredService<ILogger<ContinuationTokens>>()));
        services.AddSingleton(sp => new ReadApi(sp.GetRequiredService<ConversationQueries>(), sp.GetRequiredService<ContinuationTokens>(),
            sp.GetRequiredService<ReadApiOptions>(), sp.GetRequiredService<ILogger<ReadApi>>()));

        // Operators' reports that need no queue.
        services.AddSingleton(sp => new SyncStatusReport(sp.GetRequiredService<StorageClients>(), sp.GetRequiredService<HistorySyncStore>(), sp.GetRequiredService<NumberRegistry>(),
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new QuarantineReport(sp.GetRequiredService<StorageClients>()));
        services.AddSingleton(sp => new SummaryRecount(sp.GetRequiredService<MessageStore>()));
        services.AddSingleton(sp => new NumberErasure(sp.GetRequiredService<StorageClients>(), sp.GetRequiredService<ErasureStore>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<NumberErasure>>()));
        services.AddSingleton(sp => new CustomerErasure(sp.GetRequiredService<StorageClients>(), sp.GetRequiredService<ErasureStore>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<CustomerErasure>>()));
        services.AddSingleton(sp => new RetentionSweep(sp.GetRequiredService<StorageClients>(), sp.GetRequiredService<MessageStore>(),
            sp.GetRequiredService<RetentionOptions>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<RetentionSweep>>()));
        services.AddSingleton(sp => new RetentionSettings(sp.GetRequiredService<StorageClients>(), sp.GetRequiredService<RetentionOptions>(),
            sp.GetRequiredService<ILogger<RetentionSettings>>()));
        return services;
    }

    /// <summary>
    /// For an app whose door faces the internet (the Function App): it refuses to start unless webhooks are
    /// authenticated (a provider or Meta secret, or a header token) or <c>WebhookAuth:AllowUnsigned</c> is true
    /// (local runs). Fail closed: a deployment that forgot its secret does not silently take anyone's webhooks.
    /// </summary>
    public static IServiceCollection RequireWebhookAuthentication(this IServiceCollection services)
    {
        services.AddOptions<WebhookAuthOptions>().Validate(o => o.AuthenticatesSenders || o.AllowUnsigned, WebhookAuthOptions.NothingConfigured);
        return services;
    }

    /// <summary>
    /// Changes travel on Storage queues (the default build; Azurite locally): the sender, the poison queue, the
    /// consumer the queue-triggered functions use, and what runs the queues where no Functions host does: the drainer
    /// and the operations on top of it (ingestion runs, re-ingestion, poison re-drive).
    /// </summary>
    public static IServiceCollection AddStorageQueueTransport(this IServiceCollection services)
    {
        BoundClaimCheckThreshold(services, StorageQueueChangeQueue.MaxClaimCheckThresholdBytes,
            "Storage queues (a queue message holds 64 KiB after Base64, 48 KiB of text)");
        services.AddSingleton<IChangeQueue>(sp => new StorageQueueChangeQueue(sp.GetRequiredService<StorageClients>()));
        services.AddSingleton(sp => new PoisonQueue(sp.GetRequiredService<StorageClients>()));
        services.AddSingleton(sp => new StorageQueueConsumer(sp.GetRequiredService<ChangeProcessor>(), sp.GetRequiredService<PoisonQueue>()));
        services.AddSingleton(sp => new StorageQueueDrainer(sp.GetRequiredService<StorageClients>(), sp.GetRequiredService<StorageQueueConsumer>(),
            sp.GetRequiredService<ILogger<StorageQueueDrainer>>()));
        services.AddTransient(sp => new IngestionRun(sp.GetRequiredService<WebhookIntake>(), sp.GetRequiredService<StorageQueueDrainer>(),
            sp.GetRequiredService<MediaQueueDrainer>(), sp.GetRequiredService<IntakeOptions>()));
        services.AddSingleton(sp => new Reingestion(sp.GetRequiredService<StorageClients>(), sp.GetRequiredService<RawArchive>(),
            sp.GetRequiredService<WebhookIntake>(), sp.GetRequiredService<StorageQueueDrainer>(), sp.GetRequiredService<MediaQueueDrainer>(),
            sp.GetRequiredService<MessageStore>(),
            sp.GetRequiredService<IntakeOptions>()));
        services.AddSingleton(sp => new PoisonQueueOperations(sp.GetRequiredService<StorageClients>(), sp.GetRequiredService<StorageQueueDrainer>(),
            sp.GetRequiredService<QuarantineStore>()));
        return services;
    }

    /// <summary>
    /// Changes travel on Service Bus queues (the deployed build): the sender and the consumer the Service Bus-triggered
    /// functions use (it schedules retry copies through the same senders), on the <see cref="ServiceBusClient"/> the caller
    /// registers. Unless <c>Intake:ClaimCheckThresholdBytes</c> is configured, values travel inline up to
    /// <see cref="ServiceBusChangeQueue.DefaultClaimCheckThresholdBytes"/> (Service Bus Standard takes 256 KB); a configured
    /// one may not exceed <see cref="ServiceBusChangeQueue.MaxClaimCheckThresholdBytes"/>.
    /// </summary>
    public static IServiceCollection AddServiceBusTransport(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(sp => new ServiceBusSenders(sp.GetRequiredService<ServiceBusClient>(), sp.GetRequiredService<StorageClients>().Names));
        services.AddSingleton<IChangeQueue>(sp => new ServiceBusChangeQueue(sp.GetRequiredService<ServiceBusSenders>()));
        services.AddSingleton(sp => new ServiceBusChangeConsumer(sp.GetRequiredService<ChangeProcessor>(), sp.GetRequiredService<ServiceBusSenders>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<ServiceBusChangeConsumer>>()));
        if (configuration["Intake:ClaimCheckThresholdBytes"] is null)
            services.PostConfigure<IntakeOptions>(o => o.ClaimCheckThresholdBytes = ServiceBusChangeQueue.DefaultClaimCheckThresholdBytes);
        BoundClaimCheckThreshold(services, ServiceBusChangeQueue.MaxClaimCheckThresholdBytes,
            "Service Bus (Standard takes 256 KB per message, headers and properties included)");
        return services;
    }

    /// <summary>
    /// A value inline must fit the transport's messages: a threshold above what they hold would make the door's sends
    /// fail for good (issue 18, finding 5). Checked at start-up, with the other settings.
    /// </summary>
    private static void BoundClaimCheckThreshold(IServiceCollection services, int maxBytes, string transport) =>
        services.AddOptions<IntakeOptions>().Validate(o => o.ClaimCheckThresholdBytes <= maxBytes,
            $"Intake:ClaimCheckThresholdBytes must be at most {maxBytes} with {transport}.");

    /// <summary>Settings bound from a section, validated when the host starts (and when first resolved), and resolvable as the plain object.</summary>
    private static OptionsBuilder<T> AddSettings<T>(IServiceCollection services, IConfiguration configuration, string section) where T : class
    {
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<T>>().Value);
        return services.AddOptions<T>().Bind(configuration.GetSection(section)).ValidateOnStart();
    }
}
