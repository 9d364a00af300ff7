using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Coexistence.Tests.Support;

/// <summary>A real pipeline on isolated Azurite storage, built by the one wiring: deliver bodies through the door, drain the queues.</summary>
internal sealed class PipelineHarness
{
    private PipelineHarness(StorageClients storage, ServiceProvider services) => (Storage, Services) = (storage, services);

    public StorageClients Storage { get; }
    public ServiceProvider Services { get; }

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    public WebhookIntake Intake => Get<WebhookIntake>();
    public WebhookDoor Door => Get<WebhookDoor>();
    public StorageQueueDrainer Drainer => Get<StorageQueueDrainer>();
    public ChangeProcessor Processor => Get<ChangeProcessor>();
    public StorageQueueConsumer Consumer => Get<StorageQueueConsumer>();
    public ConversationQueries Queries => Get<ConversationQueries>();
    public RawArchive Archive => Get<RawArchive>();
    public WebhookRegistry Registry => Get<WebhookRegistry>();
    public MessageStore Messages => Get<MessageStore>();
    public IChangeQueue Queue => Get<IChangeQueue>();

    /// <param name="configure">Last changes to the services, e.g. another <see cref="IChangeQueue"/>.</param>
    /// <param name="serviceBus">The Service Bus transport on this (mocked) client instead of Storage queues: no drainer then.</param>
    public static async Task<PipelineHarness> CreateAsync(TimeProvider? time = null, IntakeOptions? options = null, ILoggerFactory? loggers = null,
        WebhookAuthOptions? auth = null, Action<IServiceCollection>? configure = null, Azure.Messaging.ServiceBus.ServiceBusClient? serviceBus = null) =>
        On(await Azurite.NewStorageAsync(), time, options, loggers, auth, configure, serviceBus);

    /// <summary>The pipeline on storage the test made itself (fault injection, request counting).</summary>
    public static PipelineHarness On(StorageClients storage, TimeProvider? time = null, IntakeOptions? options = null, ILoggerFactory? loggers = null,
        WebhookAuthOptions? auth = null, Action<IServiceCollection>? configure = null, Azure.Messaging.ServiceBus.ServiceBusClient? serviceBus = null) =>
        new(storage, TestServices.Build(storage, time, options, auth, loggers: loggers, configure: configure, serviceBus: serviceBus));

    /// <summary>Posts through the door (must be accepted) and drains every queue.</summary>
    public async Task<IReadOnlyList<ProcessingResult>> DeliverAsync(byte[] body)
    {
        var result = await Intake.ReceiveAsync(body, CancellationToken.None);
        Assert.True(result.Outcome == IntakeOutcome.Accepted, $"expected the door to accept the body, got {result.Outcome}: {result.Problem}");
        return await Drainer.DrainAsync(CancellationToken.None);
    }

    public async Task DeliverAllAsync(IEnumerable<byte[]> bodies)
    {
        foreach (var body in bodies) await DeliverAsync(body);
    }
}
