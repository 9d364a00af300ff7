using static Coexistence.Tests.Webhooks.Corpus;

namespace Coexistence.Tests.Processing;

public class MessageEchoesPayloadParserTests
{
    private static MessageEchoesPayload ParseFixture(string file)
    {
        var change = SingleChange(file);
        Assert.Equal(WebhookKind.MessageEchoes, change.Kind);
        return MessageEchoesPayloadParser.Parse(Value(change));
    }

    [Fact]
    public void Text_echo_is_an_outbound_message_in_the_customers_chat()
    {
        var payload = ParseFixture("meta-echo-text.json");

        var m = Assert.Single(payload.Messages);
        Assert.Equal(A8, m.Id);
        Assert.Equal(Alice, m.ChatId);
        Assert.Equal(Direction.Outbound, m.Direction);
        Assert.Equal(BusinessNumber, m.From);
        Assert.Equal(Alice, m.To);
        Assert.Equal(1718003600, m.Timestamp);
        Assert.Equal("text", m.Type);
        Assert.Equal("Thanks Alice, see you Saturday!", m.Text);
        Assert.Equal(MessageSource.Echo, m.Source);
        Assert.Null(m.Status);
        Assert.Null(m.Media);
        Assert.Empty(payload.Facts);
        Assert.Empty(payload.Quarantined);
    }

    [Fact]
    public void Image_echo_to_a_typed_number_keeps_media_and_normalises_the_chat()
    {
        var m = Assert.Single(ParseFixture("meta-echo-image.json").Messages);

        Assert.Equal(B6, m.Id);
        Assert.Equal(Oliver, m.ChatId);
        Assert.Equal(Oliver, m.To);
        Assert.Equal("image", m.Type);
        Assert.Null(m.Text);
        Assert.Equal(new MediaInfo("1183420917593624", "image/jpeg", "7e1d3c5b9a0f2e4d6c8b0a1f3e5d7c9b2a4f6e8d0c1b3a5f7e9d2c4b6a8f0e1d", "Your order is ready 📦"), m.Media);
    }

    [Fact]
    public void Location_echo_keeps_its_content_json()
    {
        var m = Assert.Single(ParseFixture("meta-echo-location.json").Messages);

        Assert.Equal(C6, m.Id);
        Assert.Equal(Lena, m.ChatId);
        Assert.Equal("location", m.Type);
        Assert.Equal(1718003800, m.Timestamp);
        Assert.Null(m.Media);
        var content = Json(m.ContentJson!);
        Assert.Equal(52.520008, content.GetProperty("latitude").GetDouble());
        Assert.Equal("Coexistence Store Berlin", content.GetProperty("name").GetString());
    }

    [Fact]
    public void Partner_envelope_echo_with_formatted_to()
    {
        var m = Assert.Single(ParseFixture("partner-echo-text.json").Messages);

        Assert.Equal(C8, m.Id);
        Assert.Equal(Lena, m.ChatId);
        Assert.Equal(Lena, m.To);
        Assert.Equal("Wir haben wieder geöffnet.", m.Text);
    }

    [Fact]
    public void Edit_is_a_facet_of_the_original_message_not_a_new_message()
    {
        var payload = ParseFixture("meta-echo-edit.json");

        Assert.Empty(payload.Messages);
        var edit = Assert.IsType<MessageEdit>(Assert.Single(payload.Facts));
        Assert.Equal(new MessageEdit(A8, A9, 1718003900, "text", "Thanks Alice, see you Sunday!", null), edit);
        Assert.Equal("edit|" + A9, edit.FactKey);
    }

    [Fact]
    public void Caption_edit_carries_the_new_caption()
    {
        var edit = Assert.IsType<MessageEdit>(Assert.Single(ParseFixture("meta-echo-edit-caption.json").Facts));
        Assert.Equal(new MessageEdit(B6, B7, 1718003950, "image", null, "Your order is ready for pickup 📦"), edit);
    }

    [Fact]
    public void Revoke_is_a_facet_of_the_original_message()
    {
        var payload = ParseFixture("meta-echo-revoke.json");

        Assert.Empty(payload.Messages);
        var revoke = Assert.IsType<MessageRevoke>(Assert.Single(payload.Facts));
        Assert.Equal(new MessageRevoke(C6, C7, 1718004000), revoke);
        Assert.Equal("revoke", revoke.FactKey);
    }

