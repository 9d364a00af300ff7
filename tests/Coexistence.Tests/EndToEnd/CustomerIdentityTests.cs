using Coexistence.Tests.Support;
using Coexistence.Tests.Webhooks;

namespace Coexistence.Tests.EndToEnd;

/// <summary>
/// Customers known by business-scoped user id (Meta, 2026) through the door, the queues and the tables against
/// Azurite, from the documented shapes (Fixtures/README.md, "business-scoped user ids"): a person without a phone gets
/// a chat under their BSUID; with a phone, the chat stays the phone's digits and the BSUID is kept beside it.
/// </summary>
public class CustomerIdentityTests
{
    private static byte[] F(string name) => Fixtures.Bytes(name);

    private static readonly CustomerView Maria = new(null, Corpus.MariaUserId, Corpus.MariaParentUserId, "@maria.shop");

    [Fact]
    public async Task A_customer_known_only_by_user_id_gets_a_chat_under_that_id_from_every_source()
    {
        var h = await PipelineHarness.CreateAsync();
        await h.DeliverAllAsync([F("meta-messages-bsuid-only.json"), F("meta-echo-bsuid-only.json"), F("partner-history-bsuid-thread.json")]);

        var chat = Assert.Single(await h.Queries.GetChatsAsync(Corpus.PhoneNumberId, default));
        Assert.Equal((Corpus.MariaUserId, 4L), (chat.ChatId, chat.MessageCount));
        var messages = await h.Queries.GetMessagesAsync(Corpus.PhoneNumberId, Corpus.MariaUserId, default);
        Assert.Equal([("inbound", "history"), ("outbound", "history"), ("inbound", "messages"), ("outbound", "echo")],
            messages.Select(m => (m.Direction, m.Source)));
        Assert.All(messages, m => Assert.Equal(Maria, m.Customer));
        var inbound = Assert.Single(messages, m => m.Id == Corpus.U1);
        Assert.Equal((Corpus.MariaUserId, Corpus.BusinessNumber, "Hi, is my order ready?"), (inbound.From, inbound.To, inbound.Text));
        Assert.Equal(Corpus.MariaUserId, Assert.Single(messages, m => m.Id == Corpus.U4).From);
        Assert.Equal(Corpus.MariaUserId, Assert.Single(messages, m => m.Id == Corpus.U2).To);
        Assert.Empty(await HistoryPipelineTests.QuarantineRowsAsync(h));
    }

    [Fact]
    public async Task With_a_phone_the_chat_stays_the_phone_and_the_user_id_is_kept_beside_it()
    {
        var h = await PipelineHarness.CreateAsync();
        await h.DeliverAsync(F("meta-echo-phone-and-bsuid.json"));

        var message = Assert.Single(await h.Queries.GetMessagesAsync(Corpus.PhoneNumberId, Corpus.Alice, default));
        Assert.Equal(new CustomerView(Corpus.Alice, Corpus.AliceUserId, null, "@alice"), message.Customer);
    }

    [Fact]
    public async Task A_status_names_its_recipient_by_user_id()
    {
        var h = await PipelineHarness.CreateAsync();
        await h.DeliverAllAsync([F("meta-statuses-bsuid-recipient.json"), F("meta-echo-bsuid-only.json")]);

        var statuses = await h.Queries.GetStatusesAsync(Corpus.PhoneNumberId, Corpus.U2, default);
        Assert.Equal((null, Corpus.MariaUserId, true, "read"), (statuses!.RecipientId, statuses.RecipientUserId, statuses.MessageStored, statuses.Delivery.Status));
        Assert.Equal("read", Assert.Single(await h.Queries.GetMessagesAsync(Corpus.PhoneNumberId, Corpus.MariaUserId, default)).Delivery?.Status);
    }

    [Fact]
    public async Task A_contact_without_a_phone_is_kept_under_its_user_id()
    {
        var h = await PipelineHarness.CreateAsync();
        await h.DeliverAsync(F("partner-contacts-bsuid.json"));

        Assert.Equal(
        [
            new ContactView(Corpus.Alice, "Alice Johnson", "Alice", Corpus.AliceUserId),
            new ContactView(null, "Maria Silva", "Maria", Corpus.MariaUserId, Corpus.MariaParentUserId, "@maria.shop"),
        ], await h.Queries.GetContactsAsync(Corpus.PhoneNumberId, default));
    }

