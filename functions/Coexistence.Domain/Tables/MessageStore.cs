using System.Collections.Concurrent;
using Azure;
using Azure.Data.Tables;
using Coexistence.Model;
using Coexistence.Storage;
using Microsoft.Extensions.Logging;

namespace Coexistence.Tables;

/// <summary>
/// Writes messages and the facts about them into the Messages table, with each chat's summary. Every
/// write is idempotent and any order of writes ends in the same rows:
/// <list type="bullet">
/// <item>a chunk or an echo creates each message's chat row and wamid index row and counts the message in its
/// chat's summary row, in the same entity group transaction (<see cref="MessageBatches"/>). A wamid that is stored
/// already (a duplicate delivery, or the same message from history and as an echo, with other times) has one row:
/// the copies are merged into it, moved to the earlier time if need be, and not counted again;</item>
/// <item>a fact (follow-up, edit, revoke) is first written as a pending row, then applied to the chat row if
/// the message exists; a message writer applies pending facts after writing. Each side writes before it
/// looks, so at least one of them sees the other.</item>
/// </list>
/// </summary>
internal sealed class MessageStore(StorageClients storage, ILogger<MessageStore> logger)
{
    private const int MaxConflictRetries = 20;

    /// <summary>Lanes of batches written in parallel; a chat's batches are all in one lane, one after another.</summary>
    public const int Lanes = 4;

    /// <summary>Up to this many chats, a write reads their summaries one by one; beyond, all the number's summaries in one range query.</summary>
    public const int SummaryPointReads = 8;

    private TableClient Messages => storage.Table(storage.Names.MessagesTable);

    /// <summary>
    /// Stores messages (history, echoes, the <c>messages</c> field) of one business number. Returns the number of table
    /// batches used, and whether a chat written to was superseded (its customer changed number or user id): its
    /// summary, read before the write and again on every conflict, said so, and the caller reconciles.
    /// </summary>
    public async Task<MessageWrite> WriteMessagesAsync(string phoneNumberId, IReadOnlyList<ChatMessage> messages, CancellationToken cancellationToken)
    {
        if (messages.Count == 0) return default;
        var distinct = MessageBatches.DistinctById(messages);
        var chatIds = distinct.Select(m => m.ChatId).Distinct(StringComparer.Ordinal).ToList();
        var summaries = await ReadSummariesAsync(phoneNumberId, chatIds, cancellationToken);

        var written = new Written();
        var batches = await Task.WhenAll(MessageBatches.Lanes(distinct, Lanes)
            .Select(lane => WriteLaneAsync(phoneNumberId, lane, summaries, written, cancellationToken)));
        if (!written.Recount.IsEmpty) await RecountChatsAsync(phoneNumberId, written.Recount.Distinct(StringComparer.Ordinal), cancellationToken);

        var followUps = await ApplyPendingFactsAsync(phoneNumberId, distinct, written.RowKeys, cancellationToken);
        return new MessageWrite(batches.Sum(), summaries.Values.Any(summary => summary is { Superseded: true }), followUps);
    }

    /// <summary>
    /// What the lanes of one write found out: the row of each message that did not end at its own key (merged into a
    /// stored copy, or moved), and the chats to recount.
    /// </summary>
    private sealed class Written
    {
        public ConcurrentDictionary<string, string> RowKeys { get; } = new(StringComparer.Ordinal);
        public ConcurrentBag<string> Recount { get; } = [];
    }

    private async Task<int> WriteLaneAsync(string phoneNumberId, IReadOnlyList<ChatMessage> lane, ConcurrentDictionary<string, ChatSummary?> summaries,
        Written written, CancellationToken cancellationToken)
    {
        var batches = 0;
        foreach (var batch in MessageBatches.Batches(lane))
        {
            await WriteBatchAsync(phoneNumberId, batch, summaries, written, cancellationToken);
            batches++;
        }
        return batches;
    }

