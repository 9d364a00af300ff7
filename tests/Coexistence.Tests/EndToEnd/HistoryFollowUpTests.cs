using Coexistence.Tests.Support;
using Coexistence.Tests.Webhooks;
using static Coexistence.Tests.Support.WebhookBuilder;

namespace Coexistence.Tests.EndToEnd;

/// <summary>
/// History shapes beyond the chunk, through the door and the consumers against Azurite (issue 15, items 1 and 5): the
/// follow-up for media the business sent arrives in <c>message_echoes[]</c> (Meta's documented shape, with
/// <c>contacts[]</c>), alone or beside <c>messages[]</c>; a decline can be <c>errors</c> of the value itself.
/// </summary>
public class HistoryFollowUpTests
{
    private const string Customer = "15551234567";

    /// <summary>A history value with only <c>message_echoes[]</c> and <c>contacts[]</c>: the business's image for <paramref name="id"/>.</summary>
    private static byte[] BusinessMediaFollowUp(string id) => Meta("history", $$$"""
        "contacts":[{"profile":{"name":"Alice"},"wa_id":"{{{Customer}}}"}],
        "message_echoes":[{"from":"{{{BusinessDigits}}}","to":"{{{Customer}}}","id":"{{{id}}}","timestamp":"1600000090","type":"image",
          "image":{"id":"media-out","mime_type":"image/jpeg","sha256":"c0ffee","caption":"our new menu"}}]
        """);

    private static string OutboundPlaceholder(string id) =>
        $$$"""{"from":"{{{BusinessDigits}}}","to":"{{{Customer}}}","id":"{{{id}}}","timestamp":"1600000000","type":"media_placeholder","history_context":{"status":"SENT","from_me":true}}""";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_business_media_follow_up_in_message_echoes_completes_its_placeholder_in_either_order(bool followUpFirst)
    {
        var h = await PipelineHarness.CreateAsync();
        var chunk = HistoryChunk(1, 1, 50, Thread(Customer, OutboundPlaceholder("wamid.out/1")));
        var followUp = BusinessMediaFollowUp("wamid.out/1");

        foreach (var body in followUpFirst ? new[] { followUp, chunk } : [chunk, followUp])
        {
            // Through the HTTP door: the follow-up used to be refused with 400 missing-field.
            Assert.Equal(202, (await h.Door.ReceiveAsync(_ => null, new MemoryStream(body), default)).Status);
            await h.Drainer.DrainAsync(default);
        }

        var message = Assert.Single(await h.Queries.GetMessagesAsync(PhoneNumberId, Customer, default));
        Assert.Equal(("wamid.out/1", "image", "outbound"), (message.Id, message.Type, message.Direction));
        Assert.Equal(new MediaView("media-out", "image/jpeg", "c0ffee", "our new menu"), message.Media);
        Assert.Equal(1, Assert.Single(await h.Queries.GetChatsAsync(PhoneNumberId, default)).MessageCount);
    }

    [Fact]
    public async Task A_value_with_both_messages_and_message_echoes_completes_both_placeholders()
    {
        var h = await PipelineHarness.CreateAsync();
        await h.DeliverAsync(HistoryChunk(1, 1, 50, Thread(Customer, Placeholder("wamid.in/1", Customer, 1_600_000_001), OutboundPlaceholder("wamid.out/2"))));

        await h.DeliverAsync(Partner("history", $$$"""
            "messages":[{"from":"{{{Customer}}}","id":"wamid.in/1","timestamp":"1600000091","type":"audio","audio":{"id":"media-in","mime_type":"audio/ogg"}}],
            "message_echoes":[{"from":"{{{BusinessDigits}}}","to":"{{{Customer}}}","id":"wamid.out/2","timestamp":"1600000092","type":"document",
              "document":{"id":"media-doc","mime_type":"application/pdf"}}]
            """));

        var messages = await h.Queries.GetMessagesAsync(PhoneNumberId, Customer, default);
        Assert.Equal([("wamid.out/2", "document", "media-doc"), ("wamid.in/1", "audio", "media-in")],
            messages.Select(m => (m.Id, m.Type, m.Media?.Id)));
    }

    [Fact]
    public async Task A_decline_in_the_values_own_errors_makes_the_sync_declined_not_in_progress()
    {
        var h = await PipelineHarness.CreateAsync();

        await h.DeliverAsync(Fixtures.Bytes("partner-history-declined-value-errors.json"));

        var status = await h.Queries.GetHistoryStatusAsync(Corpus.PhoneNumberId, default);
        Assert.Equal("declined", status.State);
        Assert.Equal(new HistoryErrorView(2593109, "History sync is turned off by the business from the WhatsApp Business App"), status.Error);
    }

    [Theory]
    [InlineData("\"message_echoes\":{}", "invalid-field", "/entry/0/changes/0/value/message_echoes")]
    [InlineData("\"errors\":\"declined\"", "invalid-field", "/entry/0/changes/0/value/errors")]
    [InlineData("\"contacts\":[]", "missing-field", "/entry/0/changes/0/value/history")]
    public async Task A_history_value_without_any_of_its_item_arrays_is_refused_and_leaves_no_trace(string items, string code, string pointer)
    {
        var door = await DoorHarness.CreateAsync();

        var response = await door.PostAsync(Meta("history", items));

        Assert.Equal((400, code), (response.Status, DoorHarness.Code(response)));
        using var problem = System.Text.Json.JsonDocument.Parse(response.Body);
        Assert.Equal(pointer, problem.RootElement.GetProperty("pointer").GetString());
        Assert.Contains("\"history\", \"messages\", \"message_echoes\" or \"errors\" array", problem.RootElement.GetProperty("detail").GetString());
        Assert.Equal((0, 0, 0), await door.StoredAsync());
    }
}