    [Fact]
    public async Task Malformed_user_ids_are_quarantined_with_the_reason_and_the_rest_is_stored()
    {
        var h = await PipelineHarness.CreateAsync();
        await h.DeliverAsync(F("meta-messages-bad-bsuid.json"));

        var rows = (await HistoryPipelineTests.QuarantineRowsAsync(h)).Select(r => (r.GetString("Pointer"), r.GetString("Reason"))).Order().ToList();
        Assert.Equal(
        [
            ("/messages/0", "\"from_user_id\" is not a business-scoped user id"),
            ("/messages/1", "\"from_parent_user_id\" is not a business-scoped user id"),
        ], rows);
        Assert.Equal("wamid.good-bsuid-3", Assert.Single(await h.Queries.GetMessagesAsync(Corpus.PhoneNumberId, Corpus.MariaUserId, default)).Id);
    }

    [Fact]
    public async Task In_history_a_sender_known_only_by_user_id_is_validated_as_on_the_messages_field()
    {
        var thread = $$$"""
            {"context":{"user_id":"{{{Corpus.MariaUserId}}}"},"messages":[
              {"from_user_id":"{{{Corpus.MariaUserId}}}","from_parent_user_id":"US.ENT.bad-id!","id":"wamid.h-bad/1","timestamp":"1775990000","type":"text","text":{"body":"x"}},
              {"from_user_id":"{{{Corpus.MariaUserId}}}","from_parent_user_id":"{{{Corpus.MariaParentUserId}}}","id":"wamid.h-good/2","timestamp":"1775990001","type":"text","text":{"body":"y"}}]}
            """;
        var h = await PipelineHarness.CreateAsync();
        await h.DeliverAsync(WebhookBuilder.HistoryChunk(0, 1, 100, thread));

        var row = Assert.Single(await HistoryPipelineTests.QuarantineRowsAsync(h));
        Assert.Equal(("/history/0/threads/0/messages/0", "\"from_parent_user_id\" is not a business-scoped user id"), (row.GetString("Pointer"), row.GetString("Reason")));
        var message = Assert.Single(await h.Queries.GetMessagesAsync(Corpus.PhoneNumberId, Corpus.MariaUserId, default));
        Assert.Equal(("wamid.h-good/2", Corpus.MariaUserId, Corpus.MariaParentUserId), (message.Id, message.From, message.Customer?.ParentUserId));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_same_message_named_by_phone_and_by_user_id_is_one_row_in_the_phone_chat(bool phoneFirst)
    {
        // History names the thread by phone; the echo of the same wamid names only the user id.
        const string Wamid = "wamid.same-person/1=";
        var history = WebhookBuilder.HistoryChunk(0, 1, 100, WebhookBuilder.Thread(Corpus.Alice,
            WebhookBuilder.Text(Wamid, WebhookBuilder.BusinessDigits, 1_776_000_000, "See you", status: "DELIVERED", to: Corpus.Alice)));
        var echo = WebhookBuilder.Echo($$$"""{"from":"{{{WebhookBuilder.BusinessDigits}}}","to_user_id":"{{{Corpus.AliceUserId}}}","id":"{{{Wamid}}}","timestamp":"1776000030","type":"text","text":{"body":"See you"}}""");
        var h = await PipelineHarness.CreateAsync();
        await h.DeliverAllAsync(phoneFirst ? [history, echo] : [echo, history]);

        var chat = Assert.Single(await h.Queries.GetChatsAsync(Corpus.PhoneNumberId, default));
        Assert.Equal((Corpus.Alice, 1L), (chat.ChatId, chat.MessageCount));
        var message = Assert.Single(await h.Queries.GetMessagesAsync(Corpus.PhoneNumberId, Corpus.Alice, default));
        Assert.Equal((Wamid, 1_776_000_000L, Corpus.AliceUserId), (message.Id, message.Timestamp, message.Customer?.UserId));
        Assert.Empty(await h.Queries.GetMessagesAsync(Corpus.PhoneNumberId, Corpus.AliceUserId, default));
    }

    [Fact]
    public async Task The_read_api_takes_a_user_id_as_chat_id()
    {
        var h = await ReadApi.ReadApiHarness.CreateAsync();
        await h.Pipeline.DeliverAsync(F("meta-messages-bsuid-only.json"));

        var response = await h.MessagesAsync(Corpus.PhoneNumberId, Corpus.MariaUserId);
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Contains(Corpus.U1, response.BodyText);
        Assert.Equal(400, (int)(await h.MessagesAsync(Corpus.PhoneNumberId, "US.not-valid!")).StatusCode);
    }

    private const string MariaPhone = "5511987654321";

    /// <summary>Maria writes again, now naming her phone beside her user id (a link).</summary>
    private static byte[] MariaWithPhone() => WebhookBuilder.Meta("messages", $$$"""
        "contacts":[{"profile":{"name":"Maria","username":"@maria.shop"},"wa_id":"{{{MariaPhone}}}","user_id":"{{{Corpus.MariaUserId}}}"}],
        "messages":[{"from":"{{{MariaPhone}}}","from_user_id":"{{{Corpus.MariaUserId}}}","id":"wamid.maria-phone/1=","timestamp":"1776000500","type":"text","text":{"body":"It's me again"}}]
        """);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task When_an_item_links_the_user_id_to_a_phone_the_persons_messages_are_one_chat_in_any_order(bool userIdFirst)
    {
        var h = await PipelineHarness.CreateAsync();
        byte[][] userIdOnly = [F("meta-messages-bsuid-only.json"), F("meta-echo-bsuid-only.json"), F("partner-history-bsuid-thread.json")];
        await h.DeliverAllAsync(userIdFirst ? [.. userIdOnly, MariaWithPhone()] : [MariaWithPhone(), .. userIdOnly, MariaWithPhone()]);

        var chat = Assert.Single(await h.Queries.GetChatsAsync(Corpus.PhoneNumberId, default));
        Assert.Equal((MariaPhone, 5L, 1_776_000_500L), (chat.ChatId, chat.MessageCount, chat.LastMessageAt));
        var messages = await h.Queries.GetMessagesAsync(Corpus.PhoneNumberId, MariaPhone, default);
        Assert.All(messages, m => Assert.Equal((MariaPhone, Corpus.MariaUserId), (m.Customer?.Phone, m.Customer?.UserId)));
        Assert.Equal(MariaPhone, Assert.Single(messages, m => m.Id == Corpus.U1).From);
        Assert.Equal(MariaPhone, Assert.Single(messages, m => m.Id == Corpus.U2).To);
        Assert.Empty(await h.Queries.GetMessagesAsync(Corpus.PhoneNumberId, Corpus.MariaUserId, default));
        Assert.Equal(Corpus.U1, (await h.Queries.GetMessageAsync(Corpus.PhoneNumberId, Corpus.U1, default))?.Id);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_contact_known_by_user_id_joins_the_phones_contact_once_linked(bool userIdFirst)
    {
        var h = await PipelineHarness.CreateAsync();
        var byUserId = WebhookBuilder.Contacts($$$"""{"type":"contact","contact":{"full_name":"Maria Silva","first_name":"Maria","user_id":"{{{Corpus.MariaUserId}}}"},"action":"add","metadata":{"timestamp":"1776000900"}}""");
        var both = WebhookBuilder.Contacts($$$"""{"type":"contact","contact":{"full_name":"Maria S.","first_name":"M","phone_number":"{{{MariaPhone}}}","user_id":"{{{Corpus.MariaUserId}}}"},"action":"add","metadata":{"timestamp":"1776000100"}}""");
        await h.DeliverAllAsync(userIdFirst ? [byUserId, both] : [both, byUserId]);

        // The later action (by user id) wins, under the phone.
        Assert.Equal([new ContactView(MariaPhone, "Maria Silva", "Maria", Corpus.MariaUserId)], await h.Queries.GetContactsAsync(Corpus.PhoneNumberId, default));
    }
}
