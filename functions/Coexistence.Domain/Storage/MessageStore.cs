using Azure;
using Azure.Data.Tables;
using Coexistence.Processing;
using Microsoft.Extensions.Logging;

namespace Coexistence.Storage;

/// <summary>
/// Writes messages and the facts about them into the Messages table and keeps the Chats table's
/// summaries right. Every write is idempotent and any order of writes ends in the same rows:
/// <list type="bullet">
/// <item>a chunk or an echo merges the properties it owns into the message's chat row and writes the
/// wamid index row, in the same batch;</item>
/// <item>a facet (follow-up, edit, revoke) is first written as a pending row, then applied to the
/// chat row if the message exists; a message writer applies pending facets after writing. Each side
/// writes before it looks, so at least one of them sees the other.</item>
/// </list>
/// </summary>
public sealed class MessageStore(StorageClients storage, ILogger<MessageStore> logger)
{
    private const int MaxConflictRetries = 20;
    private const int Parallelism = 4;

    private TableClient Messages => storage.Table(storage.Names.MessagesTable);
    private TableClient Chats => storage.Table(storage.Names.ChatsTable);

    /// <summary>Stores messages (history or echoes) of one business number. Returns the number of table batches used.</summary>
    public async Task<int> WriteMessagesAsync(string phoneNumberId, IReadOnlyList<ChatMessage> messages, CancellationToken cancellationToken)
    {
        if (messages.Count == 0) return 0;
        var distinct = messages.DistinctBy(m => m.Id).ToList();

        var groups = distinct.Select(m =>
        {
            var chatRow = MessageRows.ChatRow(phoneNumberId, m);
            return (IReadOnlyList<TableTransactionAction>)
            [
                new(TableTransactionActionType.UpsertMerge, chatRow),
                new(TableTransactionActionType.UpsertReplace, MessageRows.IndexRow(phoneNumberId, m, chatRow.RowKey)),
            ];
        });
        var batches = await TableBatches.SubmitAsync(Messages, groups, Parallelism, cancellationToken);

        await ApplyPendingFacetsAsync(phoneNumberId, distinct, cancellationToken);
        await RefreshChatsAsync(phoneNumberId, distinct.Select(m => m.ChatId).Distinct(), cancellationToken);
        return batches;
    }

    /// <summary>Records facts about messages; each applies now if its message is stored, or when the message arrives.</summary>
    public async Task<int> ApplyFacetsAsync(string phoneNumberId, IReadOnlyList<MessageFacet> facets, CancellationToken cancellationToken)
    {
        if (facets.Count == 0) return 0;
        var distinct = facets.DistinctBy(MessageRows.PendingRowKey).ToList();
        // Write first, look second (see the class comment).
        await TableBatches.SubmitAsync(Messages,
            distinct.Select(f => (IReadOnlyList<TableTransactionAction>)[new(TableTransactionActionType.UpsertReplace, MessageRows.PendingRow(phoneNumberId, f))]),
            Parallelism, cancellationToken);

        var applied = 0;
        foreach (var facet in distinct)
        {
            var index = await TableBatches.GetOrNullAsync(Messages, phoneNumberId, MessageRows.IndexRowKey(facet.MessageId), cancellationToken);
            if (index?.GetString("ChatRowKey") is not { } chatRowKey) continue;
            if (await ApplyToChatRowAsync(phoneNumberId, chatRowKey, facet, cancellationToken))
            {
                await TableBatches.DeleteIfExistsAsync(Messages, phoneNumberId, MessageRows.PendingRowKey(facet), cancellationToken);
                applied++;
            }
        }
        return applied;
    }

    private async Task ApplyPendingFacetsAsync(string phoneNumberId, IReadOnlyList<ChatMessage> written, CancellationToken cancellationToken)
    {
        var byId = written.ToDictionary(m => m.Id);
        var filter = $"PartitionKey eq {TableBatches.Quote(phoneNumberId)} and RowKey ge {TableBatches.Quote(MessageRows.PendingRowPrefix)} and RowKey lt 'p}}'";
        await foreach (var pending in Messages.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            if (MessageRows.FacetFromPendingRow(pending) is not { } facet || !byId.TryGetValue(facet.MessageId, out var message)) continue;
            var chatRowKey = MessageRows.ChatRowKey(message.ChatId, message.Timestamp, message.Id);
            if (await ApplyToChatRowAsync(phoneNumberId, chatRowKey, facet, cancellationToken))
                await TableBatches.DeleteIfExistsAsync(Messages, phoneNumberId, pending.RowKey, cancellationToken);
        }
    }

    /// <summary>Read, patch, write with the row's ETag; on a conflict read again. False if the chat row does not exist.</summary>
    private async Task<bool> ApplyToChatRowAsync(string phoneNumberId, string chatRowKey, MessageFacet facet, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var row = await TableBatches.GetOrNullAsync(Messages, phoneNumberId, chatRowKey, cancellationToken);
            if (row is null) return false;
            var patch = MessageRows.FacetPatch(row, facet);
            if (patch is null) return true;
            try
            {
                await Messages.UpdateEntityAsync(patch, row.ETag, TableUpdateMode.Merge, cancellationToken);
                return true;
            }
            catch (RequestFailedException e) when (TableBatches.IsConflict(e) && attempt < MaxConflictRetries)
            {
                logger.LogDebug("Concurrent update of a message row in {PhoneNumberId}; retrying", phoneNumberId);
            }
        }
    }

    /// <summary>
    /// Recomputes each chat's summary from its rows. The summary's ETag is read before counting, so
    /// a summary computed before someone else's messages can never overwrite one computed after them.
    /// </summary>
    public async Task RefreshChatsAsync(string phoneNumberId, IEnumerable<string> chatIds, CancellationToken cancellationToken)
    {
        await Parallel.ForEachAsync(chatIds, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (chatId, ct) =>
            {
                for (var attempt = 0; ; attempt++)
                {
                    var current = await TableBatches.GetOrNullAsync(Chats, phoneNumberId, chatId, ct);
                    var (count, last) = await CountChatAsync(phoneNumberId, chatId, ct);
                    if (current is not null && current.GetInt64("MessageCount") == count && current.GetInt64("LastMessageAt") == last) return;
                    var summary = new TableEntity(phoneNumberId, chatId) { ["ChatId"] = chatId, ["MessageCount"] = count, ["LastMessageAt"] = last };
                    try
                    {
                        if (current is null) await Chats.AddEntityAsync(summary, ct);
                        else await Chats.UpdateEntityAsync(summary, current.ETag, TableUpdateMode.Replace, ct);
                        return;
                    }
                    catch (RequestFailedException e) when (TableBatches.IsConflict(e) && attempt < MaxConflictRetries)
                    {
                        logger.LogDebug("Concurrent update of a chat summary in {PhoneNumberId}; retrying", phoneNumberId);
                    }
                }
            });
    }

    private async Task<(long Count, long LastMessageAt)> CountChatAsync(string phoneNumberId, string chatId, CancellationToken cancellationToken)
    {
        var filter = $"PartitionKey eq {TableBatches.Quote(phoneNumberId)} and RowKey ge {TableBatches.Quote(MessageRows.ChatRangeStart(chatId))} and RowKey lt {TableBatches.Quote(MessageRows.ChatRangeEnd(chatId))}";
        long count = 0, last = 0;
        await foreach (var row in Messages.QueryAsync<TableEntity>(filter, select: ["RowKey", "SentAt"], cancellationToken: cancellationToken))
        {
            count++;
            last = Math.Max(last, row.GetInt64("SentAt") ?? 0);
        }
        return (count, last);
    }
}
