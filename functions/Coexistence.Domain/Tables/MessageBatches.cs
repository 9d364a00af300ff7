using Azure.Data.Tables;
using Coexistence.Model;
using Coexistence.Storage;

namespace Coexistence.Tables;

/// <summary>
/// How a write of messages becomes entity group transactions, without I/O (docs/data-model.md, docs/performance.md).
/// <list type="bullet">
/// <item>Every message is two operations: its chat row (an insert, or a rewrite when the wamid is known to be stored) and
/// its wamid index row. Every chat with messages in a batch adds one: its summary row, inserted or updated on the
/// ETag last seen, counting the rows the batch creates. So a message is counted exactly when its row is created.</item>
/// <item>A chat's messages all go to one lane, so its summary's next ETag is always the one its lane's last batch
/// returned. Lanes are written in parallel, each lane's batches one after another.</item>
/// <item>A batch holds at most 100 operations and an estimated 3 MiB, and a message's two rows never split.</item>
/// </list>
/// </summary>
internal static class MessageBatches
{
    public const int OperationsPerMessage = 2;

    /// <summary>
    /// The messages without repeated wamids, in the order of their first occurrence; the copies of a repeated wamid
    /// merged into one (<see cref="ChatMessage.MergeWith"/>), as they would be if they came one after another.
    /// </summary>
    public static List<ChatMessage> DistinctById(IReadOnlyList<ChatMessage> messages)
    {
        // The usual case, no wamid twice: one set, and the list as it is.
        var seen = new HashSet<string>(messages.Count, StringComparer.Ordinal);
        var repeated = false;
        foreach (var message in messages)
            if (!seen.Add(message.Id)) { repeated = true; break; }
        if (!repeated) return [.. messages];

        var positions = new Dictionary<string, int>(messages.Count, StringComparer.Ordinal);
        var distinct = new List<ChatMessage>(messages.Count);
        foreach (var message in messages)
        {
            if (positions.TryGetValue(message.Id, out var at)) distinct[at] = distinct[at].MergeWith(message);
            else
            {
                positions[message.Id] = distinct.Count;
                distinct.Add(message);
            }
        }
        return distinct;
    }

    /// <summary>
    /// Chats split over at most <paramref name="laneCount"/> lanes, largest chats first, each to the lane with the
    /// fewest messages; within a lane, chat after chat, each chat's messages in time order (rows of a batch then sit
    /// close together in the chat's key range).
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<ChatMessage>> Lanes(IEnumerable<ChatMessage> messages, int laneCount)
    {
        var byChat = new Dictionary<string, List<ChatMessage>>(StringComparer.Ordinal);
        foreach (var message in messages)
        {
            if (!byChat.TryGetValue(message.ChatId, out var chat)) byChat[message.ChatId] = chat = [];
            chat.Add(message);
        }
        var chats = byChat.Values.ToArray();
        foreach (var chat in chats) chat.Sort(InTimeOrder);
        Array.Sort(chats, (a, b) => a.Count != b.Count ? b.Count.CompareTo(a.Count) : string.CompareOrdinal(a[0].ChatId, b[0].ChatId));

        var laneChats = new List<List<ChatMessage>>[Math.Min(laneCount, chats.Length)];
        var sizes = new int[laneChats.Length];
        for (var i = 0; i < laneChats.Length; i++) laneChats[i] = [];
        foreach (var chat in chats)
        {
            var smallest = 0;
            for (var i = 1; i < sizes.Length; i++)
                if (sizes[i] < sizes[smallest]) smallest = i;
            laneChats[smallest].Add(chat);
            sizes[smallest] += chat.Count;
        }

        var lanes = new List<ChatMessage>[laneChats.Length];
        for (var i = 0; i < lanes.Length; i++)
        {
            lanes[i] = new List<ChatMessage>(sizes[i]);
            foreach (var chat in laneChats[i]) lanes[i].AddRange(chat);
        }
        return lanes;
    }

    private static readonly Comparison<ChatMessage> InTimeOrder = (a, b) =>
        a.Timestamp != b.Timestamp ? a.Timestamp.CompareTo(b.Timestamp) : string.CompareOrdinal(a.Id, b.Id);