    [Fact]
    public void Bad_echoes_are_quarantined_and_the_rest_kept()
    {
        var payload = ParseFixture("meta-echoes-with-bad-items.json");

        Assert.Equal(B11, Assert.Single(payload.Messages).Id);
        Assert.Empty(payload.Facts);
        Assert.Equal(2, payload.Quarantined.Count);
        Assert.Equal(("/message_echoes/0", "\"to\" is missing"), (payload.Quarantined[0].Pointer, payload.Quarantined[0].Reason));
        Assert.Contains(A15, payload.Quarantined[0].ItemJson);
        Assert.Equal(("/message_echoes/2", "\"revoke.original_message_id\" is missing"), (payload.Quarantined[1].Pointer, payload.Quarantined[1].Reason));
    }

    [Theory]
    [InlineData("15551234567", "15551234567")]
    [InlineData("+1 555 123 4567", "15551234567")]
    [InlineData("+44 7700 900123", "447700900123")]
    [InlineData("49-151-23456789", "4915123456789")]
    public void To_is_normalised_to_digits_for_the_chat(string to, string chat)
    {
        var value = Json($$$"""{"message_echoes":[{"from":"15550783881","to":"{{{to}}}","id":"wamid.X/+=","timestamp":"1","type":"text","text":{"body":"hi"}}]}""");
        var m = Assert.Single(MessageEchoesPayloadParser.Parse(value).Messages);
        Assert.Equal(chat, m.ChatId);
        Assert.Equal(chat, m.To);
    }

    [Theory]
    [InlineData("""{"from":"15550783881","to":"12#34","id":"w","timestamp":"1","type":"text"}""", "\"to\" is not a phone number")]
    [InlineData("""{"from":"15550783881","to":"15551234567","timestamp":"1","type":"text"}""", "\"id\" is missing")]
    [InlineData("""{"from":"15550783881","to":"15551234567","id":"w","timestamp":"1","type":"edit","edit":{"message":{"type":"text","text":{"body":"x"}}}}""", "\"edit.original_message_id\" is missing")]
    [InlineData("""{"from":"15550783881","to":"15551234567","id":"w","timestamp":"1","type":"edit","edit":{"original_message_id":"wamid.O"}}""", "\"edit.message.type\" is missing")]
    [InlineData("""{"from":"15550783881","to":"15551234567","id":"w","timestamp":"1","type":"revoke"}""", "\"revoke.original_message_id\" is missing")]
    public void Each_kind_of_bad_echo_has_its_reason(string echo, string reason)
    {
        var value = Json($$$"""{"message_echoes":[{"from":"15550783881","to":"447700900123","id":"ok","timestamp":"2","type":"text","text":{"body":"fine"}},{{{echo}}}]}""");

        var payload = MessageEchoesPayloadParser.Parse(value);

        Assert.Equal("ok", Assert.Single(payload.Messages).Id);
        var q = Assert.Single(payload.Quarantined);
        Assert.Equal("/message_echoes/1", q.Pointer);
        Assert.Equal(reason, q.Reason);
    }

    [Fact]
    public void Echoes_have_no_contacts_block_and_need_none()
    {
        var change = SingleChange("meta-echo-text.json");
        Assert.False(Value(change).TryGetProperty("contacts", out _));
        Assert.Single(MessageEchoesPayloadParser.Parse(Value(change)).Messages);
    }

    [Fact]
    public void Batched_echo_changes_for_two_numbers_parse_independently()
    {
        var reading = WebhookEnvelopeReader.Read(Coexistence.Tests.Support.Fixtures.Bytes("meta-batch-two-numbers.json"));
        var echoes = reading.Changes.Where(c => c.Kind == WebhookKind.MessageEchoes).ToList();

        Assert.Equal(2, echoes.Count);
        var first = Assert.Single(MessageEchoesPayloadParser.Parse(Value(echoes[0])).Messages);
        var second = Assert.Single(MessageEchoesPayloadParser.Parse(Value(echoes[1])).Messages);
        Assert.Equal((A10, Alice, BusinessNumber, "Grüße 👋 your parcel left today"), (first.Id, first.ChatId, first.From, first.Text));
        Assert.Equal((B10, Oliver, SecondBusinessNumber), (second.Id, second.ChatId, second.From));
    }
}
