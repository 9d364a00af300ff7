using System.Globalization;
using Azure.Data.Tables;
using Coexistence.Model;
using Coexistence.Storage;

namespace Coexistence.Tables;

/// <summary>
/// The layout of the Numbers table (docs/data-model.md): what the pipeline knows about each business number, beside
/// its data rather than in it.
/// <list type="bullet">
/// <item>PartitionKey = phone_number_id: <c>number</c> (the registry row: WABA, display number, first and last webhook
/// seen, retention), <c>e|{occurredAt:D12}|{eventKey}</c> (a lifecycle event attributed to the number),
/// <c>x|number</c> (the number's erasure) and <c>x|c|{customerId}</c> (a customer's erasure).</item>
/// <item>PartitionKey = <c>w|{wabaId}</c>, RowKey = phone_number_id: the WABA's numbers (attribution by WABA).</item>
/// <item>PartitionKey = <c>a|{wabaId}</c>, RowKey = <c>e|{occurredAt:D12}|{eventKey}</c>: every account event of the WABA as
/// received, whether or not a number was known for it then (attributed again whenever the WABA gains a number).</item>
/// </list>
/// The RowKeys of one number's partition are ordered so that the consumers' one query per change,
/// [<see cref="NumberRowKey"/>, <see cref="ErasureRangeEnd"/>), reads the registry row and every erasure, and no event.
/// </summary>
internal static class NumbersTable
{
    public const string NumberRowKey = "number";
    public const string EventRowPrefix = "e|";
    public const string ErasureRowPrefix = "x|";
    public const string NumberErasureRowKey = "x|number";
    public const string CustomerErasureRowPrefix = "x|c|";
    /// <summary>Just after every <c>x|</c> RowKey (<c>}</c> sorts right after <c>|</c>).</summary>
    public const string ErasureRangeEnd = "x}";
    /// <summary>
    /// The media downloads' shared error budget (docs/media.md, "Throttling"), in the partition of its throttle key: a
    /// phone_number_id with credentials of its own, else <c>default</c>. It sorts
    /// before <see cref="NumberRowKey"/>, outside the consumers' range.
    /// </summary>
    public const string MediaThrottleRowKey = "media|throttle";
    public const string WabaPartitionPrefix = "w|";
    public const string AccountEventPartitionPrefix = "a|";

    public static class Columns
    {
        // The registry row.
        public const string WabaId = "WabaId";
        public const string WabaSeenAt = "WabaSeenAt";
        public const string DisplayPhoneNumber = "DisplayPhoneNumber";
        public const string DisplaySeenAt = "DisplaySeenAt";
        public const string FirstSeenAt = "FirstSeenAt";
        public const string LastSeenAt = "LastSeenAt";
        public const string TableRetentionDays = "TableRetentionDays";
        public const string ArchiveRetentionDays = "ArchiveRetentionDays";

        // Events (a number's and a WABA's).
        public const string Event = "Event";
        public const string Reason = "Reason";
        public const string InitiatedBy = "InitiatedBy";
        public const string OccurredAt = "OccurredAt";
        public const string PhoneNumber = "PhoneNumber";
        public const string WebhookId = "WebhookId";
        public const string ChangeId = "ChangeId";
        public const string ReceivedAt = "ReceivedAt";
        public const string ArchiveBlob = "ArchiveBlob";
        public const string Details = "Details";

        // Erasures.
        public const string CustomerId = "CustomerId";
        public const string ErasedAt = "ErasedAt";
        public const string ErasedBy = "ErasedBy";
        public const string State = "State";
        public const string CompletedAt = "CompletedAt";
        /// <summary>A customer's erasure: every id of the person it erased (the one asked for, linked ids, ids of changes), space-separated.</summary>
        public const string ErasedIds = "ErasedIds";
        // What an erasure removed (rows per table, archive blobs deleted or redacted, queue messages).
        public const string MessagesRows = "MessagesRows";
        public const string ContactsRows = "ContactsRows";
        public const string HistorySyncRows = "HistorySyncRows";
        public const string QuarantineRows = "QuarantineRows";
        public const string NumbersRows = "NumbersRows";
        public const string BlobsDeleted = "BlobsDeleted";
        public const string BlobsRedacted = "BlobsRedacted";
        public const string QueueMessages = "QueueMessages";

        // The media throttle row: the failed requests of the last hour (unix seconds, comma-separated), and the pause.
        public const string ErrorTimes = "ErrorTimes";
        public const string PausedUntil = "PausedUntil";
        public const string PauseReason = "PauseReason";
    }

    public static string WabaPartition(string wabaId) => WabaPartitionPrefix + KeyEncoding.Encode(wabaId);

    public static string AccountEventPartition(string wabaId) => AccountEventPartitionPrefix + KeyEncoding.Encode(wabaId);

