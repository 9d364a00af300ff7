using Coexistence.Intake;
using Coexistence.Processing;
using Coexistence.Queries;
using Coexistence.Queueing;
using Coexistence.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Coexistence;

/// <summary>
/// The whole domain wired by hand, for the CLI and the tests (the Function App wires the same classes
/// through dependency injection in its AppServices.cs).
/// </summary>
public sealed class Pipeline
{
    public Pipeline(StorageClients storage, IChangeQueue? queue = null, IntakeOptions? intakeOptions = null, TimeProvider? time = null,
        ILoggerFactory? loggerFactory = null)
    {
        loggerFactory ??= NullLoggerFactory.Instance;
        intakeOptions ??= new IntakeOptions();
        intakeOptions.Validate();
        Storage = storage;
        Queue = queue ?? new StorageQueueChangeQueue(storage);
        Archive = new RawArchive(storage);
        Registry = new WebhookRegistry(storage);
        Intake = new WebhookIntake(Registry, Archive, Queue, intakeOptions, time ?? TimeProvider.System, loggerFactory.CreateLogger<WebhookIntake>());
        Messages = new MessageStore(storage, loggerFactory.CreateLogger<MessageStore>());
        Contacts = new ContactStore(storage, loggerFactory.CreateLogger<ContactStore>());
        HistorySync = new HistorySyncStore(storage);
        Quarantine = new QuarantineStore(storage, time ?? TimeProvider.System);
        Processor = new ChangeProcessor(Archive, Messages, Contacts, HistorySync, Quarantine, loggerFactory.CreateLogger<ChangeProcessor>(), time ?? TimeProvider.System);
        Poison = new PoisonQueue(storage);
        Drainer = new StorageQueueDrainer(storage, Processor, Poison, loggerFactory.CreateLogger<StorageQueueDrainer>());
        Queries = new ConversationQueries(storage, HistorySync);
        Time = time ?? TimeProvider.System;
    }

    public TimeProvider Time { get; }

    public StorageClients Storage { get; }
    public IChangeQueue Queue { get; }
    public WebhookRegistry Registry { get; }
    public RawArchive Archive { get; }
    public WebhookIntake Intake { get; }
    public MessageStore Messages { get; }
    public ContactStore Contacts { get; }
    public HistorySyncStore HistorySync { get; }
    public QuarantineStore Quarantine { get; }
    public ChangeProcessor Processor { get; }
    public PoisonQueue Poison { get; }
    public StorageQueueDrainer Drainer { get; }
    public ConversationQueries Queries { get; }
}
