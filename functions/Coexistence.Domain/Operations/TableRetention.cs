using Azure;
using Azure.Data.Tables;
using Coexistence.Storage;
using Coexistence.Tables;

namespace Coexistence.Operations;

/// <summary>
/// Table retention of one number (docs/data-model.md, "Retention"): the messages sent before the cut-off go, with their
/// wamid index rows, their pending facts and their statuses; so do facts and statuses older than the cut-off of messages
/// never stored, and the number's Quarantine rows received before it. The chats that lost messages are then recounted
/// (an emptied chat's summary goes, unless superseded). Contacts, HistorySync rows, identity links and changes stay.
/// Before deleting, each chat to recount gets a note (<c>r|{chatId}</c>), deleted after its recount: a run stopped in
/// between leaves the note, and the next run recounts the chat even though its old rows are gone.
/// </summary>
internal sealed class TableRetention(StorageClients storage, MessageStore messages)
{
    private TableClient Messages => storage.Table(storage.Names.MessagesTable);
    private TableClient Quarantine => storage.Table(storage.Names.QuarantineTable);

    /// <summary>The row counts of the result (its days and blobs left at 0).</summary>
    public async Task<NumberRetentionResult> RunAsync(string phoneNumberId, DateTimeOffset cutoff, bool dryRun, CancellationToken cancellationToken)
    {
        var cutoffSeconds = cutoff.ToUnixTimeSeconds();

        // Chats an earlier run had yet to recount.
        var recount = new SortedSet<string>(StringComparer.Ordinal);
        await foreach (var note in Messages.QueryAsync<TableEntity>(MessagesTable.RecountRowsFilter(phoneNumberId), select: [nameof(ITableEntity.RowKey)],
                           cancellationToken: cancellationToken))
            recount.Add(note.RowKey[MessagesTable.RecountRowPrefix.Length..]);
        var noted = new HashSet<string>(recount, StringComparer.Ordinal);

        // The chat rows: which messages are old, which are stored at all, and which chats keep messages.
        var old = new List<(string RowKey, ETag ETag)>();
        var oldKeys = new HashSet<string>(StringComparer.Ordinal);
        var storedKeys = new HashSet<string>(StringComparer.Ordinal);
        var chatsKeepingMessages = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var row in Messages.QueryAsync<TableEntity>(MessagesTable.AllChatRowsFilter(phoneNumberId), select: [nameof(ITableEntity.RowKey),
                           MessagesTable.Columns.SentAt], cancellationToken: cancellationToken))
        {
            var parts = row.RowKey.Split('|');
            if (parts.Length < 4) continue;
            var (chatId, key) = (parts[1], parts[3]);
            storedKeys.Add(key);
            var sentAt = MessagesTable.SentAtOf(row.RowKey, chatId) ?? row.GetInt64(MessagesTable.Columns.SentAt) ?? 0;
            if (sentAt < cutoffSeconds)
            {
                old.Add((row.RowKey, row.ETag));
                oldKeys.Add(key);
                recount.Add(chatId);
            }
            else chatsKeepingMessages.Add(chatId);
        }

        // Their index rows (those that point at them), facts and statuses.
        var oldRowKeys = old.Select(o => o.RowKey).ToHashSet(StringComparer.Ordinal);
        var indexOf = new Dictionary<string, (string RowKey, ETag ETag)>(StringComparer.Ordinal);
        await foreach (var row in Messages.QueryAsync<TableEntity>(MessagesTable.IndexRowsFilter(phoneNumberId), select: [nameof(ITableEntity.RowKey),
                           MessagesTable.Columns.ChatRowKey], cancellationToken: cancellationToken))
            if (MessagesTable.ChatRowKeyOf(row) is { } chatRowKey && oldRowKeys.Contains(chatRowKey)) indexOf[chatRowKey] = (row.RowKey, row.ETag);

        bool Goes(string rowKey, long? at) => MessagesTable.MessageKeyOf(rowKey) is { } key
                                              && (oldKeys.Contains(key) || (!storedKeys.Contains(key) && at is { } time && time < cutoffSeconds));
        var facts = new List<(string RowKey, ETag ETag)>();
        await foreach (var row in Messages.QueryAsync<TableEntity>(MessagesTable.PendingRowsFilter(phoneNumberId), select: [nameof(ITableEntity.RowKey),
                           MessagesTable.Columns.EditedAt, MessagesTable.Columns.RevokedAt, MessagesTable.Columns.ReactionAt, nameof(ITableEntity.Timestamp)],
                           cancellationToken: cancellationToken))
            if (Goes(row.RowKey, FactTime(row))) facts.Add((row.RowKey, row.ETag));
        var statuses = new List<(string RowKey, ETag ETag)>();
        await foreach (var row in Messages.QueryAsync<TableEntity>(MessagesTable.AllStatusRowsFilter(phoneNumberId), select: [nameof(ITableEntity.RowKey),
                           MessagesTable.Columns.StatusAt], cancellationToken: cancellationToken))
            if (Goes(row.RowKey, row.GetInt64(MessagesTable.Columns.StatusAt))) statuses.Add((row.RowKey, row.ETag));

