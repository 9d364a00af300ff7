using Coexistence.Tests.Support;
using Coexistence.Tests.Webhooks;
using static Coexistence.Tests.Support.WebhookBuilder;

namespace Coexistence.Tests.EndToEnd;

/// <summary>
/// The ordinary <c>messages</c> field through the door, its queue and the tables against Azurite, from Meta's documented
/// shapes (Fixtures/README.md, "messages"): inbound messages, the customer's edits and revokes, system messages, statuses.
/// </summary>
public class MessagesPipelineTests
{
    private static byte[] F(string name) => Fixtures.Bytes(name);

    [Fact]
    public async Task An_inbound_text_lands_in_the_senders_chat_as_an_inbound_message()
    {
        var h = await PipelineHarness.CreateAsync();
        var results = await h.DeliverAsync(F("meta-messages-text.json"));

        var result = Assert.Single(results);
        Assert.Equal((ProcessingOutcome.Processed, WebhookKind.Messages, 1), (result.Outcome, result.Kind, result.Messages));
        var message = Assert.Single(await h.Queries.GetMessagesAsync(Corpus.PhoneNumberId, Corpus.Alice, default));
        Assert.Equal((Corpus.M1, "inbound", "messages", Corpus.Alice, Corpus.BusinessNumber, 1_718_020_000L, "text", "Is the shop open on Sunday?"),
            (message.Id, message.Direction, message.Source, message.From, message.To, message.Timestamp, message.Type, message.Text));
        Assert.Null(message.Delivery);
        var chat = Assert.Single(await h.Queries.GetChatsAsync(Corpus.PhoneNumberId, default));
        Assert.Equal((Corpus.Alice, 1L, 1_718_020_000L), (chat.ChatId, chat.MessageCount, chat.LastMessageAt));
    }

    [Theory]
    [InlineData(0, 1, 2)]
    [InlineData(2, 1, 0)]
    [InlineData(1, 2, 0)]
    public async Task The_customers_edit_and_revoke_apply_to_their_message_in_any_order(int a, int b, int c)
    {
        var bodies = new[] { F("meta-messages-text.json"), F("meta-messages-customer-edit.json"), F("meta-messages-customer-revoke.json") };
        var h = await PipelineHarness.CreateAsync();
        await h.DeliverAllAsync([bodies[a], bodies[b], bodies[c], bodies[a]]);

        var message = Assert.Single(await h.Queries.GetMessagesAsync(Corpus.PhoneNumberId, Corpus.Alice, default));
        Assert.Equal((Corpus.M1, "Is the shop open on Saturday?", true, true), (message.Id, message.Text, message.Edited, message.Revoked));
        Assert.Equal(1, Assert.Single(await h.Queries.GetChatsAsync(Corpus.PhoneNumberId, default)).MessageCount);
    }

    [Fact]
    public async Task A_location_keeps_its_type_in_the_customers_chat()
    {
        var h = await PipelineHarness.CreateAsync();
        await h.DeliverAsync(F("meta-messages-location-and-reaction.json"));

        var messages = await h.Queries.GetMessagesAsync(Corpus.PhoneNumberId, Corpus.Oliver, default);
        var location = Assert.Single(messages, m => m.Id == Corpus.M4);
        Assert.Equal(("location", "inbound", 1_718_021_000L), (location.Type, location.Direction, location.Timestamp));
    }

