using Azure.Data.Tables;
using Coexistence.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Coexistence.Tests.Storage;

/// <summary>
/// Chat summaries (<c>s|{chatId}</c>) count each chat row exactly once, however writes repeat, overlap, race or
/// lose their answers, because a row and its count are written in one transaction (docs/data-model.md).
/// Every test compares the summary with the chat rows actually stored.
/// </summary>
public class ChatSummaryTests
{
    private const string Number = "106540352242922";

    private static ChatMessage Message(string chatId, int index) =>
        new($"wamid.{chatId}.{index:D5}", chatId, Direction.Inbound, chatId, "15550001111", 1_700_000_000 + index * 10L, "text", null,
            MessageSource.History, $"message {index}", null, null);

    private static List<ChatMessage> Messages(string chatId, int from, int count) => Enumerable.Range(from, count).Select(i => Message(chatId, i)).ToList();

    private static MessageStore Store(StorageClients storage) => new(storage, NullLogger<MessageStore>.Instance);

    /// <summary>Every chat's summary next to what its rows say: (chat, summary count, rows, summary last, rows' last).</summary>
    private static async Task<List<(string Chat, long Count, long Rows, long Last, long RowsLast)>> SummariesAndRowsAsync(StorageClients storage)
    {
        var rows = new Dictionary<string, (long Count, long Last)>();
        var summaries = new Dictionary<string, (long Count, long Last)>();
        await foreach (var row in storage.Table(storage.Names.MessagesTable).QueryAsync<TableEntity>($"PartitionKey eq '{Number}'"))
        {
            if (row.RowKey.StartsWith("c|", StringComparison.Ordinal))
            {
                var chat = row.GetString("ChatId")!;
                var (count, last) = rows.GetValueOrDefault(chat);
                rows[chat] = (count + 1, Math.Max(last, row.GetInt64("SentAt")!.Value));
            }
            else if (row.RowKey.StartsWith("s|", StringComparison.Ordinal))
                summaries[row.GetString("ChatId")!] = (row.GetInt64("MessageCount")!.Value, row.GetInt64("LastMessageAt")!.Value);
        }
        return rows.Keys.Union(summaries.Keys).Order(StringComparer.Ordinal)
            .Select(chat => (chat, summaries.GetValueOrDefault(chat, (-1, -1)).Count, rows.GetValueOrDefault(chat).Count,
                summaries.GetValueOrDefault(chat, (-1, -1)).Last, rows.GetValueOrDefault(chat).Last))
            .ToList();
    }

    private static void AssertSummariesMatchRows(List<(string Chat, long Count, long Rows, long Last, long RowsLast)> state)
    {
        Assert.NotEmpty(state);
        Assert.All(state, s => Assert.Equal((s.Chat, s.Rows, s.RowsLast), (s.Chat, s.Count, s.Last)));
    }

    [Fact]
    public async Task A_repeated_and_an_overlapping_write_count_each_message_once()
    {
        var storage = await Azurite.NewStorageAsync();
        var store = Store(storage);

        await store.WriteMessagesAsync(Number, Messages("491", 0, 120), default);
        await store.WriteMessagesAsync(Number, Messages("491", 0, 120), default);   // the same chunk again
        await store.WriteMessagesAsync(Number, Messages("491", 100, 50), default);  // 20 known, 30 new

        var state = await SummariesAndRowsAsync(storage);
        Assert.Equal([("491", 150L, 150L, 1_700_001_490L, 1_700_001_490L)], state);
    }

    [Fact]
    public async Task Writes_of_one_number_racing_each_other_count_each_message_once()
    {
        var storage = await Azurite.NewStorageAsync();
        var store = Store(storage);
        // 12 writes of overlapping slices of three chats, all at once: every row is created by one of them only.
        var writes = Enumerable.Range(0, 12).Select(i =>
            Messages("491", i * 7, 40).Concat(Messages("492", i * 3, 25)).Concat(Messages("493", 0, 10 + i)).ToList());

        await Task.WhenAll(writes.Select(w => Task.Run(() => store.WriteMessagesAsync(Number, w, default))));

        var state = await SummariesAndRowsAsync(storage);
        AssertSummariesMatchRows(state);
        Assert.Equal([("491", 117L), ("492", 58L), ("493", 21L)], state.Select(s => (s.Chat, s.Rows)));
    }

    [Fact]
    public async Task A_batch_applied_whose_answer_was_lost_is_not_counted_twice_when_the_sdk_retries_it()
    {
        var dropped = 0;
        var policy = new FaultInjectionPolicy((message, _) =>
            FaultInjectionPolicy.IsTableBatch(message) && Interlocked.Exchange(ref dropped, 1) == 0 ? Fault.DropAfterApply : null);
        var storage = await FaultInjectionPolicy.StorageAsync(policy);

        await Store(storage).WriteMessagesAsync(Number, Messages("491", 0, 60), default);

        Assert.Equal(1, policy.Injected);
        Assert.Equal([("491", 60L, 60L, 1_700_000_590L, 1_700_000_590L)], await SummariesAndRowsAsync(storage));
    }

    [Fact]
    public async Task A_summary_deleted_by_hand_is_recounted_by_the_next_write_to_its_chat()
    {
        var storage = await Azurite.NewStorageAsync();
        var store = Store(storage);
        await store.WriteMessagesAsync(Number, Messages("491", 0, 30), default);
        await storage.Table(storage.Names.MessagesTable).DeleteEntityAsync(Number, "s|491");

        await store.WriteMessagesAsync(Number, Messages("491", 25, 10), default); // 5 known, 5 new

        Assert.Equal([("491", 35L, 35L, 1_700_000_340L, 1_700_000_340L)], await SummariesAndRowsAsync(storage));
    }

    [Fact]
    public async Task Re_ingesting_after_rows_were_deleted_by_hand_repairs_the_counts()
    {
        var storage = await Azurite.NewStorageAsync();
        var pipeline = PipelineHarness.On(storage, time: new FixedTime());
        var chunk = WebhookBuilder.HistoryChunk(1, 1, 100, WebhookBuilder.Thread("4915100000001",
            WebhookBuilder.Text("wamid.A", "4915100000001", 1_700_000_000, "one"),
            WebhookBuilder.Text("wamid.B", "4915100000001", 1_700_000_010, "two"),
            WebhookBuilder.Text("wamid.C", "4915100000001", 1_700_000_020, "three")));
        await pipeline.Intake.ReceiveAsync(chunk, default);
        await pipeline.Drainer.DrainAsync(default);
        // An operator deletes a row (and not its count): re-creating it counts it again, the recount settles it.
        await storage.Table(storage.Names.MessagesTable).DeleteEntityAsync(WebhookBuilder.PhoneNumberId, "c|4915100000001|001700000010|wamid.B");

        var day = DateOnly.FromDateTime(FixedTime.Default.UtcDateTime);
        await pipeline.Get<Reingestion>().RunAsync(WebhookBuilder.PhoneNumberId, day, day, drain: true, progress: null, default);

        var chat = Assert.Single(await pipeline.Queries.GetChatsAsync(WebhookBuilder.PhoneNumberId, default));
        Assert.Equal(("4915100000001", 3L, 1_700_000_020L), (chat.ChatId, chat.MessageCount, chat.LastMessageAt));
        Assert.Equal(3, (await pipeline.Queries.GetMessagesAsync(WebhookBuilder.PhoneNumberId, "4915100000001", default)).Count);
    }
}