    /// <summary>One batch: planned on what is known, sent; on a conflict, its rows and summaries are read again and it is planned anew.</summary>
    private async Task WriteBatchAsync(string phoneNumberId, IReadOnlyList<ChatMessage> batch, ConcurrentDictionary<string, ChatSummary?> summaries,
        Written written, CancellationToken cancellationToken)
    {
        var stored = new Dictionary<string, TableEntity>(StringComparer.Ordinal);
        for (var attempt = 0; ; attempt++)
        {
            var plan = MessageBatches.Plan(phoneNumberId, batch, stored, chatId => summaries[chatId]);
            try
            {
                if (plan.Actions.Count > 0)
                {
                    var responses = (await Messages.SubmitTransactionAsync(plan.Actions, cancellationToken)).Value;
                    foreach (var (index, summary) in plan.Summaries)
                        summaries[summary.ChatId] = responses[index].Headers.ETag is { } etag
                            ? summary with { ETag = etag }
                            : await ReadSummaryAsync(phoneNumberId, summary.ChatId, cancellationToken);
                }
                foreach (var chatId in plan.ChatsToRecount) written.Recount.Add(chatId);
                foreach (var (id, rowKey) in plan.RowKeys) written.RowKeys[id] = rowKey;
                foreach (var move in plan.Moves)
                    written.RowKeys[move.Message.Id] = await MoveAsync(phoneNumberId, move.Message, move.Row, written.Recount, cancellationToken);
                return;
            }
            catch (RequestFailedException e) when (IsStale(e) && attempt < MaxConflictRetries)
            {
                // A row or summary changed since it was read: a duplicate delivery, another consumer of the number, or
                // this very batch, applied once already when its answer was lost. Look again, then write what is left.
                logger.LogDebug("A batch of {Count} messages in {PhoneNumberId} conflicted (status {Status}); reading its rows and summaries again",
                    batch.Count, phoneNumberId, e.Status);
                await RefreshAsync(phoneNumberId, batch, stored, summaries, cancellationToken);
            }
        }
    }

