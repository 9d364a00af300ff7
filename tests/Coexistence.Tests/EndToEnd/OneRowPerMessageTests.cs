using Coexistence.Tests.Support;
using static Coexistence.Tests.Support.WebhookBuilder;

namespace Coexistence.Tests.EndToEnd;

/// <summary>
/// The same wamid in a history chunk (the device's time) and as an echo (the webhook's time) is one message, one row,
/// counted once, in either order (issue 15, item 3; docs/data-model.md, "One row per message").
/// </summary>
public class OneRowPerMessageTests
{
    private const string Customer = "15551234567";
    private const string Id = "wamid.HBgLMTU1NTEyMzQ1NjcVAgASGBQ1QkVBOTQ2/both+=";
    private const long DeviceTime = 1_700_000_000;
    private const long WebhookTime = DeviceTime + 95;

    private static byte[] FromHistory() =>
        HistoryChunk(0, 1, 100, Thread(Customer, Text(Id, BusinessDigits, DeviceTime, "see you at 5", status: "read", to: Customer)));

    private static byte[] AsEcho() => Echo(EchoText(Id, "+1 555 123 4567", WebhookTime, "see you at 5"));

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task History_and_echo_of_one_wamid_are_one_row_at_the_device_time_in_either_order(bool echoFirst)
    {
        var h = await PipelineHarness.CreateAsync();

        await h.DeliverAllAsync(echoFirst ? [AsEcho(), FromHistory()] : [FromHistory(), AsEcho()]);

        var message = Assert.Single(await h.Queries.GetMessagesAsync(PhoneNumberId, Customer, default));
        Assert.Equal((Id, DeviceTime, "outbound", "echo", "READ", "see you at 5"),
            (message.Id, message.Timestamp, message.Direction, message.Source, message.Status, message.Text));
        var chat = Assert.Single(await h.Queries.GetChatsAsync(PhoneNumberId, default));
        Assert.Equal((1L, DeviceTime), (chat.MessageCount, chat.LastMessageAt));
        Assert.Equal(message, await h.Queries.GetMessageAsync(PhoneNumberId, Id, default));
        Assert.Equal(1, await ChatRowsAsync(h));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public async Task A_revoke_marks_the_one_row_whenever_it_arrives(int revokeAt)
    {
        var h = await PipelineHarness.CreateAsync();
        List<byte[]> bodies = [AsEcho(), FromHistory()];
        bodies.Insert(revokeAt, Echo(EchoRevoke("wamid.revoke/1", Customer, WebhookTime + 10, Id)));

        await h.DeliverAllAsync(bodies);

        var message = Assert.Single(await h.Queries.GetMessagesAsync(PhoneNumberId, Customer, default));
        Assert.True(message.Revoked);
        Assert.Equal(DeviceTime, message.Timestamp);
        Assert.Equal(1, await ChatRowsAsync(h));
    }

    [Fact]
    public async Task Redelivering_both_changes_nothing()
    {
        var h = await PipelineHarness.CreateAsync();
        await h.DeliverAllAsync([AsEcho(), FromHistory()]);
        var before = await TableDump.DumpAsync(h.Storage);

        await h.DeliverAllAsync([FromHistory(), AsEcho(), AsEcho()]);

        Assert.Equal(before, await TableDump.DumpAsync(h.Storage));
    }

    private static async Task<int> ChatRowsAsync(PipelineHarness h)
    {
        var count = 0;
        await foreach (var _ in h.Storage.Table(h.Storage.Names.MessagesTable).QueryAsync<Azure.Data.Tables.TableEntity>(
                           MessagesTable.AllChatRowsFilter(PhoneNumberId)))
            count++;
        return count;
    }
}
