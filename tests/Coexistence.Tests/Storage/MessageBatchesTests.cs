using Azure;
using Azure.Data.Tables;

namespace Coexistence.Tests.Storage;

/// <summary>
/// The write plan without storage (docs/data-model.md, "Idempotency and ordering"): lanes, batch boundaries, and
/// what each batch writes. Expected values are worked out by hand from the rules, not read off the planner.
/// </summary>
public class MessageBatchesTests
{
    private const string Number = "106540352242922";
    private static readonly IReadOnlyDictionary<string, TableEntity> NoRows = new Dictionary<string, TableEntity>();

    /// <summary>The row <paramref name="message"/> is stored in, as read back (with an ETag), at its own key or <paramref name="rowKey"/>.</summary>
    private static TableEntity StoredRow(ChatMessage message, string? rowKey = null)
    {
        rowKey ??= MessagesTable.ChatRowKey(message.ChatId, message.Timestamp, message.Id);
        var row = MessagesTable.RewrittenChatRow(new TableEntity(Number, rowKey), rowKey, message);
        row.ETag = new ETag("W/\"row\"");
        return row;
    }

    private static Dictionary<string, TableEntity> Stored(params ChatMessage[] messages) => messages.ToDictionary(m => m.Id, m => StoredRow(m));

    private static ChatMessage Message(string chatId, int index, string? text = "hello") =>
        new($"wamid.{chatId}.{index:D4}", chatId, Direction.Inbound, chatId, "15550001111", 1_700_000_000 + index, "text", "READ",
            MessageSource.History, text, null, null);

    private static List<ChatMessage> Chat(string chatId, int count) => Enumerable.Range(0, count).Select(i => Message(chatId, i)).ToList();

    [Fact]
    public void Each_chat_goes_whole_to_one_lane_largest_first_to_the_lane_with_fewest_messages()
    {
        int[] sizes = [50, 40, 30, 20, 10, 10, 5, 5, 1, 1];
        var chats = sizes.Select((size, i) => Chat($"49{i:D3}", size)).ToList();

        // Shuffled input: the plan must not depend on the order messages arrive in.
        var lanes = MessageBatches.Lanes(chats.SelectMany(c => c).OrderBy(m => m.Id.GetHashCode()), laneCount: 4);

        // By hand: 50, 40, 30, 20 open the lanes; 10 -> lane 4 (30); 10 -> lane 3 (40, first of the 30s);
        // 5 -> lane 4 (35); 5 -> lane 4 (40); 1 -> lane 2 (41); 1 -> lane 3 (41).
        Assert.Equal([50, 41, 41, 40], lanes.Select(l => l.Count));
        foreach (var chat in chats)
        {
            var holding = Assert.Single(lanes, l => l.Any(m => m.ChatId == chat[0].ChatId));
            // Contiguous and in time order.
            Assert.Equal(chat.Select(m => m.Id), holding.SkipWhile(m => m.ChatId != chat[0].ChatId).TakeWhile(m => m.ChatId == chat[0].ChatId).Select(m => m.Id));
        }
    }

    [Fact]
    public void Fewer_chats_than_lanes_use_one_lane_per_chat()
    {
        var lanes = MessageBatches.Lanes(Chat("491", 3).Concat(Chat("492", 2)), laneCount: 4);
        Assert.Equal([3, 2], lanes.Select(l => l.Count));
    }

    [Fact]
    public void One_chat_fills_batches_with_49_messages_and_its_summary()
    {
        // 2 operations per message + 1 summary <= 100: 49 messages per batch.
        var batches = MessageBatches.Batches(Chat("491", 120)).ToList();
        Assert.Equal([49, 49, 22], batches.Select(b => b.Count));
    }

    [Fact]
    public void Two_chats_share_a_batch_each_with_its_own_summary()
    {
        // Chat A: 30 messages = 61 operations; chat B then has 39 left: its summary and 19 messages. Then B's other 11.
        var lane = Chat("491", 30).Concat(Chat("492", 30)).ToList();
        var batches = MessageBatches.Batches(lane).ToList();
        Assert.Equal([49, 11], batches.Select(b => b.Count));

        var first = MessageBatches.Plan(Number, batches[0], NoRows, _ => null);
        Assert.Equal(100, first.Actions.Count);
        Assert.Equal(["s|491", "s|492"], first.Actions.Where(a => a.Entity.RowKey.StartsWith("s|")).Select(a => a.Entity.RowKey));
    }

    [Fact]
    public void Very_long_texts_close_a_batch_before_100_operations()
    {
        var longText = new string('x', 30_000);
        var lane = Enumerable.Range(0, 40).Select(i => Message("491", i, longText)).ToList();

        var batches = MessageBatches.Batches(lane).ToList();

        // Each message is estimated at over 180,000 bytes (6 bytes per character), so a 3 MiB batch holds 17.
        Assert.Equal([17, 17, 6], batches.Select(b => b.Count));
    }