    /// <summary>
    /// Reads the summaries of the batch's chats, and where its messages are stored: their rows at the keys the batch
    /// would give them (one range query per chat), and for the others, their wamid index and the row it points to.
    /// </summary>
    private async Task RefreshAsync(string phoneNumberId, IReadOnlyList<ChatMessage> batch, Dictionary<string, TableEntity> stored,
        ConcurrentDictionary<string, ChatSummary?> summaries, CancellationToken cancellationToken)
    {
        stored.Clear();
        foreach (var chat in batch.GroupBy(m => m.ChatId, StringComparer.Ordinal))
        {
            summaries[chat.Key] = await ReadSummaryAsync(phoneNumberId, chat.Key, cancellationToken);
            var keys = chat.ToDictionary(m => MessagesTable.ChatRowKey(m.ChatId, m.Timestamp, m.Id), m => m.Id, StringComparer.Ordinal);
            var filter = TableFilters.Range(phoneNumberId, keys.Keys.Min(StringComparer.Ordinal)!, keys.Keys.Max(StringComparer.Ordinal)!, toInclusive: true);
            await foreach (var row in Messages.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
                if (keys.TryGetValue(row.RowKey, out var id)) stored[id] = row;
        }
        var elsewhere = await Task.WhenAll(batch.Where(m => !stored.ContainsKey(m.Id))
            .Select(async m => (m.Id, Row: await ReadChatRowAsync(phoneNumberId, m.Id, cancellationToken))));
        foreach (var (id, row) in elsewhere)
            if (row is not null) stored[id] = row;
    }

    /// <summary>
    /// The row a wamid is stored in, through its index; null when it is not stored. An index whose row is gone (deleted
    /// by hand) is deleted too, on its ETag, so that the message can be written anew: an index that changed meanwhile
    /// (the row moved) is left alone.
    /// </summary>
    public async Task<TableEntity?> ReadChatRowAsync(string phoneNumberId, string messageId, CancellationToken cancellationToken)
    {
        if (await TableRows.GetOrNullAsync(Messages, phoneNumberId, MessagesTable.IndexRowKey(messageId), cancellationToken) is not { } index)
            return null;
        if (MessagesTable.ChatRowKeyOf(index) is { } chatRowKey
            && await TableRows.GetOrNullAsync(Messages, phoneNumberId, chatRowKey, cancellationToken) is { } row)
            return row;
        try
        {
            await Messages.DeleteEntityAsync(phoneNumberId, index.RowKey, index.ETag, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
        }
        return null;
    }

    /// <summary>
    /// Merges a new copy into its stored message and moves the row to the merged (earlier) key: delete, insert and index
    /// in one transaction, conditional on the row's ETag, so that a fact applied meanwhile is not lost. On a conflict it
    /// looks again (the row may have moved, or changed); a message no longer stored is written anew and its chat recounted.
    /// Returns the row key the message ends in.
    /// </summary>
    private async Task<string> MoveAsync(string phoneNumberId, ChatMessage message, TableEntity row, ConcurrentBag<string> recount,
        CancellationToken cancellationToken)
    {
        TableEntity? current = row;
        for (var attempt = 0; ; attempt++)
        {
            List<TableTransactionAction> actions;
            string rowKey;
            if (current is null)
            {
                var chatRow = new ChatRowEntity(phoneNumberId, MessagesTable.ChatRowKey(message.ChatId, message.Timestamp, message.Id), message);
                (rowKey, actions) = (chatRow.RowKey,
                [
                    new(TableTransactionActionType.Add, chatRow),
                    new(TableTransactionActionType.UpsertReplace, new MessageIndexEntity(chatRow)),
                ]);
                recount.Add(message.ChatId);
            }
            else
            {
                var (stored, merged, mergedKey, changed) = MessageBatches.Resolve(current, message);
                rowKey = mergedKey;
                var index = new MessageIndexEntity(new ChatRowEntity(phoneNumberId, rowKey, merged));
                if (rowKey == current.RowKey && !changed) return rowKey;
                actions = rowKey == current.RowKey
                    ?
                    [
                        new(TableTransactionActionType.UpdateReplace, MessagesTable.RewrittenChatRow(current, rowKey, merged), current.ETag),
                        new(TableTransactionActionType.UpsertReplace, index),
                    ]
                    :
                    [
                        new(TableTransactionActionType.Delete, current, current.ETag),
                        new(TableTransactionActionType.Add, MessagesTable.RewrittenChatRow(current, rowKey, merged)),
                        new(TableTransactionActionType.UpsertReplace, index),
                    ];
                recount.Add(stored.ChatId);
                recount.Add(merged.ChatId);
            }
            try
            {
                await Messages.SubmitTransactionAsync(actions, cancellationToken);
                return rowKey;
            }
            catch (RequestFailedException e) when (IsStale(e) && attempt < MaxConflictRetries)
            {
                logger.LogDebug("Moving a message row in {PhoneNumberId} conflicted (status {Status}); looking again", phoneNumberId, e.Status);
                current = await ReadChatRowAsync(phoneNumberId, message.Id, cancellationToken);
            }
        }
    }

    private async Task<ConcurrentDictionary<string, ChatSummary?>> ReadSummariesAsync(string phoneNumberId, List<string> chatIds,
        CancellationToken cancellationToken)
    {
        var summaries = new ConcurrentDictionary<string, ChatSummary?>(StringComparer.Ordinal);
        if (chatIds.Count <= SummaryPointReads)
        {
            await Task.WhenAll(chatIds.Select(async chatId => summaries[chatId] = await ReadSummaryAsync(phoneNumberId, chatId, cancellationToken)));
            return summaries;
        }
        foreach (var chatId in chatIds) summaries[chatId] = null;
        var filter = MessagesTable.SummaryRowsFilter(phoneNumberId);
        await foreach (var row in Messages.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            var summary = ChatSummary.FromEntity(row);
            if (summaries.ContainsKey(summary.ChatId)) summaries[summary.ChatId] = summary;
        }
        return summaries;
    }

    private async Task<ChatSummary?> ReadSummaryAsync(string phoneNumberId, string chatId, CancellationToken cancellationToken) =>
        await TableRows.GetOrNullAsync(Messages, phoneNumberId, MessagesTable.SummaryRowKey(chatId), cancellationToken) is { } row
            ? ChatSummary.FromEntity(row)
            : null;

    /// <summary>
    /// Conflicts that a second look resolves: a row created meanwhile (409), a summary changed (412) or deleted
    /// (404, but not a missing table).
    /// </summary>
    private static bool IsStale(RequestFailedException e) =>
        e.Status is 409 or 412 || (e.Status == 404 && e.ErrorCode != "TableNotFound");

    /// <summary>
    /// Merges columns that are no part of the message itself (the media archive's, docs/media.md) onto its chat row,
    /// wherever the row is now: <paramref name="patchOf"/> says from the row as read which columns to write (null: none),
    /// and the merge holds only if the row did not change meanwhile; else it is read and asked again (a move keeps such
    /// columns, <see cref="MessagesTable.RewrittenChatRow"/>). False when the message is not stored or nothing was to be written.
    /// </summary>
    public async Task<bool> MergeIntoChatRowAsync(string phoneNumberId, string messageId, Func<TableEntity, IReadOnlyDictionary<string, object?>?> patchOf,
        CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            if (await ReadChatRowAsync(phoneNumberId, messageId, cancellationToken) is not { } row || patchOf(row) is not { } columns) return false;
            var patch = new TableEntity(phoneNumberId, row.RowKey);
            foreach (var (name, value) in columns) patch[name] = value;
            try
            {
                await Messages.UpdateEntityAsync(patch, row.ETag, TableUpdateMode.Merge, cancellationToken);
                return true;
            }
            catch (RequestFailedException e) when (IsStale(e) && attempt < MaxConflictRetries)
            {
                logger.LogDebug("A message row in {PhoneNumberId} changed while its media columns were written (status {Status}); looking again",
                    phoneNumberId, e.Status);
            }
        }
    }

    /// <summary>Records facts about messages; each applies now if its message is stored, or when the message arrives.</summary>
    public async Task<int> ApplyFactsAsync(string phoneNumberId, IReadOnlyList<MessageFact> facts, CancellationToken cancellationToken)
    {
        if (facts.Count == 0) return 0;
        var distinct = facts.DistinctBy(MessagesTable.PendingRowKey).ToList();
        // Write first, look second (see the class comment).
        await TableBatches.SubmitAsync(Messages,
            distinct.Select(f => (IReadOnlyList<TableTransactionAction>)[new(TableTransactionActionType.UpsertReplace,
                MessagesTable.PendingRow(phoneNumberId, f))]),
            Lanes, cancellationToken);

        var applied = 0;
        foreach (var fact in distinct)
        {
            var index = await TableRows.GetOrNullAsync(Messages, phoneNumberId, MessagesTable.IndexRowKey(fact.MessageId), cancellationToken);
            if (index is null || MessagesTable.ChatRowKeyOf(index) is not { } chatRowKey) continue;
            if (await ApplyToChatRowAsync(phoneNumberId, chatRowKey, fact, cancellationToken))
            {
                await TableRows.DeleteIfExistsAsync(Messages, phoneNumberId, MessagesTable.PendingRowKey(fact), cancellationToken);
                applied++;
            }
        }
        return applied;
    }

    /// <summary>Applies the pending facts of the messages just written, to the rows they ended in; returns the media follow-ups among them.</summary>
    private async Task<List<MediaFollowUp>?> ApplyPendingFactsAsync(string phoneNumberId, List<ChatMessage> written,
        ConcurrentDictionary<string, string> elsewhere, CancellationToken cancellationToken)
    {
        Dictionary<string, ChatMessage>? byId = null; // only when there is a pending fact at all (rare)
        List<MediaFollowUp>? followUps = null;
        await foreach (var pending in Messages.QueryAsync<TableEntity>(MessagesTable.PendingRowsFilter(phoneNumberId), cancellationToken: cancellationToken))
        {
            if (MessagesTable.ReadPendingRow(pending) is not { } fact) continue;
            byId ??= written.ToDictionary(m => m.Id, StringComparer.Ordinal);
            if (!byId.TryGetValue(fact.MessageId, out var message)) continue;
            var chatRowKey = elsewhere.TryGetValue(fact.MessageId, out var key) ? key : MessagesTable.ChatRowKey(message.ChatId, message.Timestamp, message.Id);
            if (!await ApplyToChatRowAsync(phoneNumberId, chatRowKey, fact, cancellationToken)) continue;
            await TableRows.DeleteIfExistsAsync(Messages, phoneNumberId, pending.RowKey, cancellationToken);
            if (fact is MediaFollowUp followUp) (followUps ??= []).Add(followUp);
        }
        return followUps;
    }

    /// <summary>Read, patch, write with the row's ETag; on a conflict read again. False if the chat row does not exist.</summary>
    private async Task<bool> ApplyToChatRowAsync(string phoneNumberId, string chatRowKey, MessageFact fact, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var row = await TableRows.GetOrNullAsync(Messages, phoneNumberId, chatRowKey, cancellationToken);
            if (row is null) return false;
            var patch = MessagesTable.FactPatch(row, fact);
            if (patch is null) return true;
            try
            {
                await Messages.UpdateEntityAsync(patch, row.ETag, TableUpdateMode.Merge, cancellationToken);
                return true;
            }
            catch (RequestFailedException e) when (TableRows.IsConflict(e) && attempt < MaxConflictRetries)
            {
                logger.LogDebug("Concurrent update of a message row in {PhoneNumberId}; retrying", phoneNumberId);
            }
            catch (RequestFailedException e) when (e.Status == 404 && e.ErrorCode != "TableNotFound")
            {
                // The row moved to an earlier key (another copy of its message) after it was read: the fact stays
                // pending, and the writer that moved it applies the pending facts of its messages afterwards.
                return false;
            }
        }
    }