    [Fact]
    public async Task A_system_message_is_recorded_in_the_chat_with_its_body()
    {
        var h = await PipelineHarness.CreateAsync();
        await h.DeliverAsync(F("meta-messages-system-user-changed-number.json"));

        // A change of number: the message is in the chat of the new number (IdentityChangeTests).
        Assert.Empty(await h.Queries.GetMessagesAsync(Corpus.PhoneNumberId, Corpus.Lena, default));
        var message = Assert.Single(await h.Queries.GetMessagesAsync(Corpus.PhoneNumberId, Corpus.LenaNew, default));
        Assert.Equal((Corpus.M6, "system", "Lena changed their phone number to a new number 4915199999999"), (message.Id, message.Type, message.Text));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Statuses_in_any_order_before_or_after_their_message_read_as_the_highest(bool echoFirst)
    {
        var echo = F("meta-echo-text.json");
        var statuses = F("meta-statuses-out-of-order.json");
        var h = await PipelineHarness.CreateAsync();
        await h.DeliverAllAsync(echoFirst ? [echo, statuses, statuses] : [statuses, echo, statuses]);

        var message = Assert.Single(await h.Queries.GetMessagesAsync(Corpus.PhoneNumberId, Corpus.Alice, default));
        Assert.Equal(Corpus.A8, message.Id);
        var delivery = Assert.IsType<DeliveryView>(message.Delivery);
        Assert.Equal(("read", 1_718_003_700L, (ErrorView?)null), (delivery.Status, delivery.Timestamp, delivery.Error));
        Assert.Equal([("sent", 1_718_003_601L), ("delivered", 1_718_003_605L), ("read", 1_718_003_700L)],
            delivery.Statuses.Select(s => (s.Status, s.Timestamp)));
        var byWamid = (await h.Queries.GetMessageAsync(Corpus.PhoneNumberId, Corpus.A8, default))!.Delivery!;
        Assert.Equal((delivery.Status, delivery.Timestamp), (byWamid.Status, byWamid.Timestamp));
        Assert.Equal(delivery.Statuses, byWamid.Statuses);
        // A status is no message: the chat still counts one.
        Assert.Equal(1, Assert.Single(await h.Queries.GetChatsAsync(Corpus.PhoneNumberId, default)).MessageCount);
    }

    [Fact]
    public async Task Three_statuses_of_one_webhook_cost_one_table_round_trip()
    {
        var h = await PipelineHarness.CreateAsync();
        var result = Assert.Single(await h.DeliverAsync(F("meta-statuses-out-of-order.json")));
        Assert.Equal((3, 0, 1), (result.Statuses, result.Messages, result.TableBatches));
    }

    [Fact]
    public async Task A_failed_status_of_a_message_never_stored_is_queryable_by_wamid_with_its_error()
    {
        var h = await PipelineHarness.CreateAsync();
        await h.DeliverAsync(F("meta-statuses-failed-api-message.json"));

        Assert.Null(await h.Queries.GetMessageAsync(Corpus.PhoneNumberId, Corpus.Api1, default));
        Assert.Empty(await h.Queries.GetChatsAsync(Corpus.PhoneNumberId, default));
        var statuses = await h.Queries.GetStatusesAsync(Corpus.PhoneNumberId, Corpus.Api1, default);
        Assert.NotNull(statuses);
        Assert.Equal((Corpus.Api1, Corpus.Oliver, false), (statuses.MessageId, statuses.RecipientId, statuses.MessageStored));
        Assert.Equal(("failed", 1_718_030_000L), (statuses.Delivery.Status, statuses.Delivery.Timestamp));
        Assert.Equal(new ErrorView(131026, "Message undeliverable", "Message undeliverable", "Message Undeliverable."), statuses.Delivery.Error);
        Assert.Null(await h.Queries.GetStatusesAsync(Corpus.PhoneNumberId, Corpus.M1, default));
    }

    [Fact]
    public async Task A_status_names_its_stored_message()
    {
        var h = await PipelineHarness.CreateAsync();
        await h.DeliverAllAsync([F("meta-statuses-out-of-order.json"), F("meta-echo-text.json")]);
        var statuses = await h.Queries.GetStatusesAsync(Corpus.PhoneNumberId, Corpus.A8, default);
        Assert.Equal((true, Corpus.Alice, "read"), (statuses!.MessageStored, statuses.RecipientId, statuses.Delivery.Status));
    }

    [Fact]
    public async Task Bad_messages_and_statuses_are_quarantined_with_pointer_and_reason_and_the_rest_is_stored()
    {
        var h = await PipelineHarness.CreateAsync();
        await h.DeliverAsync(F("meta-echo-text.json"));
        var result = Assert.Single(await h.DeliverAsync(F("meta-messages-with-bad-items.json")));

        Assert.Equal((ProcessingOutcome.Processed, 1, 1, 3), (result.Outcome, result.Messages, result.Statuses, result.Quarantined));
        var rows = (await HistoryPipelineTests.QuarantineRowsAsync(h)).Select(r => (r.GetString("Pointer"), r.GetString("Reason"))).Order().ToList();
        Assert.Equal(
        [
            ("/messages/1", "\"from\" is missing"),
            ("/statuses/0", "\"id\" is missing"),
            ("/statuses/1", "\"timestamp\" is not a non-negative unix time"),
        ], rows);
        Assert.Equal(Corpus.M1, Assert.Single(await h.Queries.GetMessagesAsync(Corpus.PhoneNumberId, Corpus.Alice, default), m => m.Direction == "inbound").Id);
        var echo = Assert.Single(await h.Queries.GetMessagesAsync(Corpus.PhoneNumberId, Corpus.Alice, default), m => m.Id == Corpus.A8);
        Assert.Equal("delivered", echo.Delivery?.Status);
    }

    [Fact]
    public async Task A_failure_outranks_earlier_successes_and_the_earliest_of_a_rank_is_current()
    {
        var h = await PipelineHarness.CreateAsync();
        const string Wamid = "wamid.api/2=";
        string Status(string status, long at, string? errors = null) =>
            $$"""{"id":"{{Wamid}}","status":"{{status}}","timestamp":"{{at}}","recipient_id":"447700900123"{{(errors is null ? "" : ",\"errors\":" + errors)}}}""";
        await h.DeliverAsync(Meta("messages", $""" "statuses":[{Status("delivered", 20)},{Status("sent", 10)},{Status("delivered", 15)}] """));
        Assert.Equal(("delivered", 15L), Current(await h.Queries.GetStatusesAsync(PhoneNumberId, Wamid, default)));
        await h.DeliverAsync(Meta("messages", $""" "statuses":[{Status("failed", 30, """[{"code":131047,"title":"Re-engagement message"}]""")}] """));
        var statuses = await h.Queries.GetStatusesAsync(PhoneNumberId, Wamid, default);
        Assert.Equal(("failed", 30L), Current(statuses));
        Assert.Equal((131047L, "Re-engagement message"), (statuses!.Delivery.Error?.Code, statuses.Delivery.Error?.Title));
        Assert.Equal(4, statuses.Delivery.Statuses.Count);

        static (string, long) Current(MessageStatusesView? v) => (v!.Delivery.Status, v.Delivery.Timestamp);
    }

    [Fact]
    public async Task Both_messages_changes_of_a_batched_post_are_processed()
    {
        var h = await PipelineHarness.CreateAsync();
        var results = await h.DeliverAsync(F("meta-batch-two-numbers.json"));

        Assert.Equal(2, results.Count(r => r.Kind == WebhookKind.Messages && r.Outcome == ProcessingOutcome.Processed));
        Assert.Contains(await h.Queries.GetMessagesAsync(Corpus.PhoneNumberId, Corpus.Alice, default), m => m.Id == Corpus.A11 && m.Direction == "inbound");
        var status = await h.Queries.GetStatusesAsync(Corpus.SecondPhoneNumberId, Corpus.B10, default);
        Assert.Equal("delivered", status?.Delivery.Status);
    }
}
