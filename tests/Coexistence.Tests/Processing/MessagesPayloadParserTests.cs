using System.Text.Json;
using static Coexistence.Tests.Webhooks.Corpus;

namespace Coexistence.Tests.Processing;

public class MessagesPayloadParserTests
{
    private static MessagesPayload ParseFixture(string file)
    {
        var change = SingleChange(file);
        Assert.Equal(WebhookKind.Messages, change.Kind);
        return MessagesPayloadParser.Parse(Value(change), change.DisplayPhoneNumber!);
    }

    private static MessagesPayload ParseValue(string json)
    {
        using var document = JsonDocument.Parse(json);
        return MessagesPayloadParser.Parse(document.RootElement.Clone(), BusinessNumber);
    }

    [Fact]
    public void The_customers_edit_and_revoke_are_facts_about_their_target_not_messages()
    {
        var edit = Assert.IsType<MessageEdit>(Assert.Single(ParseFixture("meta-messages-customer-edit.json").Facts));
        Assert.Equal((M1, M2, 1_718_020_060L, "text", "Is the shop open on Saturday?"), (edit.MessageId, edit.EditId, edit.Timestamp, edit.Type, edit.Text));
        var revoke = Assert.IsType<MessageRevoke>(Assert.Single(ParseFixture("meta-messages-customer-revoke.json").Facts));
        Assert.Equal((M1, M3, 1_718_020_120L), (revoke.MessageId, revoke.RevokeId, revoke.Timestamp));
        Assert.Empty(ParseFixture("meta-messages-customer-revoke.json").Messages);
    }

    [Fact]
    public void A_location_keeps_its_object_and_a_system_message_its_body()
    {
        var location = ParseFixture("meta-messages-location-and-reaction.json").Messages.Single(m => m.Id == M4);
        Assert.Equal((Oliver, Direction.Inbound, MessageSource.Messages, "location"), (location.ChatId, location.Direction, location.Source, location.Type));
        Assert.Equal("Philz Coffee", JsonDocument.Parse(location.ContentJson!).RootElement.GetProperty("name").GetString());
        var system = Assert.Single(ParseFixture("meta-messages-system-user-changed-number.json").Messages);
        Assert.Equal((Lena, "system", "Lena changed their phone number to a new number 4915199999999"), (system.ChatId, system.Type, system.Text));
    }

    [Fact]
    public void A_change_of_number_names_the_old_and_new_phone_in_either_documented_shape()
    {
        var older = ParseFixture("meta-messages-system-user-changed-number.json");
        Assert.Equal([new IdentityChange(Lena, LenaNew, 1_718_022_000)], older.Changes);
        Assert.Empty(older.Links);
        var current = ParseFixture("meta-messages-system-user-changed-number-2026.json");
        Assert.Equal([new IdentityChange(Lena, LenaNew, 1_718_023_000)], current.Changes);
        // The old phone's user id is linked to the old phone (its chat follows the phone's).
        Assert.Equal([new IdentityLink(LenaOldUserId, Lena)], current.Links);
        var system = Assert.Single(current.Messages);
        Assert.Equal((Lena, M7), (system.ChatId, system.Id));
    }

    [Fact]
    public void A_change_of_user_id_names_the_old_and_new_user_id_without_a_phone()
    {
        var payload = ParseFixture("meta-messages-system-user-changed-user-id.json");
        Assert.Equal([new IdentityChange(MariaUserId, MariaNewUserId, 1_718_024_000)], payload.Changes);
        var system = Assert.Single(payload.Messages);
        Assert.Equal((MariaUserId, "system"), (system.ChatId, system.Type));
        // Without previous_user_id, the sender is the old id.
        var fallback = ParseValue("""
            {"messages":[{"from_user_id":"US.1","id":"wamid.s","timestamp":"1718000000","type":"system",
                          "system":{"body":"b","user_id":"US.2","type":"user_changed_user_id"}}]}
            """);
        Assert.Equal([new IdentityChange("US.1", "US.2", 1_718_000_000)], fallback.Changes);
    }

    [Fact]
    public void A_change_that_cannot_be_followed_is_quarantined_with_its_reason_and_other_system_messages_kept()
    {
        var payload = ParseFixture("meta-messages-system-bad-changes.json");
        Assert.Equal([("/messages/0", "\"system.wa_id\" is missing"), ("/messages/1", "\"system.wa_id\" is not a phone number"),
                ("/messages/2", "\"system.user_id\" is not a business-scoped user id")],
            payload.Quarantined.Select(q => (q.Pointer, q.Reason)));
        Assert.Equal("wamid.good.system", Assert.Single(payload.Messages).Id);
        Assert.Empty(payload.Changes);
    }

    [Fact]
    public void Statuses_are_read_with_their_error_and_recipient_in_digits()
    {
        var failed = Assert.Single(ParseFixture("meta-statuses-failed-api-message.json").Statuses);
        Assert.Equal(new MessageStatus(Api1, "failed", 1_718_030_000, Oliver,
            new WebhookError(131026, "Message undeliverable", "Message undeliverable", "Message Undeliverable.")), failed);
        Assert.Equal(["read", "sent", "delivered"], ParseFixture("meta-statuses-out-of-order.json").Statuses.Select(s => s.Status));
    }

    [Fact]
    public void Status_names_are_lower_case_timestamps_numbers_or_strings_and_the_recipient_optional()
    {
        var payload = ParseValue("""
            {"statuses":[{"id":"wamid.1","status":" READ ","timestamp":1718000000},
                         {"id":"wamid.2","status":"delivered","timestamp":"1718000001","recipient_id":"+44 7700 900123"}]}
            """);
        Assert.Equal([("wamid.1", "read", 1_718_000_000L, (string?)null), ("wamid.2", "delivered", 1_718_000_001L, "447700900123")],
            payload.Statuses.Select(s => (s.MessageId, s.Status, s.Timestamp, s.RecipientId)));
        Assert.Empty(payload.Quarantined);
    }

    [Theory]
    [InlineData("""{"id":"wamid.1","timestamp":"1"}""", "\"status\" is missing")]
    [InlineData("""{"id":"wamid.1","status":"sent"}""", "\"timestamp\" is missing")]
    [InlineData("""{"id":"wamid.1","status":"sent","timestamp":"-5"}""", "\"timestamp\" is not a non-negative unix time")]
    [InlineData("""{"id":"wamid.1","status":"sent","timestamp":"1","recipient_id":"not a number"}""", "\"recipient_id\" is not a phone number")]
    [InlineData("""{"id":"","status":"sent","timestamp":"1"}""", "\"id\" is missing")]
    [InlineData("""["not","an","object"]""", "the status is not a JSON object")]
    public void A_bad_status_is_quarantined_with_its_reason(string status, string reason)
    {
        var payload = ParseValue($$"""{"statuses":[{{status}},{"id":"wamid.ok","status":"sent","timestamp":"1"}]}""");
        var quarantined = Assert.Single(payload.Quarantined);
        Assert.Equal(("/statuses/0", reason), (quarantined.Pointer, quarantined.Reason));
        Assert.Equal("wamid.ok", Assert.Single(payload.Statuses).MessageId);
    }

    [Fact]
    public void A_change_whose_field_is_statuses_is_read_as_messages()
    {
        var reading = WebhookEnvelopeReader.Read(Support.WebhookBuilder.Meta("statuses", """ "statuses":[{"id":"wamid.1","status":"sent","timestamp":"1"}] """));
        Assert.Equal(WebhookKind.Messages, Assert.Single(reading.Changes).Kind);
    }
}
