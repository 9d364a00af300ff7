using System.Text;
using Coexistence.Tests.Support;
using static Coexistence.Tests.Support.WebhookBuilder;

namespace Coexistence.Tests.EndToEnd;

/// <summary>
/// JSON that is valid but escapes lone UTF-16 surrogates ("\ud800"): System.Text.Json refuses to read such
/// a string, and no table, queue or writer accepts it. It must neither crash the door nor poison a change.
/// </summary>
public class HostileTextTests
{
    [Fact]
    public async Task Lone_surrogates_in_texts_and_ids_are_stored_as_replacement_characters()
    {
        var h = await PipelineHarness.CreateAsync();
        var results = await h.DeliverAsync(HistoryChunk(0, 1, 100, Thread("15551234567",
            Text("wamid.ok/1", "15551234567", 1_700_000_000, "broken \\ud800 text"),
            Text("wamid.odd/\\udc00", "15551234567", 1_700_000_001, "fine"))));

        Assert.All(results, r => Assert.Equal(Coexistence.Processing.ProcessingOutcome.Processed, r.Outcome));
        var messages = await h.Queries.GetMessagesAsync(PhoneNumberId, "15551234567", default);
        Assert.Equal(["wamid.ok/1", "wamid.odd/\uFFFD"], messages.Select(m => m.Id));
        Assert.Equal("broken \uFFFD text", messages[0].Text);
    }

    [Theory]
    [InlineData("""{"id":"evt-\ud800","event":"history","data":{"id":"w","metadata":{"display_phone_number":"1555","phone_number_id":"1065"},"history":[]}}""", 202)]
    [InlineData("""{"object":"whatsapp_business_account","entry":[{"id":"\udfff","changes":[{"field":"odd\ud800","value":{}}]}]}""", 202)]
    [InlineData("""{"id":"e","event":"history","data":{"metadata":{"display_phone_number":"1555","phone_number_id":"10\ud8006"},"history":[]}}""", 400)]
    public async Task The_door_answers_lone_surrogates_in_the_envelope_without_a_5xx(string body, int status)
    {
        var door = await DoorHarness.CreateAsync();
        // The raw strings above keep the backslashes: the JSON text carries the escapes, not the characters.
        var response = await door.PostAsync(Encoding.UTF8.GetBytes(body));
        Assert.Equal(status, response.Status);
        var results = await door.Pipeline.Drainer.DrainAsync(default);
        Assert.All(results, r => Assert.Equal(Coexistence.Processing.ProcessingOutcome.Processed, r.Outcome));
    }

    [Theory]
    [InlineData("""{"\ud800":1,"event":"history","data":{}}""")]
    [InlineData("""{"id":"e","event":"history","data":{"metadata":{"display_phone_number":"1555","phone_number_id":"1065"},"history":[{"threads":[{"\udc00x":1}]}]}}""")]
    public async Task A_property_name_with_a_lone_surrogate_is_refused_as_malformed_json_not_answered_with_a_5xx(string body)
    {
        var door = await DoorHarness.CreateAsync();
        var response = await door.PostAsync(Encoding.UTF8.GetBytes(body));

        Assert.Equal(400, response.Status);
        Assert.Contains("\"code\":\"malformed-json\"", Encoding.UTF8.GetString(response.Body));
        Assert.Contains("surrogate without its pair", Encoding.UTF8.GetString(response.Body));
        Assert.Equal(0, await TableDump.CountRowsAsync(door.Pipeline.Storage));
    }
}

/// <summary>Values longer than a table property can hold must not poison a change either.</summary>
public class OversizedValueTests
{
    [Fact]
    public async Task Oversized_types_are_quarantined_and_oversized_media_fields_and_reasons_are_cut()
    {
        var h = await PipelineHarness.CreateAsync();
        var huge = new string('x', 40_000);
        var results = await h.DeliverAsync(Echo($$"""{"from":"15550783881","to":"15551234567","id":"wamid.big/1","timestamp":"1700000000","type":"{{huge}}"}"""));
        results = [.. results, .. await h.DeliverAsync(MediaFollowUp("wamid.big/2", "15551234567", 1_700_000_000, mediaId: huge))];
        results = [.. results, .. await h.DeliverAsync(Contacts($$"""{"type":"contact","contact":{"phone_number":"15551234567"},"action":"{{huge}}"}"""))];

        Assert.All(results, r => Assert.Equal(Coexistence.Processing.ProcessingOutcome.Processed, r.Outcome));
        var reasons = (await HistoryPipelineTests.QuarantineRowsAsync(h)).Select(r => r.GetString("Reason")).Order().ToList();
        Assert.Equal(2, reasons.Count);
        Assert.Equal("\"type\" is longer than 512 characters", reasons[0]);
        Assert.StartsWith("unsupported action \"xxxx", reasons[1]);
        Assert.True(reasons[1].Length < 200);
    }
}

/// <summary>
/// A transaction takes at most 4 MiB in Azure: a chunk of long texts must be split into more, smaller batches.
/// Azurite does not enforce that limit, so the test checks the split itself.
/// </summary>
public class LargeTextBatchTests
{
    [Fact]
    public async Task A_chunk_of_very_long_texts_is_stored_in_batches_under_the_transaction_size_limit()
    {
        var h = await PipelineHarness.CreateAsync();
        var longText = new string('y', 29_000);
        var messages = Enumerable.Range(0, 60).Select(i => Text($"wamid.long/{i}", "15551234567", 1_700_000_000 + i, longText)).ToArray();

        var result = Assert.Single(await h.DeliverAsync(HistoryChunk(0, 1, 100, Thread("15551234567", messages))));

        Assert.Equal(Coexistence.Processing.ProcessingOutcome.Processed, result.Outcome);
        Assert.True(result.TableBatches > 2, $"{result.TableBatches} batches: 60 messages of 29,000 characters cannot fit in 2");
        var stored = await h.Queries.GetMessagesAsync(PhoneNumberId, "15551234567", default);
        Assert.Equal(60, stored.Count);
        Assert.All(stored, m => Assert.Equal(longText, m.Text));
    }
}
