using System.Text;
using static Coexistence.Tests.Webhooks.Corpus;

namespace Coexistence.Tests.Processing;

public class HistoryPayloadParserTests
{
    /// <summary>Parses a history fixture the way the consumer does: its change value, with the envelope's business number.</summary>
    private static HistoryPayload ParseFixture(string file)
    {
        var change = SingleChange(file);
        Assert.Equal(WebhookKind.History, change.Kind);
        return HistoryPayloadParser.Parse(Value(change), change.DisplayPhoneNumber!, "seed");
    }

    private static ChatMessage Message(HistoryPayload payload, string id) =>
        Assert.Single(payload.Chunks.SelectMany(c => c.Messages), m => m.Id == id);

    [Fact]
    public void Phase0_chunk_with_numeric_metadata()
    {
        var payload = ParseFixture("partner-history-phase0-chunk1.json");

        var (chunk, messages) = Assert.Single(payload.Chunks);
        Assert.Equal(0, chunk.Phase);
        Assert.Equal(1, chunk.ChunkOrder);
        Assert.Equal(10, chunk.Progress);
        Assert.Equal("00|0000000001", chunk.ChunkKey);
        Assert.Equal(5, chunk.MessageCount);
        Assert.Equal(2, chunk.ChatCount);
        Assert.Equal([A1, A2, A3, C1, C2], messages.Select(m => m.Id));
        Assert.All(messages, m => Assert.Equal(MessageSource.History, m.Source));
        Assert.Empty(payload.Declines);
        Assert.Empty(payload.MediaFollowUps);
        Assert.Empty(payload.Quarantined);
    }

    [Fact]
    public void Numeric_strings_are_read_as_numbers()
    {
        var (chunk, _) = Assert.Single(ParseFixture("partner-history-phase1-chunk3-strings.json").Chunks);
        Assert.Equal(1, chunk.Phase);
        Assert.Equal(3, chunk.ChunkOrder);
        Assert.Equal(60, chunk.Progress);
        Assert.Equal("01|0000000003", chunk.ChunkKey);

        var (last, _) = Assert.Single(ParseFixture("partner-history-phase2-chunk4-final.json").Chunks);
        Assert.Equal((2L, 4L, 100L), (last.Phase!.Value, last.ChunkOrder!.Value, last.Progress!.Value));
        Assert.Equal("02|0000000004", last.ChunkKey);

        var (meta, _) = Assert.Single(ParseFixture("meta-history-phase1-chunk5.json").Chunks);
        Assert.Equal((1L, 5L, 80L), (meta.Phase!.Value, meta.ChunkOrder!.Value, meta.Progress!.Value));
    }

