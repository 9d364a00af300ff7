using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Coexistence.Tests.Support;

namespace Coexistence.Tests.Webhooks;

/// <summary>A Meta body batches entries and changes; every change must be found, its value sliced byte for byte.</summary>
public class BatchingTests
{
    [Fact]
    public void Batched_body_yields_every_change_of_every_entry_not_only_the_first()
    {
        var reading = WebhookEnvelopeReader.Read(Fixtures.Bytes("meta-batch-two-numbers.json"));

        Assert.True(reading.IsAccepted);
        Assert.Equal(7, reading.Changes.Count);
        Assert.Equal(
            ["smb_message_echoes", "smb_app_state_sync", "messages", "history", "smb_message_echoes", "messages", "account_update"],
            reading.Changes.Select(c => c.Field));
        Assert.Equal(3, reading.Changes.Count(c => c.PhoneNumberId == Corpus.PhoneNumberId));
        Assert.Equal(3, reading.Changes.Count(c => c.PhoneNumberId == Corpus.SecondPhoneNumberId));
        Assert.Single(reading.Changes, c => c.PhoneNumberId is null);
        // account_update names no number but a WABA (its entry's id): it is processed too, attributed by the consumer.
        Assert.Equal(7, reading.Changes.Count(c => c.Kind is not null));
    }

    [Fact]
    public void Every_change_value_is_the_exact_bytes_of_its_value_object()
    {
        var body = Fixtures.Bytes("meta-batch-two-numbers.json");
        var reading = WebhookEnvelopeReader.Read(body);
        Assert.True(reading.IsAccepted);

        using var document = JsonDocument.Parse(body);
        var expected = new List<string>();
        foreach (var entry in document.RootElement.GetProperty("entry").EnumerateArray())
            foreach (var change in entry.GetProperty("changes").EnumerateArray())
                expected.Add(change.GetProperty("value").GetRawText());

        Assert.Equal(expected.Count, reading.Changes.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            var value = reading.Changes[i].Value;
            Assert.Equal(Encoding.UTF8.GetBytes(expected[i]), value.ToArray());

            // A slice of the body itself, at the place where the text occurs.
            Assert.True(MemoryMarshal.TryGetArray(value, out var segment));
            Assert.Same(body, segment.Array);
            Assert.Equal(Encoding.UTF8.GetBytes(expected[i]), body.AsSpan(segment.Offset, segment.Count).ToArray());
        }
    }

    [Fact]
    public void Value_slices_keep_non_ascii_text_and_escapes_exactly_as_sent()
    {
        var value = """{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922"},"message_echoes":[{"from":"15550783881","to":"15551234567","id":"wamid.X/+=","timestamp":"1718010000","type":"text","text":{"body":"Gr\u00fc\u00dfe 👋 \"quoted\" \\ back"}}]}""";
        var body = $$"""{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"field":"smb_message_echoes","value":{{value}}}]}]}""";

        var change = Assert.Single(WebhookEnvelopeReader.Read(Encoding.UTF8.GetBytes(body)).Changes);

        Assert.Equal(value, Encoding.UTF8.GetString(change.Value.Span));
    }

    [Fact]
    public void Generated_batch_of_many_entries_and_changes_loses_none()
    {
        const int entries = 25, changesPerEntry = 12;
        string[] fields = ["history", "smb_app_state_sync", "smb_message_echoes", "messages"];
        string[] arrays = ["history", "state_sync", "message_echoes", "messages"];
        var sb = new StringBuilder("""{"object":"whatsapp_business_account","entry":[""");
        for (var e = 0; e < entries; e++)
        {
            if (e > 0) sb.Append(',');
            sb.Append($$"""{"id":"{{Corpus.WabaId}}","changes":[""");
            for (var c = 0; c < changesPerEntry; c++)
            {
                if (c > 0) sb.Append(',');
                var k = (e + c) % fields.Length;
                var pnid = (e * changesPerEntry + c) % 2 == 0 ? Corpus.PhoneNumberId : Corpus.SecondPhoneNumberId;
                sb.Append($$$"""{"field":"{{{fields[k]}}}","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"{{{pnid}}}"},"{{{arrays[k]}}}":[],"marker":"e{{{e}}}c{{{c}}}"}}""");
            }
            sb.Append("]}");
        }
        sb.Append("]}");

        var reading = WebhookEnvelopeReader.Read(Encoding.UTF8.GetBytes(sb.ToString()));

        Assert.True(reading.IsAccepted, reading.Problem?.Detail);
        Assert.Equal(entries * changesPerEntry, reading.Changes.Count);
        for (var e = 0; e < entries; e++)
            for (var c = 0; c < changesPerEntry; c++)
            {
                var change = reading.Changes[e * changesPerEntry + c];
                Assert.Equal(e * changesPerEntry + c, change.Index);
                Assert.Equal(fields[(e + c) % fields.Length], change.Field);
                Assert.Equal($"/entry/{e}/changes/{c}/value", change.Pointer);
                Assert.Equal((e * changesPerEntry + c) % 2 == 0 ? Corpus.PhoneNumberId : Corpus.SecondPhoneNumberId, change.PhoneNumberId);
                using var value = JsonDocument.Parse(change.Value);
                Assert.Equal($"e{e}c{c}", value.RootElement.GetProperty("marker").GetString());
            }
    }

    [Fact]
    public void One_bad_change_anywhere_in_a_batch_rejects_the_body_and_names_that_change()
    {
        // The first entry is fine; the second's third change has no metadata.
        var body = """
        {"object":"whatsapp_business_account","entry":[
          {"id":"1","changes":[{"field":"smb_message_echoes","value":{"metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922"},"message_echoes":[]}}]},
          {"id":"1","changes":[
            {"field":"messages","value":{"statuses":[]}},
            {"field":"account_update","value":{"event":"VERIFIED_ACCOUNT"}},
            {"field":"smb_app_state_sync","value":{"state_sync":[]}}]}]}
        """;

        var reading = WebhookEnvelopeReader.Read(Encoding.UTF8.GetBytes(body));

        Assert.False(reading.IsAccepted);
        Assert.Equal(WebhookProblems.MissingField, reading.Problem!.Code);
        Assert.Equal("/entry/1/changes/2/value/metadata", reading.Problem.Pointer);
    }
}
