using Coexistence.Changes;
using Coexistence.Webhooks;

namespace Coexistence.Storage;

/// <summary>
/// Every table, queue and blob container the pipeline uses. The defaults are the production names
/// (docs/data-model.md, docs/queue-messages.md); tests give each run its own prefix.
/// </summary>
public sealed record StorageNames
{
    public string MessagesTable { get; init; } = "Messages";
    public string ContactsTable { get; init; } = "Contacts";
    public string HistorySyncTable { get; init; } = "HistorySync";
    public string QuarantineTable { get; init; } = "Quarantine";
    public string WebhooksTable { get; init; } = "Webhooks";
    public string NumbersTable { get; init; } = "Numbers";

    public string HistoryQueue { get; init; } = QueueNames.History;
    public string ContactsQueue { get; init; } = QueueNames.ContactSync;
    public string EchoesQueue { get; init; } = QueueNames.MessageEchoes;
    public string MessagesQueue { get; init; } = QueueNames.Messages;
    public string AccountUpdatesQueue { get; init; } = QueueNames.AccountUpdates;

    /// <summary>The media jobs' Storage queue (docs/media.md); not one of the change queues of <see cref="Queues"/>.</summary>
    public string MediaQueue { get; init; } = QueueNames.Media;

    public string RawArchiveContainer { get; init; } = "raw-webhooks";

    /// <summary>The downloaded media files, <c>{phoneNumberId}/{wamid key}/{mediaId}</c> (docs/media.md).</summary>
    public string MediaContainer { get; init; } = "media";

    public static StorageNames Default { get; } = new();

    /// <summary>Names isolated by a short lower-case alphanumeric prefix (tests, side-by-side environments).</summary>
    public static StorageNames WithPrefix(string prefix)
    {
        if (prefix.Length is 0 or > 20 || !prefix.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9') || !char.IsAsciiLetter(prefix[0]))
            throw new ArgumentException("A storage prefix is 1-20 lower-case letters or digits, starting with a letter.", nameof(prefix));
        return new StorageNames
        {
            MessagesTable = prefix + "Messages",
            ContactsTable = prefix + "Contacts",
            HistorySyncTable = prefix + "HistorySync",
            QuarantineTable = prefix + "Quarantine",
            WebhooksTable = prefix + "Webhooks",
            NumbersTable = prefix + "Numbers",
            HistoryQueue = prefix + "-history",
            ContactsQueue = prefix + "-contacts",
            EchoesQueue = prefix + "-echoes",
            MessagesQueue = prefix + "-messages",
            AccountUpdatesQueue = prefix + "-accounts",
            MediaQueue = prefix + "-media",
            RawArchiveContainer = prefix + "-raw-webhooks",
            MediaContainer = prefix + "-media",
        };
    }

    public string QueueFor(WebhookKind kind) => kind switch
    {
        WebhookKind.History => HistoryQueue,
        WebhookKind.ContactSync => ContactsQueue,
        WebhookKind.MessageEchoes => EchoesQueue,
        WebhookKind.Messages => MessagesQueue,
        WebhookKind.AccountUpdate => AccountUpdatesQueue,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>Where the storage-queue transport moves messages that can never succeed (the Functions host uses the same name).</summary>
    public static string PoisonQueueOf(string queue) => queue + "-poison";

    public IEnumerable<string> Tables => [MessagesTable, ContactsTable, HistorySyncTable, QuarantineTable, WebhooksTable, NumbersTable];
    public IEnumerable<string> Queues => [HistoryQueue, ContactsQueue, EchoesQueue, MessagesQueue, AccountUpdatesQueue];
    public IEnumerable<string> Containers => [RawArchiveContainer];
}