    /// <summary>A lane cut into batches, in order.</summary>
    public static IEnumerable<IReadOnlyList<ChatMessage>> Batches(IReadOnlyList<ChatMessage> lane)
    {
        for (var start = 0; start < lane.Count;)
        {
            var length = NextBatchLength(lane, start);
            var batch = new ChatMessage[length];
            for (var i = 0; i < length; i++) batch[i] = lane[start + i];
            yield return batch;
            start += length;
        }
    }

    /// <summary>How many messages of <paramref name="lane"/>, from <paramref name="start"/>, make its next batch (at least one).</summary>
    public static int NextBatchLength(IReadOnlyList<ChatMessage> lane, int start)
    {
        var operations = 0;
        var bytes = 0L;
        string? chat = null;
        var end = start;
        for (; end < lane.Count; end++)
        {
            var message = lane[end];
            var needed = OperationsPerMessage + (message.ChatId == chat ? 0 : 1);
            var size = EstimatedBytes(message) + (message.ChatId == chat ? 0 : SummaryBytes);
            if (end > start && (operations + needed > TableBatches.MaxOperations || bytes + size > TableBatches.MaxEstimatedBytes)) break;
            operations += needed;
            bytes += size;
            chat = message.ChatId;
        }
        return end - start;
    }

    /// <summary>
    /// The operations of one batch. <paramref name="storedRows"/>: for messages whose wamid is known to be stored, the
    /// row it is stored in (read after a conflict); <paramref name="summaryOf"/>: each chat's summary as last seen, null
    /// when it has none.
    /// <list type="bullet">
    /// <item>A new message is its wamid index inserted conditionally (<c>Add</c>) and its chat row upserted (merge) in the
    /// same transaction: a wamid stored already, at this key (a duplicate) or another (another copy, with another time),
    /// makes the batch conflict instead of making a second row. (One conditional insert per message, not two: measured,
    /// a second costs about a third more of our CPU per message.)</item>
    /// <item>A stored message is merged with the new copy (<see cref="ChatMessage.MergeWith"/>): rewritten in place when
    /// that changes it (on the row's ETag), or, when the merged time is earlier, moved to its earlier key after the batch
    /// (<see cref="PlannedBatch.Moves"/>: a delete and an insert cannot share a batch with the message's other rows
    /// within 100 operations). Neither is counted again; a move names its chats for a recount (the last message time).</item>
    /// </list>
    /// A chat with no summary but rows that exist (a summary deleted by hand) cannot be counted from here: it is left out
    /// of the batch's summaries and named for a recount.
    /// </summary>
    public static PlannedBatch Plan(string phoneNumberId, IReadOnlyList<ChatMessage> batch, IReadOnlyDictionary<string, TableEntity> storedRows,
        Func<string, ChatSummary?> summaryOf)
    {
        var actions = new List<TableTransactionAction>(batch.Count * OperationsPerMessage + 4);
        var summaries = new List<(int, ChatSummary)>();
        var recount = new List<string>();
        var moves = new List<PlannedMove>();
        var rowKeys = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var start = 0; start < batch.Count;)
        {
            var chatId = batch[start].ChatId;
            var created = 0;
            var existed = 0;
            var last = 0L;
            ChatCustomer? customer = null;
            var end = start;
            for (; end < batch.Count && batch[end].ChatId == chatId; end++)
            {
                var message = batch[end];
                if (storedRows.TryGetValue(message.Id, out var row))
                {
                    existed++;
                    var resolution = Resolve(row, message);
                    rowKeys[message.Id] = resolution.RowKey;
                    if (resolution.RowKey != row.RowKey)
                    {
                        moves.Add(new PlannedMove(message, row));
                        recount.AddRange([resolution.Stored.ChatId, resolution.Merged.ChatId]);
                        continue;
                    }
                    if (resolution.Changed)
                        actions.Add(new TableTransactionAction(TableTransactionActionType.UpdateReplace,
                            MessagesTable.RewrittenChatRow(row, row.RowKey, resolution.Merged), row.ETag));
                    customer = ChatCustomer.Latest(customer, ChatCustomer.Of(row.RowKey, resolution.Merged));
                    actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace,
                        new MessageIndexEntity(new ChatRowEntity(phoneNumberId, row.RowKey, resolution.Merged))));
                    continue;
                }
                var chatRow = new ChatRowEntity(phoneNumberId, MessagesTable.ChatRowKey(message.ChatId, message.Timestamp, message.Id), message);
                actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertMerge, chatRow));
                actions.Add(new TableTransactionAction(TableTransactionActionType.Add,
                    new MessageIndexEntity(chatRow)));
                created++;
                last = Math.Max(last, message.Timestamp);
                customer = ChatCustomer.Latest(customer, ChatCustomer.Of(chatRow.RowKey, message));
            }
            start = end;

            var current = summaryOf(chatId);
            if (current is null)
            {
                if (existed > 0) recount.Add(chatId);
                else
                {
                    var summary = new ChatSummary(chatId, created, last, default, Customer: customer);
                    summaries.Add((actions.Count, summary));
                    actions.Add(new TableTransactionAction(TableTransactionActionType.Add, summary.ToEntity(phoneNumberId)));
                }
            }
            else if ((ChatCustomer.Latest(current.Customer, customer) is var latestCustomer)
                     && (created > 0 || last > current.LastMessageAt || latestCustomer != current.Customer))
            {
                var summary = current with
                {
                    MessageCount = current.MessageCount + created, LastMessageAt = Math.Max(last, current.LastMessageAt), Customer = latestCustomer,
                };
                summaries.Add((actions.Count, summary));
                // Replace, on the ETag of the summary as read whole: a customer field that the latest message lacks is removed.
                actions.Add(new TableTransactionAction(TableTransactionActionType.UpdateReplace, summary.ToEntity(phoneNumberId), current.ETag));
            }
        }
        return new PlannedBatch(actions, summaries, recount, moves, rowKeys);
    }

    /// <summary>
    /// What a stored row and a new copy of its message make: the merged message, the key it belongs at (its chat and
    /// its merged, earliest time), and whether that differs from what the row holds.
    /// </summary>
    public static (StoredMessage Stored, ChatMessage Merged, string RowKey, bool Changed) Resolve(TableEntity row, ChatMessage message)
    {
        var stored = MessagesTable.ReadChatRow(row);
        var current = stored.ToMessage();
        var merged = current.MergeWith(message);
        return (stored, merged, MessagesTable.ChatRowKey(merged.ChatId, merged.Timestamp, merged.Id), merged != current);
    }

    /// <summary>An upper estimate of a message's two rows on the wire (JSON in UTF-8, 6 bytes per character at worst, as <see cref="TableBatches"/>).</summary>
    internal static long EstimatedBytes(ChatMessage m)
    {
        // The wamid is in five places (three of them key-encoded, up to 3 characters per character), the chat id in four,
        // the partition key in two; the fixed part covers two entities' envelopes, property names and type annotations.
        long characters = 11L * m.Id.Length + 4L * m.ChatId.Length + 2 * 32 + m.From.Length + m.To.Length + m.Type.Length
                          + (m.Status?.Length ?? 0) + (m.Text?.Length ?? 0) + (m.ContentJson?.Length ?? 0)
                          + (m.UserId?.Length ?? 0) + (m.ParentUserId?.Length ?? 0) + (m.Username?.Length ?? 0) + (m.ErrorsJson?.Length ?? 0);
        if (m.Context is { } context)
            characters += (context.ReplyToId?.Length ?? 0) + (context.ReplyToFrom?.Length ?? 0) + (context.ReferralJson?.Length ?? 0) + 64;
        if (m.Media is { } media)
            characters += (media.Id?.Length ?? 0) + (media.MimeType?.Length ?? 0) + (media.Sha256?.Length ?? 0) + (media.Caption?.Length ?? 0);
        return 3072 + 6 * characters;
    }

    private const long SummaryBytes = 1024;
}
