using System.Text;
using Coexistence.Tests.Support;

namespace Coexistence.Tests.EndToEnd;

public class SmokeTests
{
    [Fact]
    public async Task Echo_webhook_goes_from_door_to_chat_row()
    {
        var storage = await Azurite.NewStorageAsync();
        var pipeline = PipelineHarness.On(storage);
        var body = """
        {"object":"whatsapp_business_account","entry":[{"id":"WABA1","changes":[{"field":"smb_message_echoes","value":{
          "messaging_product":"whatsapp","metadata":{"display_phone_number":"15550001111","phone_number_id":"106540352242922"},
          "message_echoes":[{"from":"15550001111","to":"+1 555-000-2222","id":"wamid.HBgL/abc+def=","timestamp":"1700000000","type":"text","text":{"body":"hello"}}]}}]}]}
        """;
        var result = await pipeline.Intake.ReceiveAsync(Encoding.UTF8.GetBytes(body), default);
        Assert.Equal(IntakeOutcome.Accepted, result.Outcome);
        var processed = await pipeline.Drainer.DrainAsync(default);
        Assert.Single(processed);

        var chats = await pipeline.Queries.GetChatsAsync("106540352242922", default);
        var chat = Assert.Single(chats);
        Assert.Equal("15550002222", chat.ChatId);
        Assert.Equal(1, chat.MessageCount);
        var message = Assert.Single(await pipeline.Queries.GetMessagesAsync("106540352242922", "15550002222", default));
        Assert.Equal("wamid.HBgL/abc+def=", message.Id);
        Assert.Equal("hello", message.Text);
        Assert.Equal("outbound", message.Direction);
        Assert.Equal("echo", message.Source);
    }
}