    [Fact]
    public void A_new_chat_gets_its_summary_inserted_with_the_rows_it_creates()
    {
        var batch = Chat("491", 3);
        var plan = MessageBatches.Plan(Number, batch, NoRows, _ => null);

        // Chat row upserted, index inserted conditionally: a wamid stored already, at any key, makes the batch conflict.
        Assert.Equal(
            [TableTransactionActionType.UpsertMerge, TableTransactionActionType.Add, TableTransactionActionType.UpsertMerge, TableTransactionActionType.Add,
             TableTransactionActionType.UpsertMerge, TableTransactionActionType.Add, TableTransactionActionType.Add],
            plan.Actions.Select(a => a.ActionType));
        var summary = Assert.IsType<ChatSummaryEntity>(plan.Actions[^1].Entity);
        Assert.Equal(("s|491", "491", 3L, 1_700_000_002L), (summary.RowKey, summary.ChatId, summary.MessageCount, summary.LastMessageAt));
        Assert.Equal((6, "491", 3L), (plan.Summaries.Single().ActionIndex, plan.Summaries.Single().Summary.ChatId, plan.Summaries.Single().Summary.MessageCount));
        Assert.Empty(plan.ChatsToRecount);
    }

    [Fact]
    public void A_message_stored_as_it_is_is_not_written_again_nor_counted_and_the_summary_is_updated_on_its_etag()
    {
        var batch = Chat("491", 3);
        var current = new ChatSummary("491", 5, 1_600_000_000, new ETag("W/\"seen\""));

        var plan = MessageBatches.Plan(Number, batch, Stored(batch[1]), _ => current);

        // The stored one: only its index, re-written as it is (it may be missing).
        Assert.Equal(
            [TableTransactionActionType.UpsertMerge, TableTransactionActionType.Add, TableTransactionActionType.UpsertReplace,
             TableTransactionActionType.UpsertMerge, TableTransactionActionType.Add, TableTransactionActionType.UpdateReplace],
            plan.Actions.Select(a => a.ActionType));
        Assert.Equal(new ETag("W/\"seen\""), plan.Actions[^1].ETag);
        var summary = Assert.IsType<ChatSummaryEntity>(plan.Actions[^1].Entity);
        Assert.Equal((7L, 1_700_000_002L), (summary.MessageCount, summary.LastMessageAt));
    }

    [Fact]
    public void The_summary_names_the_customer_of_the_chats_latest_message_that_named_one()
    {
        // Three messages; the middle one names a user id and username: it is the latest that names any.
        var batch = Chat("491", 3);
        batch[1] = batch[1] with { UserId = "DE.1234", Username = "@lena" };
        var current = new ChatSummary("491", 5, 1_600_000_000, new ETag("W/\"seen\""),
            Customer: new ChatCustomer("c|491|001600000000|wamid.old", "DE.9999", "DE.ENT.1", null));

        var plan = MessageBatches.Plan(Number, batch, NoRows, _ => current);

        var summary = Assert.IsType<ChatSummaryEntity>(plan.Actions[^1].Entity);
        Assert.Equal((MessagesTable.ChatRowKey("491", batch[1].Timestamp, batch[1].Id), "DE.1234", (string?)null, "@lena"),
            (summary.CustomerFrom, summary.UserId, summary.ParentUserId, summary.Username));
        // An earlier message naming someone does not displace it.
        var later = plan.Summaries.Single().Summary;
        var again = MessageBatches.Plan(Number, [Message("491", -5) with { UserId = "DE.5555" }], NoRows, _ => later);
        Assert.Equal("DE.1234", Assert.IsType<ChatSummaryEntity>(again.Actions[^1].Entity).UserId);
    }

    [Fact]
    public void A_batch_of_rows_that_all_exist_writes_no_summary()
    {
        var batch = Chat("491", 2);
        var plan = MessageBatches.Plan(Number, batch, Stored([.. batch]), _ => new ChatSummary("491", 2, 1_700_000_001, new ETag("W/\"x\"")));

        Assert.Equal(2, plan.Actions.Count);
        Assert.DoesNotContain(plan.Actions, a => a.Entity.RowKey.StartsWith("s|"));
        Assert.Empty(plan.Summaries);
    }

    [Fact]
    public void A_chat_with_rows_but_no_summary_is_left_to_a_recount()
    {
        var batch = Chat("491", 2);

        var plan = MessageBatches.Plan(Number, batch, Stored(batch[0]), _ => null);

        Assert.Equal(["491"], plan.ChatsToRecount);
        Assert.DoesNotContain(plan.Actions, a => a.Entity.RowKey.StartsWith("s|"));
        Assert.Equal(3, plan.Actions.Count);
    }