    /// <summary>
    /// Recomputes chats' summaries by counting their rows: the repair for summaries that counting writes cannot keep
    /// (rows stored before summaries existed, rows or summaries deleted by hand); re-ingestion runs it. The summary's
    /// ETag is read before counting, and every row creation changes the summary in the same transaction, so a count
    /// made before someone else's messages can never overwrite one made after them.
    /// </summary>
    /// <returns>How many summaries were wrong or missing (and are now right).</returns>
    public async Task<int> RecountChatsAsync(string phoneNumberId, IEnumerable<string> chatIds, CancellationToken cancellationToken)
    {
        var corrected = 0;
        await Parallel.ForEachAsync(chatIds, new ParallelOptions { MaxDegreeOfParallelism = Lanes, CancellationToken = cancellationToken },
            async (chatId, ct) =>
            {
                for (var attempt = 0; ; attempt++)
                {
                    var current = await ReadSummaryAsync(phoneNumberId, chatId, ct);
                    var (count, last, customer) = await CountChatAsync(phoneNumberId, chatId, ct);
                    if (current is not null && current.MessageCount == count && current.LastMessageAt == last && current.Customer == customer) return;
                    // A superseded chat keeps its summary (and mark) when empty: see ChatSummary.
                    var superseded = current?.Superseded ?? false;
                    var summary = new ChatSummary(chatId, count, last, default, superseded, customer).ToEntity(phoneNumberId);
                    try
                    {
                        if (count == 0 && current is not null && !superseded) await Messages.DeleteEntityAsync(phoneNumberId, summary.RowKey, current.ETag, ct);
                        else if (count == 0 && current is null) return;
                        else if (current is null) await Messages.AddEntityAsync(summary, ct);
                        else await Messages.UpdateEntityAsync(summary, current.ETag, TableUpdateMode.Replace, ct);
                        Interlocked.Increment(ref corrected);
                        return;
                    }
                    catch (RequestFailedException e) when (IsStale(e) && attempt < MaxConflictRetries)
                    {
                        logger.LogDebug("Concurrent update of a chat summary in {PhoneNumberId}; counting again", phoneNumberId);
                    }
                }
            });
        return corrected;
    }

