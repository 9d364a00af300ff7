using Coexistence.Tests.Support;
using static Coexistence.Tests.Support.WebhookBuilder;

namespace Coexistence.Tests.EndToEnd;

public class EchoesPipelineTests
{
    private const string Customer = "447700900123";

    private static readonly byte[] Original = Echo(EchoText("wamid.echo/1=", "+44 7700 900123", 1_700_000_000, "See you at 5"));
    private static readonly byte[] FirstEdit = Echo(EchoEdit("wamid.edit/1", "+44 7700 900123", 1_700_000_060, "wamid.echo/1=", "See you at 6"));
    private static readonly byte[] SecondEdit = Echo(EchoEdit("wamid.edit/2", "+44 7700 900123", 1_700_000_120, "wamid.echo/1=", "See you at 7"));

    [Theory]
    [InlineData(0, 1, 2)]
    [InlineData(2, 1, 0)]
    [InlineData(1, 0, 2)]
    [InlineData(2, 0, 1)]
    public async Task The_latest_edit_wins_whether_it_arrives_before_or_after_the_original(int a, int b, int c)
    {
        var bodies = new[] { Original, FirstEdit, SecondEdit };
        var h = await PipelineHarness.CreateAsync();
        await h.DeliverAllAsync([bodies[a], bodies[b], bodies[c]]);

        var message = Assert.Single(await h.Queries.GetMessagesAsync(PhoneNumberId, Customer, default));
        Assert.Equal(("wamid.echo/1=", "See you at 7", true, false), (message.Id, message.Text, message.Edited, message.Revoked));
        Assert.Equal(("outbound", "echo", BusinessDigits, Customer, 1_700_000_000L), (message.Direction, message.Source, message.From, message.To, message.Timestamp));
        Assert.Null(message.Status);
        Assert.Equal(1, Assert.Single(await h.Queries.GetChatsAsync(PhoneNumberId, default)).MessageCount);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_revoke_marks_the_message_whichever_arrives_first(bool originalFirst)
    {
        var revoke = Echo(EchoRevoke("wamid.revoke/1", Customer, 1_700_000_300, "wamid.echo/1="));
        var h = await PipelineHarness.CreateAsync();
        await h.DeliverAllAsync(originalFirst ? [Original, revoke] : [revoke, Original]);

        var message = Assert.Single(await h.Queries.GetMessagesAsync(PhoneNumberId, Customer, default));
        Assert.True(message.Revoked);
        Assert.Equal(1, Assert.Single(await h.Queries.GetChatsAsync(PhoneNumberId, default)).MessageCount);
    }

    [Fact]
    public async Task Media_echoes_keep_their_media_and_the_chat_summary_tracks_the_latest()
    {
        var h = await PipelineHarness.CreateAsync();
        await h.DeliverAsync(Original);
        await h.DeliverAsync(Echo("""{"from":"15550783881","to":"447700900123","id":"wamid.img/1","timestamp":1700000500,"type":"image","image":{"id":"img-9","mime_type":"image/png","sha256":"ff00","caption":"menu"}}"""));

        var messages = await h.Queries.GetMessagesAsync(PhoneNumberId, Customer, default);
        Assert.Equal(["wamid.echo/1=", "wamid.img/1"], messages.Select(m => m.Id));
        Assert.Equal(new Coexistence.Queries.MediaView("img-9", "image/png", "ff00", "menu"), messages[1].Media);
        Assert.Null(messages[1].Text);
        var chat = Assert.Single(await h.Queries.GetChatsAsync(PhoneNumberId, default));
        Assert.Equal((2L, 1_700_000_500L), (chat.MessageCount, chat.LastMessageAt));
    }
}