    /// <summary>
    /// An event's RowKey: its time first, so a partition's events read in time order; then what it says (name, reason,
    /// initiator, display number), so that the same event is one row however many bodies carry it.
    /// </summary>
    public static string EventRowKey(AccountEvent e) =>
        EventRowPrefix + e.OccurredAt.ToString("D12", CultureInfo.InvariantCulture) + "|"
        + KeyEncoding.IdKey($"{e.Event}|{e.Reason}|{e.InitiatedBy}|{e.PhoneNumber}");

    public static string CustomerErasureRowKey(string customerId) => CustomerErasureRowPrefix + customerId;

    /// <summary>An erasure's states: written <c>erasing</c> before anything is deleted, <c>erased</c> once everything is.</summary>
    public const string Erasing = "erasing";
    public const string Erased = "erased";

    /// <summary>The consumers' query: the registry row and the erasures of one number.</summary>
    public static string RegistryAndErasuresFilter(string phoneNumberId) =>
        TableFilters.Range(phoneNumberId, NumberRowKey, ErasureRangeEnd);

    public static string EventsFilter(string partition) =>
        TableFilters.Range(partition, EventRowPrefix, "e}");

    public static TableEntity RegistryRow(NumberRegistration number)
    {
        var row = new TableEntity(number.PhoneNumberId, NumberRowKey)
        {
            [Columns.FirstSeenAt] = number.FirstSeenAt,
            [Columns.LastSeenAt] = number.LastSeenAt,
        };
        if (number.WabaId is not null) row[Columns.WabaId] = number.WabaId;
        if (number.WabaSeenAt is { } wabaSeenAt) row[Columns.WabaSeenAt] = wabaSeenAt;
        if (number.DisplayPhoneNumber is not null) row[Columns.DisplayPhoneNumber] = number.DisplayPhoneNumber;
        if (number.DisplaySeenAt is { } displaySeenAt) row[Columns.DisplaySeenAt] = displaySeenAt;
        return row;
    }

    /// <summary>A registry row's registration; null for a row without its times (one that only retention settings created).</summary>
    public static NumberRegistration? ReadRegistration(TableEntity row) =>
        row.GetDateTimeOffset(Columns.FirstSeenAt) is { } first && row.GetDateTimeOffset(Columns.LastSeenAt) is { } last
            ? new NumberRegistration(row.PartitionKey, row.GetString(Columns.WabaId), row.GetDateTimeOffset(Columns.WabaSeenAt),
                row.GetString(Columns.DisplayPhoneNumber), row.GetDateTimeOffset(Columns.DisplaySeenAt), first, last)
            : null;

    public static TableEntity WabaIndexRow(string wabaId, string phoneNumberId, string? display)
    {
        var row = new TableEntity(WabaPartition(wabaId), phoneNumberId) { [Columns.WabaId] = wabaId };
        if (display is not null) row[Columns.DisplayPhoneNumber] = display;
        return row;
    }

    /// <summary>An event row, in a number's partition or a WABA's (<see cref="AccountEventPartition"/>): the same columns.</summary>
    public static TableEntity EventRow(string partition, NumberEvent numberEvent, string archiveBlob)
    {
        var e = numberEvent.Event;
        var row = new TableEntity(partition, EventRowKey(e))
        {
            [Columns.OccurredAt] = e.OccurredAt,
            [Columns.ReceivedAt] = numberEvent.ReceivedAt,
            [Columns.WebhookId] = numberEvent.WebhookId,
            [Columns.ChangeId] = numberEvent.ChangeId,
            [Columns.ArchiveBlob] = archiveBlob,
            [Columns.Details] = e.Details,
        };
        if (e.Event is not null) row[Columns.Event] = e.Event;
        if (e.Reason is not null) row[Columns.Reason] = e.Reason;
        if (e.InitiatedBy is not null) row[Columns.InitiatedBy] = e.InitiatedBy;
        if (e.PhoneNumber is not null) row[Columns.PhoneNumber] = e.PhoneNumber;
        if (numberEvent.WabaId is not null) row[Columns.WabaId] = numberEvent.WabaId;
        return row;
    }

    public static NumberEvent ReadEvent(TableEntity row) => new(
        new AccountEvent(row.GetString(Columns.Event), row.GetString(Columns.Reason), row.GetString(Columns.InitiatedBy), row.GetString(Columns.PhoneNumber),
            row.GetInt64(Columns.OccurredAt) ?? 0, row.GetString(Columns.Details) ?? "{}"),
        row.GetString(Columns.WabaId), row.GetDateTimeOffset(Columns.ReceivedAt) ?? DateTimeOffset.UnixEpoch, row.GetString(Columns.WebhookId) ?? "",
        row.GetString(Columns.ChangeId) ?? "");

    /// <summary>Whether an event of the WABA is about this number: it names this display number, or none.</summary>
    public static bool IsAbout(NumberEvent numberEvent, string? display) =>
        numberEvent.Event.PhoneNumber is null || numberEvent.Event.PhoneNumber == display;
}