    [Fact]
    public void Chat_rows_carry_the_documented_properties_and_leave_absent_ones_out()
    {
        var media = new ChatMessage("wamid.M", "491", Direction.Outbound, "15550001111", "491", 1_700_000_000, "image", null, MessageSource.Echo,
            null, new MediaInfo("media-1", "image/jpeg", null, "a caption"), """{"id":"media-1"}""");
        var plan = MessageBatches.Plan(Number, [media], NoRows, _ => null);

        var row = Assert.IsType<ChatRowEntity>(plan.Actions[0].Entity);
        Assert.Equal((Number, "c|491|001700000000|wamid.M"), (row.PartitionKey, row.RowKey));
        Assert.Equal(("wamid.M", "491", "outbound", "echo", "image", 1_700_000_000L),
            (row.MessageId, row.ChatId, row.Direction, row.Source, row.Type, row.SentAt));
        Assert.Equal(("media-1", "image/jpeg", null, "a caption", null, null), (row.MediaId, row.MediaMimeType, row.MediaSha256, row.MediaCaption, row.Status, row.Text));
        var index = Assert.IsType<MessageIndexEntity>(plan.Actions[1].Entity);
        Assert.Equal(("m|wamid.M", "wamid.M", "491", "c|491|001700000000|wamid.M"), (index.RowKey, index.MessageId, index.ChatId, index.ChatRowKey));
    }

    [Fact]
    public void Another_copy_of_a_stored_message_with_more_content_rewrites_its_row_in_place_on_its_etag_keeping_its_facts()
    {
        // History first (a placeholder, with its status), then the echo of the same wamid, a minute later.
        var history = Message("491", 0) with { Direction = Direction.Outbound, Type = "media_placeholder", Text = null, Status = "READ" };
        var echo = history with { Timestamp = history.Timestamp + 60, Type = "image", Status = null, Source = MessageSource.Echo,
            Media = new MediaInfo("media-1", "image/jpeg", null, null) };
        var row = StoredRow(history);
        row[MessagesTable.Columns.Revoked] = true;

        var plan = MessageBatches.Plan(Number, [echo], new Dictionary<string, TableEntity> { [echo.Id] = row }, _ => new ChatSummary("491", 1, 1, new ETag("W/\"s\"")));

        Assert.Empty(plan.Moves);
        Assert.Equal([TableTransactionActionType.UpdateReplace, TableTransactionActionType.UpsertReplace], plan.Actions.Select(a => a.ActionType));
        Assert.Equal(new ETag("W/\"row\""), plan.Actions[0].ETag);
        var rewritten = MessagesTable.ReadChatRow((TableEntity)plan.Actions[0].Entity);
        // The earlier time (the key stays), the echo's content, history's status, the revoke applied before.
        Assert.Equal((row.RowKey, history.Timestamp, "image", "media-1", "READ", MessageSource.Echo, true),
            (plan.Actions[0].Entity.RowKey, rewritten.SentAt, rewritten.Type, rewritten.Media?.Id, rewritten.Status, rewritten.Source, rewritten.Revoke is not null));
        Assert.Equal(row.RowKey, plan.RowKeys[echo.Id]);
        Assert.Empty(plan.Summaries);
    }

    [Fact]
    public void An_earlier_copy_of_a_stored_message_moves_it_after_the_batch_and_names_its_chat_for_a_recount()
    {
        var echo = Message("491", 5) with { Source = MessageSource.Echo, Status = null };
        var history = echo with { Timestamp = echo.Timestamp - 30, Source = MessageSource.History, Status = "READ" };

        var plan = MessageBatches.Plan(Number, [history], Stored(echo), _ => new ChatSummary("491", 1, echo.Timestamp, new ETag("W/\"s\"")));

        Assert.Empty(plan.Actions);
        var move = Assert.Single(plan.Moves);
        Assert.Equal((history, MessagesTable.ChatRowKey("491", echo.Timestamp, echo.Id)), (move.Message, move.Row.RowKey));
        Assert.Equal(MessagesTable.ChatRowKey("491", history.Timestamp, history.Id), plan.RowKeys[history.Id]);
        Assert.Equal(["491", "491"], plan.ChatsToRecount);
    }

    [Fact]
    public void Copies_of_one_wamid_in_one_write_are_merged_into_one_message_in_any_order()
    {
        var history = Message("491", 1) with { Type = "media_placeholder", Text = null, Status = "DELIVERED" };
        var echo = history with { Timestamp = history.Timestamp + 90, Type = "text", Text = "hello", Status = null, Source = MessageSource.Echo };

        var one = Assert.Single(MessageBatches.DistinctById([history, Message("491", 2), echo]), m => m.Id == history.Id);
        var other = Assert.Single(MessageBatches.DistinctById([echo, Message("491", 2), history]), m => m.Id == history.Id);

        Assert.Equal(one, other);
        Assert.Equal(history.Timestamp, one.Timestamp);
        Assert.Equal(("text", "hello", "DELIVERED", MessageSource.Echo), (one.Type, one.Text, one.Status, one.Source));
    }
}
