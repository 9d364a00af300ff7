using Azure.Data.Tables;
using Coexistence.Model;
using Coexistence.Storage;

namespace Coexistence.Tables;

/// <summary>
/// How a write of messages becomes entity group transactions, without I/O (docs/data-model.md, docs/performance.md).
/// <list type="bullet">
/// <item>Every message is two operations: its chat row (an insert, or a merge when the row is known to exist) and
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

    /// <summary>The messages without repeated wamids, the first occurrence kept, in their order.</summary>
    public static List<ChatMessage> DistinctById(IReadOnlyList<ChatMessage> messages)
    {
        var seen = new HashSet<string>(messages.Count, StringComparer.Ordinal);
        var distinct = new List<ChatMessage>(messages.Count);
        foreach (var message in messages)
            if (seen.Add(message.Id)) distinct.Add(message);
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
    /// The operations of one batch. <paramref name="existingRowKeys"/>: chat rows known to exist (merged, not
    /// counted); <paramref name="summaryOf"/>: each chat's summary as last seen, null when it has none.
    /// A chat with no summary but rows that exist (rows stored before summaries were kept, or a summary deleted
    /// by hand) cannot be counted from here: it is left out of the batch's summaries and named for a recount.
    /// </summary>
    public static PlannedBatch Plan(string phoneNumberId, IReadOnlyList<ChatMessage> batch, IReadOnlySet<string> existingRowKeys,
        Func<string, ChatSummary?> summaryOf)
    {
        var actions = new List<TableTransactionAction>(batch.Count * OperationsPerMessage + 4);
        var summaries = new List<(int, ChatSummary)>();
        var recount = new List<string>();
        for (var start = 0; start < batch.Count;)
        {
            var chatId = batch[start].ChatId;
            var created = 0;
            var existed = 0;
            var last = 0L;
            var end = start;
            for (; end < batch.Count && batch[end].ChatId == chatId; end++)
            {
                var message = batch[end];
                var chatRow = new ChatRowEntity(phoneNumberId, MessagesTable.ChatRowKey(message.ChatId, message.Timestamp, message.Id), message);
                var exists = existingRowKeys.Contains(chatRow.RowKey);
                actions.Add(new TableTransactionAction(exists ? TableTransactionActionType.UpsertMerge : TableTransactionActionType.Add, chatRow));
                actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace,
                    new MessageIndexEntity(phoneNumberId, MessagesTable.IndexRowKey(message.Id), chatRow)));
                if (exists) existed++;
                else created++;
                last = Math.Max(last, message.Timestamp);
            }
            start = end;

            var current = summaryOf(chatId);
            if (current is null)
            {
                if (existed > 0) recount.Add(chatId);
                else
                {
                    var summary = new ChatSummary(chatId, created, last, default);
                    summaries.Add((actions.Count, summary));
                    actions.Add(new TableTransactionAction(TableTransactionActionType.Add, summary.ToEntity(phoneNumberId)));
                }
            }
            else if (created > 0 || last > current.LastMessageAt)
            {
                var summary = current with { MessageCount = current.MessageCount + created, LastMessageAt = Math.Max(last, current.LastMessageAt) };
                summaries.Add((actions.Count, summary));
                actions.Add(new TableTransactionAction(TableTransactionActionType.UpdateMerge, summary.ToEntity(phoneNumberId), current.ETag));
            }
        }
        return new PlannedBatch(actions, summaries, recount);
    }

    /// <summary>An upper estimate of a message's two rows on the wire (JSON in UTF-8, 6 bytes per character at worst, as <see cref="TableBatches"/>).</summary>
    internal static long EstimatedBytes(ChatMessage m)
    {
        // The wamid is in five places (three of them key-encoded, up to 3 characters per character), the chat id in four,
        // the partition key in two; the fixed part covers two entities' envelopes, property names and type annotations.
        long characters = 11L * m.Id.Length + 4L * m.ChatId.Length + 2 * 32 + m.From.Length + m.To.Length + m.Type.Length
                          + (m.Status?.Length ?? 0) + (m.Text?.Length ?? 0) + (m.ContentJson?.Length ?? 0);
        if (m.Media is { } media)
            characters += (media.Id?.Length ?? 0) + (media.MimeType?.Length ?? 0) + (media.Sha256?.Length ?? 0) + (media.Caption?.Length ?? 0);
        return 3072 + 6 * characters;
    }

    private const long SummaryBytes = 1024;
}
