using Coexistence.Tests.Support;
using static Coexistence.Tests.Support.WebhookBuilder;

namespace Coexistence.Tests.EndToEnd;

public class HistoryPipelineTests
{
    private const string Customer = "15551234567";

    [Fact]
    public async Task Chunks_arriving_out_of_order_end_as_a_completed_sync_with_every_message()
    {
        var h = await PipelineHarness.CreateAsync();
        var chunk2 = HistoryChunk(2, 2, 100, Thread(Customer, Text("wamid.c/2", Customer, 1_600_000_200, "late")));
        var chunk1 = HistoryChunk(1, 1, 40, Thread(Customer, Text("wamid.c/1", BusinessDigits, 1_600_000_100, "early", to: Customer)));

        await h.DeliverAllAsync([chunk2, chunk1]);

        var status = await h.Queries.GetHistoryStatusAsync(PhoneNumberId, default);
        Assert.Equal(("completed", 100L, 2), (status.State, status.Progress, status.Chunks));
        Assert.Null(status.Error);
        var messages = await h.Queries.GetMessagesAsync(PhoneNumberId, Customer, default);
        Assert.Equal(["wamid.c/1", "wamid.c/2"], messages.Select(m => m.Id));
        Assert.Equal(["outbound", "inbound"], messages.Select(m => m.Direction));
        var chat = Assert.Single(await h.Queries.GetChatsAsync(PhoneNumberId, default));
        Assert.Equal((Customer, 1_600_000_200L, 2L), (chat.ChatId, chat.LastMessageAt, chat.MessageCount));
    }

    [Fact]
    public async Task Progress_below_100_is_in_progress_and_nothing_is_not_started()
    {
        var h = await PipelineHarness.CreateAsync();
        Assert.Equal("not_started", (await h.Queries.GetHistoryStatusAsync(PhoneNumberId, default)).State);

        await h.DeliverAsync(HistoryChunk(0, 1, 10, Thread(Customer, Text("wamid.p/1", Customer, 1_600_000_000, "hi"))));

        var status = await h.Queries.GetHistoryStatusAsync(PhoneNumberId, default);
        Assert.Equal(("in_progress", 10L, 1), (status.State, status.Progress, status.Chunks));
    }

    [Fact]
    public async Task A_declined_history_is_recorded_with_its_code_and_message()
    {
        var h = await PipelineHarness.CreateAsync();
        await h.DeliverAsync(Partner("history", """
            "history":[{"errors":[{"code":2593109,"title":"History sync is turned off","message":"History sync is turned off by the business from the WhatsApp Business App","error_data":{"details":"History sharing is turned off by the business"}}]}]
            """));

        var status = await h.Queries.GetHistoryStatusAsync(PhoneNumberId, default);
        Assert.Equal("declined", status.State);
        Assert.Equal(2593109, status.Error!.Code);
        Assert.Equal("History sync is turned off by the business from the WhatsApp Business App", status.Error.Message);
        Assert.Empty(await h.Queries.GetChatsAsync(PhoneNumberId, default));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_placeholder_and_its_follow_up_merge_whichever_arrives_first(bool placeholderFirst)
    {
        var h = await PipelineHarness.CreateAsync();
        var chunk = HistoryChunk(0, 1, 100, Thread(Customer, Placeholder("wamid.media/1==", Customer, 1_600_000_000)));
        // The follow-up's from and timestamp differ from the chunk's; the chunk's win.
        var followUp = MediaFollowUp("wamid.media/1==", BusinessDigits, 1_600_009_999, type: "video", mediaId: "m-77", caption: "holiday");

        await h.DeliverAllAsync(placeholderFirst ? [chunk, followUp] : [followUp, chunk]);

        var message = Assert.Single(await h.Queries.GetMessagesAsync(PhoneNumberId, Customer, default));
        Assert.Equal("video", message.Type);
        Assert.Equal(new Coexistence.Queries.MediaView("m-77", "image/jpeg", "abc123", "holiday"), message.Media);
        Assert.Equal((Customer, 1_600_000_000L, "inbound", "DELIVERED"), (message.From, message.Timestamp, message.Direction, message.Status));
        Assert.Equal(1, Assert.Single(await h.Queries.GetChatsAsync(PhoneNumberId, default)).MessageCount);
        Assert.Equal(message, await h.Queries.GetMessageAsync(PhoneNumberId, "wamid.media/1==", default));
    }

    [Fact]
    public async Task One_bad_message_is_quarantined_and_the_rest_of_the_chunk_is_stored()
    {
        var h = await PipelineHarness.CreateAsync();
        var noId = """{"from":"15551234567","timestamp":"1600000000","type":"text","text":{"body":"lost id"}}""";
        await h.DeliverAsync(HistoryChunk(0, 1, 100,
            Thread(Customer, Text("wamid.ok/1", Customer, 1_600_000_001, "one"), noId, Text("wamid.ok/2", Customer, 1_600_000_002, "two"))));

        var messages = await h.Queries.GetMessagesAsync(PhoneNumberId, Customer, default);
        Assert.Equal(["wamid.ok/1", "wamid.ok/2"], messages.Select(m => m.Id));
        var quarantined = await QuarantineRowsAsync(h);
        var row = Assert.Single(quarantined);
        Assert.Equal("\"id\" is missing", row.GetString("Reason"));
        Assert.Equal("/history/0/threads/0/messages/1", row.GetString("Pointer"));
        Assert.Contains("lost id", row.GetString("Item"));
    }

    internal static async Task<List<Azure.Data.Tables.TableEntity>> QuarantineRowsAsync(PipelineHarness h)
    {
        var rows = new List<Azure.Data.Tables.TableEntity>();
        await foreach (var row in h.Storage.Table(h.Storage.Names.QuarantineTable).QueryAsync<Azure.Data.Tables.TableEntity>()) rows.Add(row);
        return rows;
    }
}