    [Fact]
    public void Chunk_keys_sort_by_phase_then_order_whatever_the_arrival_order()
    {
        string[] arrival = ["partner-history-phase1-chunk3-strings.json", "partner-history-phase0-chunk1.json",
                            "partner-history-phase2-chunk4-final.json", "partner-history-phase1-chunk2.json"];
        var keys = arrival.Select(f => Assert.Single(ParseFixture(f).Chunks).Chunk.ChunkKey).ToList();

        Assert.Equal(4, keys.Distinct().Count());
        Assert.Equal(["00|0000000001", "01|0000000002", "01|0000000003", "02|0000000004"], keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Timestamps_given_as_strings_are_unix_seconds()
    {
        var payload = ParseFixture("partner-history-phase0-chunk1.json");
        Assert.Equal(1717995600, Message(payload, A1).Timestamp);
        Assert.Equal(1717996060, Message(payload, C2).Timestamp);
    }

    [Fact]
    public void Statuses_are_upper_case_whichever_case_they_arrive_in()
    {
        var upper = ParseFixture("partner-history-phase0-chunk1.json");
        Assert.Equal("READ", Message(upper, A1).Status);
        Assert.Equal("DELIVERED", Message(upper, A2).Status);
        Assert.Equal("SENT", Message(upper, A3).Status);
        Assert.Equal("PLAYED", Message(upper, C1).Status);

        var lower = ParseFixture("partner-history-phase1-chunk3-strings.json");
        Assert.Equal("READ", Message(lower, B2).Status);
        Assert.Equal("DELIVERED", Message(lower, B4).Status);
        Assert.Equal("SENT", Message(lower, A6).Status);

        var final = ParseFixture("partner-history-phase2-chunk4-final.json");
        Assert.Equal("ERROR", Message(final, C5).Status);
        Assert.Equal("PENDING", Message(final, A7).Status);
    }

    [Fact]
    public void Customer_messages_are_inbound_to_the_business()
    {
        var payload = ParseFixture("partner-history-phase0-chunk1.json");
        var inbound = Message(payload, A1);

        Assert.Equal(Direction.Inbound, inbound.Direction);
        Assert.Equal(Alice, inbound.ChatId);
        Assert.Equal(Alice, inbound.From);
        Assert.Equal(BusinessNumber, inbound.To);
    }

    [Fact]
    public void Business_number_in_from_is_outbound_and_keeps_its_to()
    {
        var outbound = Message(ParseFixture("partner-history-phase0-chunk1.json"), A2);

        Assert.Equal(Direction.Outbound, outbound.Direction);
        Assert.Equal(BusinessNumber, outbound.From);
        Assert.Equal(Alice, outbound.To);
        Assert.Equal(Alice, outbound.ChatId);
    }

    [Fact]
    public void From_me_without_to_is_outbound_with_to_derived_from_the_thread()
    {
        var a3 = Message(ParseFixture("partner-history-phase0-chunk1.json"), A3);
        Assert.Equal(Direction.Outbound, a3.Direction);
        Assert.Equal(Alice, a3.To);

        var a7 = Message(ParseFixture("partner-history-phase2-chunk4-final.json"), A7);
        Assert.Equal(Direction.Outbound, a7.Direction);
        Assert.Equal(Alice, a7.To);
    }

    [Fact]
    public void Formatted_thread_ids_and_to_numbers_become_digits()
    {
        var chunk3 = ParseFixture("partner-history-phase1-chunk3-strings.json");
        var b4 = Message(chunk3, B4);
        Assert.Equal(Oliver, b4.ChatId);
        Assert.Equal(Oliver, b4.To);
        Assert.Equal(Direction.Outbound, b4.Direction);

        var final = ParseFixture("partner-history-phase2-chunk4-final.json");
        Assert.Equal(Lena, Message(final, C4).ChatId);
    }

    [Theory]
    [InlineData("""{"from":"15559990000","id":"w1","timestamp":"1","type":"text","text":{"body":"x"},"history_context":{"from_me":true}}""", "Outbound")]
    [InlineData("""{"from":"15559990000","id":"w1","timestamp":"1","type":"text","text":{"body":"x"},"history_context":{"from_me":"true"}}""", "Outbound")]
    [InlineData("""{"from":"15550783881","id":"w1","timestamp":"1","type":"text","text":{"body":"x"},"history_context":{"from_me":false}}""", "Outbound")]
    [InlineData("""{"from":"+1 555-078-3881","id":"w1","timestamp":"1","type":"text","text":{"body":"x"}}""", "Outbound")]
    [InlineData("""{"from":"15559990000","id":"w1","timestamp":"1","type":"text","text":{"body":"x"},"history_context":{"from_me":false}}""", "Inbound")]
    [InlineData("""{"from":"15559990000","id":"w1","timestamp":"1","type":"text","text":{"body":"x"}}""", "Inbound")]
    public void Direction_is_outbound_when_from_is_the_business_or_from_me_is_true(string message, string expected)
    {
        var value = Json($$"""{"history":[{"metadata":{"phase":0,"chunk_order":1,"progress":1},"threads":[{"id":"15559990000","messages":[{{message}}]}]}]}""");

        var parsed = Assert.Single(Assert.Single(HistoryPayloadParser.Parse(value, BusinessNumber, "s").Chunks).Messages);

        Assert.Equal(Enum.Parse<Direction>(expected), parsed.Direction);
        Assert.Equal(parsed.Direction == Direction.Outbound ? "15559990000" : BusinessNumber, parsed.To);
    }

    [Fact]
    public void A_text_object_holding_only_its_body_is_stored_as_text_and_not_again_as_content()
    {
        var payload = ParseFixture("partner-history-phase1-chunk2.json");
        var c3 = Message(payload, C3);
        Assert.Equal("text", c3.Type);
        Assert.Equal("Guten Tag! Vielen Dank für die schnelle Lieferung 🙂", c3.Text);
        Assert.Null(c3.Media);
        Assert.Null(c3.ContentJson);
    }

    /// <summary>One history chunk holding the given message objects in one thread of customer 4915100000001.</summary>
    private static IReadOnlyList<ChatMessage> ParseMessages(params string[] messages)
    {
        var value = $$$"""{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550001111","phone_number_id":"106540352242922"},"history":[{"metadata":{"phase":0,"chunk_order":1,"progress":10},"threads":[{"id":"4915100000001","messages":[{{{string.Join(",", messages)}}}]}]}]}""";
        using var document = System.Text.Json.JsonDocument.Parse(value);
        var payload = HistoryPayloadParser.Parse(document.RootElement, "15550001111", "seed");
        Assert.Empty(payload.Quarantined);
        return payload.Chunks.Single().Messages;
    }

    [Fact]
    public void A_text_object_with_more_than_its_body_keeps_it_as_content()
    {
        var m = Assert.Single(ParseMessages("""{"from":"4915100000001","id":"wamid.T","timestamp":"1700000000","type":"text","text":{"body":"see https://example.com","preview_url":true}}"""));
        Assert.Equal("see https://example.com", m.Text);
        Assert.Equal("""{"body":"see https://example.com","preview_url":true}""", m.ContentJson);
    }

    [Fact]
    public void Usual_values_and_unusual_spellings_read_the_same()
    {
        var messages = ParseMessages(
            // The usual shapes: the business number and the chat as "from"/"to", upper- and lower-case statuses.
            """{"from":"15550001111","to":"4915100000001","id":"wamid.1","timestamp":"1700000001","type":"text","text":{"body":"a"},"history_context":{"status":"read"}}""",
            """{"from":"4915100000001","id":"wamid.2","timestamp":1700000002,"type":"image","image":{"id":"m1"},"history_context":{"status":"DELIVERED"}}""",
            // Unusual: numbers typed with '+' and spaces, an escaped timestamp, an unknown type and status, a padded status.
            """{"from":"+1 555 000 1111","to":"+49 151 00000001","id":"wamid.3","timestamp":"17000000\u00303","type":"poll","poll":{"q":1},"history_context":{"status":" played "}}""",
            """{"from":"4915100000001","id":"wamid.4","timestamp":"1700000004","type":"text","text":{"body":"b"},"history_context":{"status":"seen_by_bot"}}""");

        Assert.Equal(
            [("wamid.1", "15550001111", "4915100000001", 1_700_000_001L, "text", "READ", Direction.Outbound),
             ("wamid.2", "4915100000001", "15550001111", 1_700_000_002L, "image", "DELIVERED", Direction.Inbound),
             ("wamid.3", "15550001111", "4915100000001", 1_700_000_003L, "poll", "PLAYED", Direction.Outbound),
             ("wamid.4", "4915100000001", "15550001111", 1_700_000_004L, "text", "SEEN_BY_BOT", Direction.Inbound)],
            messages.Select(m => (m.Id, m.From, m.To, m.Timestamp, m.Type, m.Status!, m.Direction)));
        Assert.Equal("""{"q":1}""", messages[2].ContentJson);
    }

    [Fact]
    public void A_chunk_counts_only_the_chats_of_which_a_message_was_kept()
    {
        // Three threads: one with a good message, one whose only message has no id, one with no messages at all.
        var value = """{"history":[{"metadata":{"phase":1,"chunk_order":2,"progress":20},"threads":[""" +
                    """{"id":"4915100000001","messages":[{"from":"4915100000001","id":"wamid.1","timestamp":"1700000000","type":"text","text":{"body":"a"}}]},""" +
                    """{"id":"4915100000002","messages":[{"from":"4915100000002","timestamp":"1700000000","type":"text","text":{"body":"b"}}]},""" +
                    """{"id":"4915100000003","messages":[]}]}]}""";
        using var document = System.Text.Json.JsonDocument.Parse(value);

        var payload = HistoryPayloadParser.Parse(document.RootElement, "15550001111", "seed");

        var (chunk, messages) = Assert.Single(payload.Chunks);
        Assert.Equal(["wamid.1"], messages.Select(m => m.Id));
        Assert.Equal((1, 1), (chunk.MessageCount, chunk.ChatCount));
        Assert.Equal("/history/0/threads/1/messages/0", Assert.Single(payload.Quarantined).Pointer);
    }

    [Theory]
    [InlineData("\"17000000x1\"", "\"timestamp\" is not a non-negative unix time")]
    [InlineData("\"-1\"", "\"timestamp\" is not a non-negative unix time")]
    [InlineData("\" 1700000000\"", "\"timestamp\" is not a non-negative unix time")]
    [InlineData("\"99999999999999999999\"", "\"timestamp\" is not a non-negative unix time")]
    public void Timestamp_strings_that_are_not_unix_times_are_refused(string timestamp, string reason)
    {
        var value = $$$"""{"history":[{"threads":[{"id":"4915100000001","messages":[{"from":"4915100000001","id":"wamid.1","timestamp":{{{timestamp}}},"type":"text","text":{"body":"a"}}]}]}]}""";
        using var document = System.Text.Json.JsonDocument.Parse(value);
        var quarantined = Assert.Single(HistoryPayloadParser.Parse(document.RootElement, "15550001111", "seed").Quarantined);
        Assert.Equal(reason, quarantined.Reason);
    }

    [Fact]
    public void Errors_items_are_kept_as_type_errors_with_their_errors_array()
    {
        var b5 = Message(ParseFixture("partner-history-phase1-chunk3-strings.json"), B5);

        Assert.Equal("errors", b5.Type);
        Assert.Null(b5.Text);
        Assert.Null(b5.Media);
        // The errors array is kept once: as the message's errors, not also as its content.
        Assert.Null(b5.ContentJson);
        Assert.NotNull(b5.ErrorsJson);
        var errors = Json(b5.ErrorsJson!);
        Assert.Equal(131051, errors[0].GetProperty("code").GetInt32());
        Assert.Equal("Message type unknown", errors[0].GetProperty("title").GetString());
        Assert.Equal(Direction.Inbound, b5.Direction);
    }

    [Fact]
    public void Media_placeholders_are_messages_without_content()
    {
        var payload = ParseFixture("partner-history-phase0-chunk1.json");
        foreach (var id in new[] { C1, C2 })
        {
            var placeholder = Message(payload, id);
            Assert.Equal("media_placeholder", placeholder.Type);
            Assert.Null(placeholder.Media);
            Assert.Null(placeholder.Text);
            Assert.Null(placeholder.ContentJson);
            Assert.Equal(Lena, placeholder.ChatId);
        }
        var outboundPlaceholder = Message(ParseFixture("partner-history-phase1-chunk3-strings.json"), A6);
        Assert.Equal("media_placeholder", outboundPlaceholder.Type);
        Assert.Equal(Direction.Outbound, outboundPlaceholder.Direction);
    }

    [Fact]
    public void Partner_media_follow_up_gives_facts_for_the_placeholder_wamids()
    {
        var payload = ParseFixture("partner-history-media-followup.json");

        Assert.Empty(payload.Chunks);
        Assert.Empty(payload.Declines);
        Assert.Empty(payload.Quarantined);
        Assert.Equal(2, payload.MediaFollowUps.Count);

        var image = Assert.Single(payload.MediaFollowUps, f => f.MessageId == B3);
        Assert.Equal("image", image.Type);
        Assert.Equal(new MediaInfo("1089347765183452", "image/jpeg", "3b1f6c9e0d8a4f27c5e1a9b0d2f4c6e8a1b3c5d7e9f0a2b4c6d8e0f1a3b5c7d9", "Does this come in blue?"), image.Media);
        Assert.Equal("media", image.FactKey);

        var document = Assert.Single(payload.MediaFollowUps, f => f.MessageId == A6);
        Assert.Equal("document", document.Type);
        Assert.Equal("2245190388712093", document.Media.Id);
        Assert.Equal("application/pdf", document.Media.MimeType);
        Assert.Equal("Invoice INV-2024-0117", document.Media.Caption);
    }

    [Fact]
    public void Meta_media_follow_up_covers_video_audio_and_sticker()
    {
        var payload = ParseFixture("meta-history-media-followup.json");

        Assert.Equal([(B2, "video"), (C1, "audio"), (C2, "sticker")], payload.MediaFollowUps.Select(f => (f.MessageId, f.Type)));
        Assert.Equal("Unboxing 😄", payload.MediaFollowUps[0].Media.Caption);
        Assert.Equal("audio/ogg; codecs=opus", payload.MediaFollowUps[1].Media.MimeType);
        Assert.Null(payload.MediaFollowUps[1].Media.Caption);
        Assert.Equal("958812734401266", payload.MediaFollowUps[2].Media.Id);
        Assert.Empty(payload.Chunks);
    }

    [Fact]
    public void A_follow_up_for_media_the_business_sent_comes_in_message_echoes_and_is_read_like_one_in_messages()
    {
        var payload = ParseFixture("meta-history-media-followup-echoes.json");

        var document = Assert.Single(payload.MediaFollowUps);
        Assert.Equal((A6, "document"), (document.MessageId, document.Type));
        Assert.Equal(new MediaInfo("1191052548774530", "application/pdf", "9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b", "Our price list"),
            document.Media);
        Assert.Empty(payload.Chunks);
        Assert.Empty(payload.Quarantined);
    }

    [Fact]
    public void A_value_with_both_messages_and_message_echoes_gives_the_follow_ups_of_both()
    {
        var value = Json("""
        {"messages":[{"from":"15551234567","id":"wamid.in","timestamp":"1","type":"image","image":{"id":"9","mime_type":"image/png"}}],
         "contacts":[{"wa_id":"15551234567"}],
         "message_echoes":[
           {"from":"15550783881","to":"15551234567","id":"wamid.out","timestamp":"2","type":"video","video":{"id":"8","mime_type":"video/mp4"}},
           {"from":"15550783881","to":"15551234567","timestamp":"2","type":"video","video":{"id":"7"}}]}
        """);

        var payload = HistoryPayloadParser.Parse(value, BusinessNumber, "s");

        Assert.Equal([("wamid.in", "image", "9"), ("wamid.out", "video", "8")], payload.MediaFollowUps.Select(f => (f.MessageId, f.Type, f.Media.Id)));
        var bad = Assert.Single(payload.Quarantined);
        Assert.Equal(("/message_echoes/1", "\"id\" is missing"), (bad.Pointer, bad.Reason));
    }

    [Fact]
    public void Every_placeholder_of_the_corpus_has_a_follow_up_with_the_same_wamid()
    {
        var placeholders = new[] { "partner-history-phase0-chunk1.json", "partner-history-phase1-chunk3-strings.json" }
            .SelectMany(f => ParseFixture(f).Chunks.SelectMany(c => c.Messages))
            .Where(m => m.Type == "media_placeholder").Select(m => m.Id).Order(StringComparer.Ordinal);
        var followUps = new[] { "partner-history-media-followup.json", "meta-history-media-followup.json" }
            .SelectMany(f => ParseFixture(f).MediaFollowUps).Select(f => f.MessageId).Order(StringComparer.Ordinal);

        Assert.Equal(placeholders, followUps);
    }

    [Fact]
    public void Follow_up_that_is_not_media_is_quarantined_and_the_rest_kept()
    {
        var value = Json("""
        {"messages":[
          {"from":"1","id":"wamid.A","timestamp":"1","type":"image","image":{"id":"9","mime_type":"image/png","sha256":"ab"}},
          {"from":"1","id":"wamid.B","timestamp":"1","type":"text","text":{"body":"not media"}},
          {"from":"1","timestamp":"1","type":"image","image":{"id":"8"}}]}
        """);

        var payload = HistoryPayloadParser.Parse(value, BusinessNumber, "s");

        Assert.Equal("wamid.A", Assert.Single(payload.MediaFollowUps).MessageId);
        Assert.Equal(["/messages/1", "/messages/2"], payload.Quarantined.Select(q => q.Pointer));
        Assert.Contains("\"text\"", payload.Quarantined[0].Reason);
        Assert.Equal("\"id\" is missing", payload.Quarantined[1].Reason);
    }

    [Fact]
    public void A_decline_in_the_values_own_errors_beside_an_empty_chunk_is_a_decline()
    {
        var payload = ParseFixture("partner-history-declined-value-errors.json");

        var decline = Assert.Single(payload.Declines);
        Assert.Equal((2593109L, "History sharing is turned off by the business"), (decline.Code, decline.Details));
        var chunk = Assert.Single(payload.Chunks);
        Assert.Equal((0, 0), (chunk.Chunk.MessageCount, chunk.Chunk.ChatCount));
    }

    [Theory]
    [InlineData("partner-history-declined.json")]
    [InlineData("meta-history-declined.json")]
    public void Declined_history_records_code_and_texts(string file)
    {
        var payload = ParseFixture(file);

        var decline = Assert.Single(payload.Declines);
        Assert.Equal(2593109, decline.Code);
        Assert.Equal("History sync is turned off by the business from the WhatsApp Business App", decline.Title);
        Assert.Equal("History sync is turned off by the business from the WhatsApp Business App", decline.Message);
        Assert.Equal("History sharing is turned off by the business", decline.Details);
        Assert.Empty(payload.Chunks);
        Assert.Empty(payload.Quarantined);
    }

    [Fact]
    public void Bad_items_are_quarantined_with_pointer_and_reason_and_the_rest_is_kept()
    {
        var payload = ParseFixture("partner-history-with-bad-items.json");

        var (chunk, messages) = Assert.Single(payload.Chunks);
        Assert.Equal([A12, A13, C9], messages.Select(m => m.Id));
        Assert.Equal(3, chunk.MessageCount);
        Assert.Equal(2, chunk.ChatCount);
        Assert.Equal(90, chunk.Progress);

        Assert.Equal(2, payload.Quarantined.Count);
        var noId = payload.Quarantined[0];
        Assert.Equal("/history/0/threads/0/messages/1", noId.Pointer);
        Assert.Equal("\"id\" is missing", noId.Reason);
        Assert.Contains("This one has no id", noId.ItemJson);
        var badThread = payload.Quarantined[1];
        Assert.Equal("/history/0/threads/1", badThread.Pointer);
        Assert.Contains("not a phone number", badThread.Reason);
        Assert.Contains("\"abc\"", badThread.ItemJson);
        Assert.Contains(A14, badThread.ItemJson);
    }

    [Theory]
    [InlineData("""{"id":"w","timestamp":"1","type":"text"}""", "\"from\" is missing")]
    [InlineData("""{"from":"12#34","id":"w","timestamp":"1","type":"text"}""", "\"from\" is not a phone number")]
    [InlineData("""{"from":"1","id":"w","type":"text"}""", "\"timestamp\" is missing")]
    [InlineData("""{"from":"1","id":"w","timestamp":"yesterday","type":"text"}""", "\"timestamp\" is not a non-negative unix time")]
    [InlineData("""{"from":"1","id":"w","timestamp":"-5","type":"text"}""", "\"timestamp\" is not a non-negative unix time")]
    [InlineData("""{"from":"1","id":"w","timestamp":"1"}""", "\"type\" is missing")]
    [InlineData("""{"from":"1","to":"abc","id":"w","timestamp":"1","type":"text"}""", "\"to\" is not a phone number")]
    [InlineData("""42""", "the message is not a JSON object")]
    public void Each_kind_of_bad_message_is_quarantined_with_its_reason(string message, string reason)
    {
        var value = Json($$"""{"history":[{"metadata":{"phase":0,"chunk_order":1,"progress":1},"threads":[{"id":"15551234567","messages":[{{message}},{"from":"1","id":"ok","timestamp":"1","type":"text"}]}]}]}""");

        var payload = HistoryPayloadParser.Parse(value, BusinessNumber, "s");

        var q = Assert.Single(payload.Quarantined);
        Assert.Equal("/history/0/threads/0/messages/0", q.Pointer);
        Assert.Equal(reason, q.Reason);
        Assert.Equal("ok", Assert.Single(Assert.Single(payload.Chunks).Messages).Id);
    }

    [Fact]
    public void Chunk_without_phase_or_order_gets_a_stable_key_from_where_it_came_from()
    {
        var value = Json("""{"history":[{"threads":[]},{"metadata":{"progress":"30"},"threads":[]}]}""");

        var first = HistoryPayloadParser.Parse(value, BusinessNumber, "webhook-1");
        var again = HistoryPayloadParser.Parse(value, BusinessNumber, "webhook-1");
        var other = HistoryPayloadParser.Parse(value, BusinessNumber, "webhook-2");

        Assert.Equal(2, first.Chunks.Count);
        Assert.All(first.Chunks, c => Assert.StartsWith("x|", c.Chunk.ChunkKey));
        Assert.NotEqual(first.Chunks[0].Chunk.ChunkKey, first.Chunks[1].Chunk.ChunkKey);
        Assert.Equal(first.Chunks.Select(c => c.Chunk.ChunkKey), again.Chunks.Select(c => c.Chunk.ChunkKey));
        Assert.NotEqual(first.Chunks[0].Chunk.ChunkKey, other.Chunks[0].Chunk.ChunkKey);
        Assert.Null(first.Chunks[0].Chunk.Progress);
        Assert.Equal(30, first.Chunks[1].Chunk.Progress);
    }

    [Theory]
    [InlineData("150", 100)]
    [InlineData("-3", 0)]
    [InlineData("100", 100)]
    public void Progress_is_clamped_to_0_100(string progress, long expected)
    {
        var value = Json($$"""{"history":[{"metadata":{"phase":0,"chunk_order":1,"progress":"{{progress}}"},"threads":[]}]}""");
        Assert.Equal(expected, Assert.Single(HistoryPayloadParser.Parse(value, BusinessNumber, "s").Chunks).Chunk.Progress);
    }

    [Fact]
    public void Thousands_of_messages_in_one_chunk_are_all_read()
    {
        var sb = new StringBuilder("""{"history":[{"metadata":{"phase":"1","chunk_order":"7","progress":"70"},"threads":[""");
        const int threads = 40, perThread = 100;
        for (var t = 0; t < threads; t++)
        {
            if (t > 0) sb.Append(',');
            sb.Append($$"""{"id":"1555{{t:D7}}","messages":[""");
            for (var m = 0; m < perThread; m++)
            {
                if (m > 0) sb.Append(',');
                var from = m % 2 == 0 ? $"1555{t:D7}" : BusinessNumber;
                sb.Append($$$"""{"from":"{{{from}}}","id":"wamid.T{{{t}}}M{{{m}}}/+=","timestamp":"{{{1715000000 + m}}}","type":"text","text":{"body":"m{{{m}}}"},"history_context":{"status":"read"}}""");
            }
            sb.Append("]}");
        }
        sb.Append("]}]}");

        var (chunk, messages) = Assert.Single(HistoryPayloadParser.Parse(Json(sb.ToString()), BusinessNumber, "s").Chunks);

        Assert.Equal(threads * perThread, chunk.MessageCount);
        Assert.Equal(threads, chunk.ChatCount);
        Assert.Equal(threads * perThread, messages.Count);
        Assert.Equal(threads * perThread / 2, messages.Count(m => m.Direction == Direction.Outbound));
        Assert.All(messages, m => Assert.Equal("READ", m.Status));
    }
}