        // The number's Quarantine rows: items by when their webhook was received, whole changes by when they were recorded.
        var quarantined = await OldQuarantineRowsAsync(phoneNumberId, cutoff, cancellationToken);

        var emptied = recount.Count(chat => !chatsKeepingMessages.Contains(chat));
        if (dryRun)
            return new NumberRetentionResult(phoneNumberId, null, 0, 0, old.Count, indexOf.Count, facts.Count, statuses.Count, quarantined.Count,
                recount.Count, emptied, 0);

        // The notes first, then the deletes, then the recounts, then the notes go.
        var notes = recount.Where(chat => !noted.Contains(chat))
            .Select(chat => new TableTransactionAction(TableTransactionActionType.UpsertReplace,
                new TableEntity(phoneNumberId, MessagesTable.RecountRowKey(chat)) { [MessagesTable.Columns.ChatId] = chat }))
            .Chunk(TableBatches.MaxOperations);
        foreach (var batch in notes) await Messages.SubmitTransactionAsync(batch, cancellationToken);

        // What hangs off a message before the message itself: a run stopped after the chat rows went finds the rest
        // again only by its own time.
        var quarantineDeleted = await RetentionDeletes.DeleteAsync(Quarantine, phoneNumberId, Singles(quarantined), 1, cancellationToken);
        var factsDeleted = await RetentionDeletes.DeleteAsync(Messages, phoneNumberId, Singles(facts), 1, cancellationToken);
        var statusesDeleted = await RetentionDeletes.DeleteAsync(Messages, phoneNumberId, Singles(statuses), 1, cancellationToken);
        var pairs = old.Select(o => (IReadOnlyList<(string, ETag)>)(indexOf.TryGetValue(o.RowKey, out var index) ? [o, index] : [o])).ToList();
        var messagesDeleted = await RetentionDeletes.DeleteAsync(Messages, phoneNumberId, pairs, 2, cancellationToken);

        await messages.RecountChatsAsync(phoneNumberId, recount, cancellationToken);
        await RetentionDeletes.DeleteAsync(Messages, phoneNumberId, Singles([.. recount.Select(chat => (MessagesTable.RecountRowKey(chat), ETag.All))]), 1,
            cancellationToken);

        return new NumberRetentionResult(phoneNumberId, null, 0, 0, messagesDeleted[0], messagesDeleted[1], factsDeleted[0], statusesDeleted[0],
            quarantineDeleted[0], recount.Count, emptied, 0);
    }

    /// <summary>Quarantine rows of a partition received (items) or recorded (whole changes) before the cut-off.</summary>
    public async Task<List<(string RowKey, ETag ETag)>> OldQuarantineRowsAsync(string partitionKey, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var rows = new List<(string RowKey, ETag ETag)>();
        await foreach (var row in Quarantine.QueryAsync<TableEntity>(TableFilters.Partition(partitionKey), select: [nameof(ITableEntity.RowKey),
                           QuarantineTable.Columns.ReceivedAt, QuarantineTable.Columns.RecordedAt], cancellationToken: cancellationToken))
            if ((row.GetDateTimeOffset(QuarantineTable.Columns.ReceivedAt) ?? row.GetDateTimeOffset(QuarantineTable.Columns.RecordedAt)) is { } at
                && at < cutoff)
                rows.Add((row.RowKey, row.ETag));
        return rows;
    }

    /// <summary>Deletes Quarantine rows read by <see cref="OldQuarantineRowsAsync"/>; how many went.</summary>
    public async Task<int> DeleteQuarantineRowsAsync(string partitionKey, List<(string RowKey, ETag ETag)> rows, CancellationToken cancellationToken) =>
        (await RetentionDeletes.DeleteAsync(Quarantine, partitionKey, Singles(rows), 1, cancellationToken))[0];

    /// <summary>
    /// A pending fact's own time: an edit's, a revoke's or a reaction's timestamp; a media follow-up has none, so the time
    /// its row was last written stands for it.
    /// </summary>
    private static long? FactTime(TableEntity row) =>
        row.GetInt64(MessagesTable.Columns.EditedAt) ?? row.GetInt64(MessagesTable.Columns.RevokedAt) ?? row.GetInt64(MessagesTable.Columns.ReactionAt)
        ?? row.Timestamp?.ToUnixTimeSeconds();

    private static List<IReadOnlyList<(string RowKey, ETag ETag)>> Singles(List<(string RowKey, ETag ETag)> rows) =>
        [.. rows.Select(r => (IReadOnlyList<(string, ETag)>)[r])];
}