    /// <summary>Recounts every chat of the number: those with message rows and those with a summary.</summary>
    public async Task<ChatRecount> RecountAllChatsAsync(string phoneNumberId, CancellationToken cancellationToken)
    {
        var chatIds = new HashSet<string>(StringComparer.Ordinal);
        var rows = MessagesTable.AllChatRowsFilter(phoneNumberId);
        await foreach (var row in Messages.QueryAsync<TableEntity>(rows, select: [MessagesTable.Columns.ChatId], cancellationToken: cancellationToken))
            if (row.GetString(MessagesTable.Columns.ChatId) is { } chatId) chatIds.Add(chatId);
        var summaries = MessagesTable.SummaryRowsFilter(phoneNumberId);
        await foreach (var row in Messages.QueryAsync<TableEntity>(summaries, select: [nameof(ITableEntity.RowKey), MessagesTable.Columns.ChatId],
                           cancellationToken: cancellationToken))
            chatIds.Add(ChatSummary.FromEntity(row).ChatId);
        return new ChatRecount(chatIds.Count, await RecountChatsAsync(phoneNumberId, chatIds.Order(StringComparer.Ordinal), cancellationToken));
    }

    private async Task<(long Count, long LastMessageAt, ChatCustomer? Customer)> CountChatAsync(string phoneNumberId, string chatId,
        CancellationToken cancellationToken)
    {
        var filter = MessagesTable.ChatRowsFilter(phoneNumberId, chatId);
        long count = 0, last = 0;
        ChatCustomer? customer = null;
        await foreach (var row in Messages.QueryAsync<TableEntity>(filter,
                           select: [nameof(ITableEntity.RowKey), MessagesTable.Columns.SentAt, MessagesTable.Columns.UserId,
                               MessagesTable.Columns.ParentUserId, MessagesTable.Columns.Username],
                           cancellationToken: cancellationToken))
        {
            count++;
            last = Math.Max(last, row.GetInt64(MessagesTable.Columns.SentAt) ?? 0);
            customer = ChatCustomer.Latest(customer, ChatCustomer.Of(row.RowKey, row.GetString(MessagesTable.Columns.UserId),
                row.GetString(MessagesTable.Columns.ParentUserId), row.GetString(MessagesTable.Columns.Username)));
        }
        return (count, last, customer);
    }
}
