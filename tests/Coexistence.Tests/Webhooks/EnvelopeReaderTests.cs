using System.Text;

namespace Coexistence.Tests.Webhooks;

/// <summary>Envelope reading rules shown on small inline bodies.</summary>
public class EnvelopeReaderTests
{
    private static WebhookReading Read(string body) => WebhookEnvelopeReader.Read(Encoding.UTF8.GetBytes(body));

    [Fact]
    public void Partner_envelope_is_one_change_whose_value_is_data()
    {
        var data = """{"id":"102290129340398","metadata":{"display_phone_number":"+1 555-078-3881","phone_number_id":"106540352242922"},"state_sync":[]}""";
        var reading = Read($$"""{"id":"DM3","event":"smb_app_state_sync","data":{{data}}}""");

        var change = Assert.Single(reading.Changes);
        Assert.Equal(WebhookKind.ContactSync, change.Kind);
        Assert.Equal("DM3", change.EventId);
        Assert.Equal("102290129340398", change.WabaId);
        Assert.Equal("15550783881", change.DisplayPhoneNumber);
        Assert.Equal(data, Encoding.UTF8.GetString(change.Value.Span));
    }

    [Fact]
    public void Ids_written_as_json_numbers_are_read_as_digits()
    {
        var reading = Read("""{"object":"whatsapp_business_account","entry":[{"id":102290129340398,"changes":[{"field":"smb_message_echoes","value":{"metadata":{"display_phone_number":15550783881,"phone_number_id":106540352242922},"message_echoes":[]}}]}]}""");

        var change = Assert.Single(reading.Changes);
        Assert.Equal("106540352242922", change.PhoneNumberId);
        Assert.Equal("15550783881", change.DisplayPhoneNumber);
        Assert.Equal("102290129340398", change.WabaId);
    }

    [Theory]
    [InlineData("messages", """{"messaging_product":"whatsapp","statuses":[{"id":"wamid.X","status":"read"}]}""")]
    [InlineData("phone_number_quality_update", """{"display_phone_number":"15550783881","event":"FLAGGED"}""")]
    [InlineData("message_template_status_update", """{"event":"APPROVED","message_template_id":1}""")]
    public void Fields_we_do_not_process_are_accepted_without_metadata(string field, string value)
    {
        var reading = Read($$"""{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"{{field}}","value":{{value}}}]}]}""");

        Assert.True(reading.IsAccepted);
        var change = Assert.Single(reading.Changes);
        Assert.Null(change.Kind);
        Assert.Equal(field, change.Field);
        Assert.Null(change.PhoneNumberId);
    }

    [Fact]
    public void An_account_update_is_routed_by_its_WABA_with_the_entry_time_and_no_number()
    {
        var reading = Read("""
            {"object":"whatsapp_business_account","entry":[{"id":"102290129340398","time":1739321024,"changes":[{"field":"account_update",
             "value":{"phone_number":"15550783881","event":"PARTNER_REMOVED","disconnection_info":{"reason":"PRIMARY_INACTIVITY","initiated_by":"SYSTEM"}}}]}]}
            """);

        var change = Assert.Single(reading.Changes);
        Assert.Equal((WebhookKind.AccountUpdate, "102290129340398", 1739321024L), (change.Kind, change.WabaId, change.EntryTime));
        Assert.Null(change.PhoneNumberId);
    }

    [Fact]
    public void An_account_update_naming_a_bad_phone_number_id_in_metadata_is_refused_like_any_archive_only_field()
    {
        var reading = Read("""
            {"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"account_update","value":{"metadata":{"phone_number_id":"../x"},"event":"X"}}]}]}
            """);

        Assert.Equal(("/entry/0/changes/0/value/metadata/phone_number_id", WebhookProblems.InvalidField), (reading.Problem?.Pointer, reading.Problem?.Code));
    }

    [Fact]
    public void Partner_envelope_of_an_account_update_naming_no_WABA_is_only_archived()
    {
        var reading = Read("""{"id":"e1","event":"account_update","data":{"event":"PARTNER_ADDED"}}""");

        var change = Assert.Single(reading.Changes);
        Assert.Null(change.Kind);
        Assert.Equal("account_update", change.Field);
    }

    [Theory]
    [InlineData("history", """{"history":[]}""")]
    [InlineData("history", """{"messages":[]}""")]
    [InlineData("smb_app_state_sync", """{"state_sync":[]}""")]
    [InlineData("smb_message_echoes", """{"message_echoes":[]}""")]
    public void Each_processed_kind_is_accepted_in_both_envelopes(string field, string payload)
    {
        var metadata = "\"metadata\":{\"display_phone_number\":\"15550783881\",\"phone_number_id\":\"106540352242922\"},";
        var inner = "{" + metadata + payload[1..];
        var meta = Read($$"""{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"{{field}}","value":{{inner}}}]}]}""");
        var partner = Read($$"""{"id":"e","event":"{{field}}","data":{{inner}}}""");

        Assert.Equal(WebhookKinds.FromField(field), Assert.Single(meta.Changes).Kind);
        Assert.Equal(WebhookKinds.FromField(field), Assert.Single(partner.Changes).Kind);
        Assert.NotNull(WebhookKinds.FromField(field));
    }

    [Fact]
    public void Moderately_nested_content_is_accepted_and_excessive_nesting_is_not()
    {
        static string Body(int depth) =>
            """{"id":"e","event":"smb_message_echoes","data":{"metadata":{"display_phone_number":"1","phone_number_id":"2"},"message_echoes":[],"x":"""
            + new string('[', depth) + new string(']', depth) + "}}";

        Assert.True(WebhookEnvelopeReader.Read(Encoding.UTF8.GetBytes(Body(50))).IsAccepted);
        var deep = WebhookEnvelopeReader.Read(Encoding.UTF8.GetBytes(Body(200)));
        Assert.Equal(WebhookProblems.MalformedJson, deep.Problem?.Code);
    }

    [Fact]
    public void Phone_number_id_is_never_rewritten_even_when_it_would_normalise()
    {
        var reading = Read("""{"id":"e","event":"smb_message_echoes","data":{"metadata":{"display_phone_number":"15550783881","phone_number_id":"+106540352242922"},"message_echoes":[]}}""");

        Assert.Equal(WebhookProblems.InvalidField, reading.Problem?.Code);
        Assert.Equal("/data/metadata/phone_number_id", reading.Problem?.Pointer);
    }

    [Fact]
    public void Large_history_body_is_read_whole()
    {
        var sb = new StringBuilder("""{"id":"e","event":"history","data":{"metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922"},"history":[{"metadata":{"phase":1,"chunk_order":1,"progress":50},"threads":[{"id":"15551234567","messages":[""");
        for (var i = 0; i < 8000; i++)
        {
            if (i > 0) sb.Append(',');
            sb.Append($$$"""{"from":"15551234567","id":"wamid.HBgL{{{i:D6}}}/+=","timestamp":"{{{1715000000 + i}}}","type":"text","text":{"body":"message number {{{i}}} with some padding text"},"history_context":{"status":"READ"}}""");
        }
        sb.Append("]}]}]}}");
        var body = Encoding.UTF8.GetBytes(sb.ToString());
        Assert.InRange(body.Length, 1_000_000, 3 * 1024 * 1024);

        var change = Assert.Single(WebhookEnvelopeReader.Read(body).Changes);

        Assert.Equal(body.Length - """{"id":"e","event":"history","data":""".Length - 1, change.Value.Length);
    }
}
